"""HYB504: a local Python list grown in a graph loop (``tf.range``, a dataset) and stacked after it.

Tracing fails (the loop body is a graph of its own); the fix collects the elements in a
``tf.TensorArray`` (:mod:`hybridize_lint.fixes.tensor_arrays`), or else dehybridizes.
"""

from __future__ import annotations

from typing import Iterator

from ..context import FileContext
from ..diagnostics import Diagnostic
from ..fixes.dehybridize import with_dehybridization
from ..fixes.tensor_arrays import grown_lists, tensor_array_fix
from ..registry import RuleSpec


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    roots = ctx.project.graph_roots
    for function, root in ctx.graph_functions():
        node = ctx.functions.get(function.qualname)
        graph_root = roots.get(root)
        if node is None or (graph_root is not None and not graph_root.autograph):
            continue  # without AutoGraph a Python loop is unrolled, and the list is fine
        for grown in grown_lists(ctx, node):
            diagnostic = ctx.diagnostic(rule, grown.append, fix=tensor_array_fix(ctx, rule, grown),
                                        name=grown.name, over=grown.over, function=function.qualname)
            yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))
