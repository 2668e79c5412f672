"""HYB501/HYB502: code that fails in graph mode (errors, not side effects)."""

from __future__ import annotations

from typing import Iterator

from ..analysis.summary import TF_FUNCTION
from ..context import FileContext
from ..diagnostics import Diagnostic
from ..registry import RuleSpec


def eager_only_calls(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """``.numpy()`` anywhere in graph code, with the root that makes it graph code."""
    for function, root in ctx.graph_functions():
        for error in function.errors:
            if error.kind == rule.effect:
                yield ctx.diagnostic(rule, error.loc, what=error.what, function=function.qualname,
                                     root=root[1])


def variables_per_call(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """``tf.Variable(...)`` created unconditionally in a ``tf.function`` body (decorated, or wrapped elsewhere)."""
    for function, root in ctx.graph_roots():
        if root.reason != TF_FUNCTION:
            continue
        for error in function.errors:
            if error.kind == rule.effect:
                yield ctx.diagnostic(rule, error.loc, function=function.qualname)
