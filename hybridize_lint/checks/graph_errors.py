"""HYB501/HYB502: code that fails in graph mode (errors, not side effects)."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.summary import TF_FUNCTION
from ..context import FileContext
from ..diagnostics import Diagnostic
from ..fixes.dehybridize import with_dehybridization
from ..fixes.numpy_calls import drop_numpy
from ..fixes.variables import create_once
from ..registry import RuleSpec


def eager_only_calls(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """``.numpy()`` anywhere in graph code, with the root that makes it graph code; not behind a flag
    parameter that every graph path into the function (or into a caller on the way) turns off."""
    reach = ctx.analyses.flag_reach
    for function, root in ctx.graph_functions():
        if (ctx.module, function.qualname) not in reach.graph_code:
            continue  # graph code only through calls behind flags every graph path leaves off
        for error in function.errors:
            if any(not reach.turned_on((ctx.module, function.qualname), flag) for flag in error.enabled_by):
                continue  # behind a flag every graph path into it leaves off (`return_numpy=False`)
            if error.kind == rule.effect:
                call = ctx.node_at(error.loc, ast.Call)
                fix = drop_numpy(ctx, rule, call, ctx.functions.get(function.qualname),
                                 returns_tensors=function.hybrid) if isinstance(call, ast.Call) else None
                diagnostic = ctx.diagnostic(rule, error.loc, fix=fix, what=error.what, function=function.qualname,
                                            root=root[1])
                yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))


def variables_per_call(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """``tf.Variable(...)`` created unconditionally in a ``tf.function`` body (decorated, or wrapped elsewhere)."""
    for function, root in ctx.graph_roots():
        if root.reason != TF_FUNCTION:
            continue
        for error in function.errors:
            if error.kind == rule.effect:
                call = ctx.node_at(error.loc, ast.Call)
                is_method = function.class_name is not None and function.method_kind == "instance"
                fix = create_once(ctx, rule, call, ctx.functions.get(function.qualname), is_method) \
                    if isinstance(call, ast.Call) else None
                diagnostic = ctx.diagnostic(rule, error.loc, fix=fix, function=function.qualname)
                yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))
