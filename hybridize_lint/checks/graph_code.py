"""Which Python effects in graph code outlive a trace: the graph roots a file's effects are
reported in, and whether an effect on a parameter or closure variable reaches the caller.

Shared by the side-effect rules (HYB101–HYB110), so that they agree on what escapes.
"""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.project import GraphRoot
from ..analysis.summary import (BUILDS_A_GRAPH, CLOSURE, IN_TF_FUNCTION_LAMBDA, ITERPARAM, KERAS_FIT, LOCAL, ONE_OBJECT,
                                PARAM, TF_FUNCTION, Effect, EffectKind, FunctionSummary, Locality)
from ..context import FileContext


def traced_roots(ctx: FileContext) -> Iterator[tuple[FunctionSummary, GraphRoot]]:
    """This file's graph roots that are traced and then called again, so that a Python effect runs
    less often than the code says. Not:
    - an Estimator's model_fn, called once to build its graph;
    - a tf.function made anew on every call of the function it is defined in and called there once:
      that call traces it, so its effects run on every call;
    - a tf.function only traced for its concrete function, never called;
    - a signature for export: a tf.function with an ``input_signature`` that no project code calls (it is
      returned or handed to ``tf.saved_model.save(..., signatures=...)``): serving runs its graph, never its
      Python, so logging the features' structure while it is traced is all its Python can do;
    - a library function that only a test makes a graph (the test checks it can be one);
    - a tf.function constructor (``__init__``): each construction passes a new ``self``, so each one
      traces, and its effects run every time (checked with TF 2.21)."""
    for function, root in ctx.graph_roots():
        if root.reason != BUILDS_A_GRAPH and not root.only_by_tests and not _made_and_called_once(ctx, function) \
                and not _only_traced_for_a_concrete_function(ctx, function) and not _traced_per_object(function) \
                and not _export_signature(ctx, function, root):
            yield function, root


def _export_signature(ctx: FileContext, function: FunctionSummary, root: GraphRoot) -> bool:
    return bool(root.signature) and not any(
        not site.passed for _, site in ctx.project.callers.get((ctx.module, function.qualname), []))


def _traced_per_object(function: FunctionSummary) -> bool:
    return function.class_name is not None and function.method_kind == "instance" \
        and function.qualname.rsplit(".", 1)[-1] == "__init__"


def _only_traced_for_a_concrete_function(ctx: FileContext, function: FunctionSummary) -> bool:
    """A tf.function nobody calls, whose object only gives ``get_concrete_function(...)``: tracing
    is all it is for, and what its Python code does then is its purpose (recording static shapes)."""
    key = (ctx.module, function.qualname)
    return key in ctx.project.hybrid_objects_used and not ctx.project.callers.get(key)


def _made_and_called_once(ctx: FileContext, function: FunctionSummary) -> bool:
    """A ``def`` nested in a function whose body names it once, outside loops: to call it once when
    it is decorated with tf.function, or in ``tf.function(f)(...)``, made and called on the spot."""
    if not function.nested:
        return False
    enclosing_name, name = function.qualname.rsplit(".", 1)
    enclosing = ctx.functions.get(enclosing_name)
    if enclosing is None:
        return False
    uses = [node for node in ast.walk(enclosing) if isinstance(node, ast.Name) and node.id == name
            and isinstance(node.ctx, ast.Load)]
    if len(uses) != 1 or _in_a_loop(enclosing, uses[0]):
        return False  # handed out, stored or called again: later calls reuse the traces
    for node in ast.walk(enclosing):
        if isinstance(node, ast.Call):
            if function.hybrid and node.func is uses[0]:
                return True
            if isinstance(node.func, ast.Call) and ctx.is_hybridizer_call(node.func) and node.func.args \
                    and node.func.args[0] is uses[0]:
                return True
    return False


def _in_a_loop(function: ast.AST, target: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and any(n is target for n in ast.walk(node)):
            return True
    return False


def own_effects(ctx: FileContext, kind: str | None) -> Iterator[tuple[FunctionSummary, Effect]]:
    """Effects of ``kind`` in the bodies of this file's graph roots that escape the traced call."""
    analysis = ctx.analyses.side_effects
    for function, root in traced_roots(ctx):
        for effect in function.effects:
            if effect.kind == kind and not effect.diagnostic \
                    and analysis.matters((ctx.module, function.qualname), effect) \
                    and escapes(ctx, function, root, effect.target, effect):
                yield function, effect


def escapes(ctx: FileContext, function: FunctionSummary, root: GraphRoot, target: str | None,
            effect: Effect) -> bool:
    """Whether an effect on ``target`` (a locality in ``function``, a graph root) outlives the trace.

    - ``self``/``cls`` is the caller's object: always.
    - Other parameters of a ``tf.function`` (or a Keras step): objects are passed as they are, so
      attribute writes escape; containers are re-packed around the traced placeholders on every trace,
      so mutating them does not reach the caller.
    - Parameters of functions traced by ``tf.data``, ``tf.cond``, ``tf.map_fn``… or of functions
      nested in graph code are built by the tracing machinery or the enclosing graph code: local.
    - A closure variable escapes unless it is local to an enclosing function that is graph code (an
      enclosing method's ``self`` is the caller's object: it escapes).
    """
    if target is None:
        return True
    where = Locality.parse(target)
    kind, name = where.kind, where.name
    if kind == ITERPARAM:
        return _caller_passes_iterator(ctx, function, name)
    if kind == PARAM:
        if function.class_name and function.params and name == function.params[0]:
            return True
        if root.reason in (TF_FUNCTION, ONE_OBJECT, IN_TF_FUNCTION_LAMBDA, KERAS_FIT):
            return effect.kind != EffectKind.CONTAINER_MUTATION
        return False
    if kind == CLOSURE:
        return not _local_to_graph_code(ctx, function, name)
    return True


def _local_to_graph_code(ctx: FileContext, function: FunctionSummary, name: str) -> bool:
    parts = function.qualname.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        enclosing = ctx.summary.functions.get(".".join(parts[:cut]))
        if enclosing is None:
            continue
        if name in enclosing.params or name in enclosing.local_localities:
            if (ctx.module, enclosing.qualname) not in ctx.project.graph_functions:
                return False
            if enclosing.class_name and enclosing.params[:1] == [name]:
                return False  # the method's `self`: the caller's object
            return enclosing.local_localities.get(name) == LOCAL or name in enclosing.params
    return False


def _caller_passes_iterator(ctx: FileContext, function: FunctionSummary, param: str) -> bool:
    """``next(param)`` is a side effect only if some caller passes a Python iterator."""
    return ctx.analyses.side_effects.receives_python_iterator((ctx.module, function.qualname), param)
