"""HYB106: Python/NumPy randomness and clock reads in graph code, frozen at trace time.

The fix rewrites the call into a ``tf.random`` op or ``tf.timestamp()`` where the arguments map
one to one (:mod:`hybridize_lint.fixes.randomness`), and otherwise dehybridizes the graph function.
"""

from __future__ import annotations

import ast
from typing import Iterator

from ..context import FileContext
from ..diagnostics import Diagnostic
from ..fixes.dehybridize import with_dehybridization
from ..fixes.randomness import rewrite
from ..registry import RuleSpec
from .graph_code import own_effects


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for function, effect in own_effects(ctx, rule.effect):
        call = ctx.node_at(effect.loc, ast.Call)
        fix = rewrite(ctx, rule, effect.what, call, ctx.functions.get(function.qualname)) \
            if isinstance(call, ast.Call) else None
        diagnostic = ctx.diagnostic(rule, effect.loc, fix=fix, what=effect.what, function=function.qualname)
        yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))
