"""HYB301 (add tf.function), HYB401/HYB402 (remove it) and HYB503 (recursive hybrid function)."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.hybridization import DEHYBRIDIZE_BARREN, DEHYBRIDIZE_RETRACING, HYBRIDIZE, Verdict
from ..analysis.project import FunctionId
from ..analysis.syntax import parameter_names
from ..codemods import CodemodError, add_decorator, module_spelling
from ..context import FileContext
from ..diagnostics import Diagnostic, Fix
from ..fixes.dehybridize import removal_edits, with_dehybridization
from ..registry import RuleSpec
from ..source import Span

FUNCTION = "tensorflow.function"


def add_tf_function(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB301: where a graph pays (the boundary), or every function P1 accepts that eager code calls."""
    yield from _hybridize(ctx, rule, speculative=False)


def add_tf_function_speculatively(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB302: functions that could run as graphs, with no project code calling them eagerly."""
    yield from _hybridize(ctx, rule, speculative=True)


def _hybridize(ctx: FileContext, rule: RuleSpec, speculative: bool) -> Iterator[Diagnostic]:
    for verdict, node in _verdicts(ctx):
        if verdict.action == HYBRIDIZE and verdict.speculative == speculative:
            signature = f" with an `input_signature` of {', '.join(d for d, _ in verdict.input_signature)} tensors" \
                if verdict.input_signature else ""
            yield ctx.diagnostic(rule, _header(ctx, node), fix=_add_fix(ctx, rule, node, verdict.input_signature),
                                 function=verdict.function[1], evidence=_benefit(ctx, verdict), signature=signature)


def _benefit(ctx: FileContext, verdict: Verdict) -> str:
    """What speaks for a graph: the repeated eager call and the work per call, or a tensor parameter."""
    boundary = verdict.boundary
    if boundary is None:
        param, evidence = next(iter((verdict.tensor_params or verdict.array_params).items()))
        return f"parameter `{param}` {ctx.render(evidence)}"
    helpers = [f"`{helper[1]}`" for helper in boundary.covers[:3]]
    more = f" and {len(boundary.covers) - 3} more" if len(boundary.covers) > 3 else ""
    inside = f" (its helpers {', '.join(helpers)}{more} included)" if helpers else ""
    repetition = boundary.repetition.render(ctx.project.module_paths(), eager=not verdict.speculative)
    return f"{repetition} and runs about {boundary.tensor_ops} tensor operations per call{inside}"


def remove_barren(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for verdict, node in _verdicts(ctx):
        if verdict.action == DEHYBRIDIZE_BARREN:
            yield ctx.diagnostic(rule, _header(ctx, node), fix=_remove_fix(ctx, rule, node),
                                 function=verdict.function[1])


def remove_retracing(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for verdict, node in _verdicts(ctx):
        if verdict.action == DEHYBRIDIZE_RETRACING:
            param, evidences = next(iter(verdict.retracing_params.items()))
            tensor_param, tensor_evidence = next(iter(verdict.tensor_params.items()))
            yield ctx.diagnostic(rule, _header(ctx, node), fix=_remove_fix(ctx, rule, node),
                                 function=verdict.function[1], param=param, evidence=ctx.render(evidences[0]),
                                 tensor_param=tensor_param)


def recursive_calls(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    analysis = ctx.analyses.hybridization
    for verdict, node in _verdicts(ctx):
        if not (verdict.hybrid and verdict.recursive):
            continue
        for site, targets in ctx.project.call_graph.get(verdict.function, []):
            if not site.passed and not _over_the_structure(node, site.loc[0]) and any(
                    t.function in analysis.recursive and not _bounded_reentry(ctx, verdict.function, t.function)
                    for t in targets):
                diagnostic = ctx.diagnostic(rule, site.loc, function=verdict.function[1])
                yield with_dehybridization(ctx, rule, diagnostic, verdict.function)


_STRUCTURES = frozenset({"tuple", "list", "dict"})


def _over_the_structure(function: ast.AST, line: int) -> bool:
    """``if isinstance(inputs, tuple): return tuple(f(x, i) for x in inputs)``: the call on ``line`` recurses
    over the parts of a Python structure it receives, at trace time, one level per nesting of the structure
    (``tf.nest`` style), which a graph traces as it would eager code; not recursion on tensor values."""
    params = parameter_names(function)
    return any(isinstance(node, ast.If) and _tests_structure(node.test, params)
               and node.body[0].lineno <= line <= (node.body[-1].end_lineno or node.body[-1].lineno)
               for node in ast.walk(function))


def _tests_structure(test: ast.expr, params: set[str]) -> bool:
    """``isinstance(p, tuple)``, ``isinstance(p, (list, tuple))``, ``type(p) is tuple``,
    ``type(p) in (list, tuple)``."""
    def names(expr: ast.expr) -> set[str]:
        items = expr.elts if isinstance(expr, ast.Tuple) else [expr]
        return {item.id for item in items if isinstance(item, ast.Name)}
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
            and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id in params:
        return bool(names(test.args[1])) and names(test.args[1]) <= _STRUCTURES
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.Eq, ast.In)) \
            and isinstance(test.left, ast.Call) and isinstance(test.left.func, ast.Name) \
            and test.left.func.id == "type" and len(test.left.args) == 1 \
            and isinstance(test.left.args[0], ast.Name) and test.left.args[0].id in params:
        return bool(names(test.comparators[0])) and names(test.comparators[0]) <= _STRUCTURES
    return False


def _bounded_reentry(ctx: FileContext, hybrid: FunctionId, callee: FunctionId) -> bool:
    """``def minimize(..., jit_compile): if jit_compile: run = tf.function(...)(lambda: minimize(...,
    jit_compile=False))``: a function that enters itself again through a tf.function it makes, and
    only under a condition. The condition bounds the re-entry (one level, at trace time)."""
    module, qualname = hybrid
    if callee[0] != module or not qualname.startswith(callee[1] + "."):
        return False
    return all(site.conditional for site, targets in ctx.project.call_graph.get(callee, [])
               if any(t.function == hybrid for t in targets))


def _verdicts(ctx: FileContext) -> Iterator[tuple[Verdict, ast.AST]]:
    analysis = ctx.analyses.hybridization
    for qualname, node in ctx.functions.items():
        verdict = analysis.verdict((ctx.module, qualname))
        if verdict is not None:
            yield verdict, node


def _header(ctx: FileContext, node: ast.AST) -> Span:
    """The ``def`` keyword through the function's name: where HYB3xx/HYB4xx findings sit."""
    start = ctx.source.offset_from_ast(node.lineno, node.col_offset)
    line = ctx.source.line_text(node.lineno)
    column = start - ctx.source.offset(node.lineno, 0)
    end_column = line.find(node.name, column)
    end = ctx.source.offset(node.lineno, end_column + len(node.name)) if end_column >= 0 else start
    return Span(start, end)


def _add_fix(ctx: FileContext, rule: RuleSpec, node: ast.AST, signature: tuple[tuple[str, int], ...]) -> Fix | None:
    """``@tf.function``, or with ``input_signature=[tf.TensorSpec(shape=[None, None], dtype=...)]`` for NumPy arguments.

    Every dimension unknown, the rank known: any shape the eager function accepted, without a retrace
    per shape, and operations that need the rank still get it.
    """
    spelling = ctx.bindings.local_name_for(FUNCTION)
    try:
        edits = []
        if spelling is None or signature:
            module, edits = module_spelling(ctx.source, ctx.bindings, "tensorflow", alias="tf")
            spelling = spelling or f"{module}.function"
        if signature:
            specs = ", ".join(f"{module}.TensorSpec(shape=[{', '.join(['None'] * rank)}], dtype={module}.{dtype})"
                              for dtype, rank in signature)
            spelling = f"{spelling}(input_signature=[{specs}])"
        edits.append(add_decorator(ctx.source, node, spelling))
    except CodemodError:
        return None
    return ctx.fix(rule, edits)


def _remove_fix(ctx: FileContext, rule: RuleSpec, node: ast.AST) -> Fix | None:
    """Remove the decorator, or unwrap ``f = tf.function(g)`` when that is in this file."""
    qualname = next((q for q, n in ctx.functions.items() if n is node), None)
    edits = removal_edits(ctx, (ctx.module, qualname)) if qualname else []
    if not edits:
        return None
    decorated = any(_is_hybridizer_name(ctx, d) or ctx.is_hybridizer_call(d) for d in node.decorator_list)
    return ctx.fix(rule, edits, None if decorated else "Call the function directly")


def _is_hybridizer_name(ctx: FileContext, decorator: ast.expr) -> bool:
    return ctx.knowledge.is_hybridizer(ctx.bindings.qualified_name(decorator))
