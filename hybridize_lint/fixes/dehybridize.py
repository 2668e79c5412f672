"""Dehybridize: remove ``tf.function`` from a graph root so its Python code runs on every call.

The paper's *Optimize Hybrid Function* (HYB401/HYB402 use it for speed), applied here for
correctness: a side effect that a trace ran once runs on every call again, at eager speed. The
edits are the decorator's removal or the unwrapping of ``tf.function(f)`` into ``f``; a root reached
through Keras ``fit`` gets no fix, since ``run_eagerly=True`` would run the whole model eagerly.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from weakref import ref

from ..analysis.project import FunctionId
from ..analysis.summary import IN_TF_FUNCTION_LAMBDA, ONE_OBJECT
from ..codemods import CodemodError, remove_decorator, unwrap_call
from ..context import FileContext
from ..diagnostics import Diagnostic, Edit, Fix
from ..registry import RuleSpec

KERAS_FIT = "Keras fit"
WRAPPING_VIAS = ("tf.function", ONE_OBJECT, IN_TF_FUNCTION_LAMBDA)
KERAS_NOTE = ("no automatic fix: `{function}` runs as a graph through Keras `fit`, and its only eager "
              "equivalent, `run_eagerly=True`, would run the whole model eagerly")


@dataclass(frozen=True)
class Dehybridization:
    """The fix for one root, or why there is none (``note``, shown in the message when set)."""

    fix: Fix | None = None
    note: str = ""


def graph_root_of(ctx: FileContext, function: FunctionId) -> FunctionId | None:
    """The root whose ``tf.function`` makes ``function`` graph code: itself, a root that calls it, or
    the enclosing root of a function defined inside one."""
    roots = ctx.project.graph_roots
    if function not in roots:
        function = ctx.project.graph_functions.get(function)
    seen = set()
    while function in roots and function not in seen:
        seen.add(function)
        reason = roots[function].reason
        if not reason.startswith("inside "):
            return function
        function = (function[0], reason[len("inside "):])
    return None


def dehybridize(ctx: FileContext, rule: RuleSpec, function: FunctionId) -> Dehybridization:
    """Remove ``tf.function`` from the root that makes ``function`` graph code, when every place
    that applies it is in this file and is a plain ``@tf.function``/``tf.function(f)``."""
    root_id = graph_root_of(ctx, function)
    root = ctx.project.graph_roots.get(root_id) if root_id else None
    if root is None:
        return Dehybridization()
    if root.reason == KERAS_FIT or _keras_step(ctx, root_id):
        return Dehybridization(note=KERAS_NOTE.format(function=root_id[1]))
    if root.reason not in WRAPPING_VIAS or root.wrapper or root.signature or root_id in ctx.project.hybrid_objects_used:
        # traced by tf.data/tf.map_fn…, through a project wrapper, with an input_signature (a concrete
        # function on purpose, often exported), or used as a tf.function object (get_concrete_function)
        return Dehybridization()
    edits = removal_edits(ctx, root_id)
    if not edits:
        return Dehybridization()
    name = root_id[1].rsplit(".", 1)[-1]
    title = f"Remove `tf.function` from `{name}`: restores per-call behaviour; runs eagerly (slower)"
    return Dehybridization(ctx.fix(rule, edits, title))


def _keras_step(ctx: FileContext, function: FunctionId) -> bool:
    """A Keras model's ``train_step``/``call``…: Keras' own loops trace it whatever else wraps it
    (``self.train_step = tf.function(self.train_step, jit_compile=True)``), so unwrapping that
    would only lose the compilation."""
    info = ctx.project.function(function)
    if info is None or info.class_name is None:
        return False
    method = function[1].rsplit(".", 1)[-1]
    if method not in ctx.knowledge.keras_compiled_methods:
        return False
    cls = (function[0], info.class_name)
    # A step method whose class the project cannot place (a base passed to a class factory) is
    # taken as Keras' too: no other framework calls ``train_step``.
    return ctx.project.is_keras_model(cls) or (method != "call" and _unresolved_bases(ctx, cls))


def _unresolved_bases(ctx: FileContext, cls) -> bool:
    info = ctx.project.class_info(cls)
    return info is not None and (info.unnamed_bases or any(not ctx.project.class_of_typeref(base)
                                                            for base in info.bases))


def removal_edits(ctx: FileContext, root: FunctionId) -> list[Edit]:
    """The edits that remove every ``tf.function`` of ``root``; empty when one of them cannot be
    removed from here (another file, a custom wrapper, an unexpected shape)."""
    edits: list[Edit] = []
    info = ctx.project.function(root)
    try:
        if info is not None and info.hybrid:
            node = ctx.functions.get(root[1]) if root[0] == ctx.module else None
            if node is None:
                return []
            decorators = [d for d in node.decorator_list if _is_hybridizer(ctx, d)]
            if not decorators:
                return []
            edits += [remove_decorator(ctx.source, d) for d in decorators]
        for module, entry in _wrapping_entries(ctx, root):
            if module != ctx.module:
                return []
            call = ctx.node_at(entry.loc, ast.Call)
            if not isinstance(call, ast.Call) or not ctx.is_hybridizer_call(call) or not call.args:
                return []
            if isinstance(call.args[0], ast.Lambda) and entry.via != IN_TF_FUNCTION_LAMBDA:
                return []
            edits.append(unwrap_call(ctx.source, call))
    except CodemodError:
        return []
    unique = {(e.start, e.end): e for e in edits}
    return sorted(unique.values(), key=lambda e: e.start)


def _wrapping_entries(ctx: FileContext, root: FunctionId):
    """Where ``root`` is wrapped in ``tf.function(...)`` (or a project wrapper), across the project."""
    return _entries_by_root(ctx.project).get(root, [])


# The last project asked about: (the project, the identity of its summaries, its entries by root).
_ENTRIES: list[tuple[ref, tuple[int, ...], dict]] = []


def _entries_by_root(project) -> dict[FunctionId, list]:
    """Every wrapping graph entry of the project by the function it wraps, computed once per state of
    the project (``ProjectModel.add`` replaces summaries when a fix is re-linted)."""
    state = tuple(id(summary) for summary in project.summaries.values())
    found = _ENTRIES[0][2] if _ENTRIES and _ENTRIES[0][0]() is project and _ENTRIES[0][1] == state else None
    if found is None:
        found = {}
        for summary in project.summaries.values():
            for entry in summary.graph_entries:
                if entry.via == "wrapper":
                    if project.wrapping_of(entry.wrapper, entry.argument) is None:
                        continue  # W(f) for a W that turns out to wrap no tf.function
                    entry = replace(entry, loc=(-1, -1, -1, -1))  # a project wrapper: never removable here
                elif entry.via not in WRAPPING_VIAS:
                    continue
                for target in project.resolve_ref(entry.ref):
                    found.setdefault(target.function, []).append((summary.module, entry))
        _ENTRIES[:] = [(ref(project), state, found)]
    return found


def _is_hybridizer(ctx: FileContext, decorator: ast.expr) -> bool:
    return ctx.is_hybridizer_call(decorator) or ctx.knowledge.is_hybridizer(ctx.bindings.qualified_name(decorator))


def with_dehybridization(ctx: FileContext, rule: RuleSpec, diagnostic: Diagnostic,
                         function: FunctionId) -> Diagnostic:
    """``diagnostic`` with the dehybridize fix when it has no fix of its own, or the note saying why
    there is none."""
    if diagnostic.fix is not None:
        return diagnostic
    found = dehybridize(ctx, rule, function)
    if found.fix is not None:
        return replace(diagnostic, fix=found.fix)
    if found.note:
        return replace(diagnostic, message=f"{diagnostic.message} ({found.note})")
    return diagnostic
