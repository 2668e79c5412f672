"""HYB102–HYB107 (side effects a graph function performs itself) and HYB110 (through callees)."""

from __future__ import annotations

from typing import Iterator

from ..analysis.summary import Effect
from ..context import FileContext
from ..diagnostics import Diagnostic
from ..fixes.counters import to_variable
from ..fixes.dehybridize import with_dehybridization
from ..registry import RuleSpec
from .graph_code import escapes, own_effects, traced_roots


def direct_effects(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    for function, effect in own_effects(ctx, rule.effect):
        diagnostic = ctx.diagnostic(rule, effect.loc, what=effect.what, function=function.qualname)
        yield with_dehybridization(ctx, rule, diagnostic, (ctx.module, function.qualname))


def global_writes(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB103: a module-level counter becomes a ``tf.Variable`` where every use allows it
    (:mod:`hybridize_lint.fixes.counters`); other writes get the dehybridize fix."""
    for function, effect in own_effects(ctx, rule.effect):
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
    analysis = ctx.analyses.side_effects
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
