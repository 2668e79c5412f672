"""HYB102–HYB107 (side effects a graph function performs itself) and HYB110 (through callees)."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.project import GraphRoot
from ..analysis.summary import BUILDS_A_GRAPH, IN_TF_FUNCTION_LAMBDA, LOCAL, ONE_OBJECT, Effect, FunctionSummary
from ..context import FileContext
from ..diagnostics import Diagnostic
from ..fixes.counters import to_variable
from ..fixes.dehybridize import with_dehybridization
from ..registry import RuleSpec


def traced_roots(ctx: FileContext) -> Iterator[tuple[FunctionSummary, GraphRoot]]:
    """This file's graph roots that are traced and then called again, so that a Python effect runs
    less often than the code says. Not:
    - an Estimator's model_fn, called once to build its graph;
    - a tf.function made anew on every call of the function it is defined in and called there once:
      that call traces it, so its effects run on every call;
    - a tf.function only traced for its concrete function, never called;
    - a library function that only a test makes a graph (the test checks it can be one)."""
    for function, root in ctx.graph_roots():
        if root.reason != BUILDS_A_GRAPH and not root.only_by_tests and not _made_and_called_once(ctx, function) \
                and not _only_traced_for_a_concrete_function(ctx, function):
            yield function, root


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


def own_effects(ctx: FileContext, code: str) -> Iterator[tuple[FunctionSummary, Effect]]:
    """Effects with ``code`` in the bodies of this file's graph roots that escape the traced call."""
    analysis = ctx.project.side_effects
    for function, root in traced_roots(ctx):
        for effect in function.effects:
            if effect.code == code and not effect.diagnostic \
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
    - A closure variable escapes unless it is local to an enclosing function that is graph code.
    """
    if target is None:
        return True
    kind, _, name = target.partition(":")
    if kind == "iterparam":
        return _caller_passes_iterator(ctx, function, name)
    if kind == "param":
        if function.class_name and function.params and name == function.params[0]:
            return True
        if root.reason in ("tf.function", ONE_OBJECT, IN_TF_FUNCTION_LAMBDA, "Keras fit"):
            return effect.code != "HYB105"
        return False
    if kind == "closure":
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
            return enclosing.local_localities.get(name) == LOCAL or name in enclosing.params
    return False


def _caller_passes_iterator(ctx: FileContext, function: FunctionSummary, param: str) -> bool:
    """``next(param)`` is a side effect only if some caller passes a Python iterator."""
    return ctx.project.side_effects.receives_python_iterator((ctx.module, function.qualname), param)


def direct_effects(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for function, effect in own_effects(ctx, rule.code):
        diagnostic = ctx.diagnostic(rule, effect.loc, what=effect.what, function=function.qualname)
        yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))


def global_writes(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB103: a module-level counter becomes a ``tf.Variable`` where every use allows it
    (:mod:`hybridize_lint.fixes.counters`); other writes get the dehybridize fix."""
    for function, effect in own_effects(ctx, rule.code):
        kind, _, name = effect.what.partition(" ")
        fix = to_variable(ctx, rule, name.strip("`")) if kind == "global" else None
        diagnostic = ctx.diagnostic(rule, effect.loc, fix=fix, what=effect.what, function=function.qualname)
        yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))


def callee_effects(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """One finding per call in graph code whose callee (not itself a root) has side effects.

    A function passed as a value (``map(noisy, xs)``, ``functools.partial(noisy)``) counts as called
    where it is passed, as in :class:`SideEffectAnalysis`; functions the call traces as graph code of
    their own (roots, reported in place) and eager wrappers (``tf.py_function``) are left out.
    """
    project = ctx.project
    analysis = project.side_effects
    for function, root in traced_roots(ctx):
        caller = (ctx.module, function.qualname)
        in_tests = project.in_test_code(caller)

        def is_external(locality: str, effect: Effect) -> bool:
            return escapes(ctx, function, root, locality, effect)

        reported = set()
        for site, targets in project.call_graph.get(caller, []):
            if site.loc in reported:  # one finding per call, even if it also passes a function along
                continue
            # A test's fake overriding a library method is the test's business, not the library's.
            targets = [t for t in targets if t.function not in project.graph_roots
                       and (in_tests or not project.in_test_code(t.function))]
            witness = analysis.call_effect(caller, site, targets, is_external) if targets else None
            if witness is not None:
                reported.add(site.loc)
                diagnostic = ctx.diagnostic(rule, site.loc, function=function.qualname,
                                            chain=" → ".join((function.qualname, witness.describe())),
                                            callee=witness.chain[0])
                yield with_dehybridization(ctx, rule, diagnostic, caller)
