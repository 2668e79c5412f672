"""HYB101: ``print`` in graph code prints once per trace, not once per call."""

from __future__ import annotations

import ast
from typing import Iterator

from ..codemods import CodemodError, module_spelling, node_for, rename_keyword, replace
from ..context import FileContext
from ..diagnostics import Diagnostic, Fix
from ..fixes.dehybridize import with_dehybridization
from ..registry import RuleSpec
from .graph_code import own_effects


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for function, effect in own_effects(ctx, rule.effect):
        call = ctx.node_at(effect.loc, ast.Call)
        fix = _tf_print_fix(ctx, rule, call) if isinstance(call, ast.Call) else None
        diagnostic = ctx.diagnostic(rule, effect.loc, fix=fix, function=function.qualname)
        yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))


_STANDARD_STREAMS = frozenset({"sys.stdout", "sys.stderr"})


def _tf_print_fix(ctx: FileContext, rule: RuleSpec, call: ast.Call) -> Fix | None:
    """``print(...)`` → ``tf.print(...)`` when the arguments mean the same to both; a debug print to a
    standard stream keeps its stream (``file=sys.stderr`` → ``output_stream=sys.stderr``)."""
    stream = next((k for k in call.keywords if k.arg == "file"
                   and ctx.bindings.qualified_name(k.value) in _STANDARD_STREAMS), None)
    if any(keyword.arg in ctx.knowledge.print_keywords_without_graph_equivalent and keyword is not stream
           for keyword in call.keywords):
        return None
    if any(_formats_at_trace_time(argument) for argument in (*call.args, *(k.value for k in call.keywords))):
        return None
    module, _, attribute = ctx.knowledge.graph_print.rpartition(".")
    try:
        spelling, import_edits = module_spelling(ctx.source, ctx.bindings, module, alias="tf")
        callee = node_for(ctx.source, call.func)
        if stream is not None:
            import_edits.append(rename_keyword(ctx.source, stream, "output_stream"))
    except CodemodError:
        return None
    return ctx.fix(rule, [replace(ctx.source, callee, f"{spelling}.{attribute}"), *import_edits])


def _formats_at_trace_time(argument: ast.expr) -> bool:
    """f-strings, ``%`` and ``.format`` render a tensor's symbolic repr while tracing."""
    for node in ast.walk(argument):
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_string(node.left):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and _is_string(node.func.value):
            return True
    return False


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)
