"""HYB204: ``experimental_relax_shapes`` is the deprecated name of ``reduce_retracing``."""

from __future__ import annotations

import ast
from typing import Iterator

from ..codemods import CodemodError, remove_argument, rename_keyword
from ..context import FileContext
from ..diagnostics import Diagnostic, Fix
from ..registry import RuleSpec

DEPRECATED = "experimental_relax_shapes"
REPLACEMENT = "reduce_retracing"
REPLACEMENT_SINCE = (2, 9)


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    if not ctx.settings.tensorflow_at_least(REPLACEMENT_SINCE):
        return  # the deprecated keyword is the only one the targeted TensorFlow has
    for call in ctx.hybridizer_calls:
        names = {keyword.arg for keyword in call.keywords}
        for keyword in call.keywords:
            if keyword.arg == DEPRECATED:
                fix = _fix(ctx, rule, keyword, replacement_present=REPLACEMENT in names)
                yield ctx.diagnostic(rule, keyword, fix=fix)


def _fix(ctx: FileContext, rule: RuleSpec, keyword: ast.keyword, replacement_present: bool) -> Fix | None:
    try:
        if replacement_present:
            return ctx.fix(rule, [remove_argument(ctx.source, keyword)], f"Remove `{DEPRECATED}`")
        return ctx.fix(rule, [rename_keyword(ctx.source, keyword, REPLACEMENT)])
    except CodemodError:
        return None
