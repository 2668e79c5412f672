"""HYB102–HYB107 (side effects a graph function performs itself) and HYB110 (through callees)."""

from __future__ import annotations

from typing import Iterator

from ..analysis.side_effects import passes_python_iterator
from ..analysis.summary import Effect, FunctionSummary
from ..context import FileContext
from ..diagnostics import Diagnostic
from ..registry import RuleSpec


def own_effects(ctx: FileContext, code: str) -> Iterator[tuple[FunctionSummary, Effect]]:
    """Effects with ``code`` in the bodies of this file's graph roots.

    Inside a root every effect counts, also those on parameters: the caller's
    objects live outside the traced function.
    """
    for function, root in ctx.graph_roots():
        for effect in function.effects:
            if effect.code == code and _happens(ctx, function, effect):
                yield function, effect


def _happens(ctx: FileContext, function: FunctionSummary, effect: Effect) -> bool:
    """Effects conditional on the argument's type need a caller that passes such an argument."""
    if effect.target is None or not effect.target.startswith("iterparam:"):
        return True
    param = effect.target.split(":", 1)[1]
    project = ctx.project
    for caller, site in project.callers.get((ctx.module, function.qualname), []):
        for target in (t for ref in site.callees for t in project.resolve_ref(ref)):
            if target.function == (ctx.module, function.qualname) and passes_python_iterator(project, target, site, param):
                return True
    return False


def direct_effects(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for function, effect in own_effects(ctx, rule.code):
        yield ctx.diagnostic(rule, effect.loc, what=effect.what, function=function.qualname)


def callee_effects(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """One finding per call in graph code whose callee (not itself a root) has side effects."""
    project = ctx.project
    analysis = project.side_effects
    for function, root in ctx.graph_roots():
        caller = (ctx.module, function.qualname)
        for site, targets in project.call_graph.get(caller, []):
            if site.passed:
                continue
            targets = [t for t in targets if t.function not in project.graph_roots]
            witness = analysis.call_effect(caller, site, targets) if targets else None
            if witness is not None:
                yield ctx.diagnostic(rule, site.loc, function=function.qualname,
                                     chain=" → ".join((function.qualname, witness.describe())),
                                     callee=witness.chain[0])
