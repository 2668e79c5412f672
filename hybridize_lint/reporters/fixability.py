"""Whether a diagnostic's fix would be applied, and the counts and markers built on that.

One marker scheme everywhere (``check`` lines, ``--statistics``, ``rules``):

* ``[*]``: ``--fix`` applies the fix (a safe fix, or an unsafe one when unsafe fixes are on);
* ``[~]``: there is a fix, but it is unsafe: ``--fix --unsafe-fixes`` applies it;
* no marker: no automatic fix.

Deciding it in one place keeps the markers and the summary in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..diagnostics import Applicability, Diagnostic
from .options import ReportOptions


def is_applicable(diagnostic: Diagnostic, options: ReportOptions) -> bool:
    """True when ``--fix`` (plus ``--unsafe-fixes`` if given) would apply the fix."""
    return diagnostic.fix is not None and diagnostic.fix.is_applied_with(options.unsafe_fixes)


APPLIED, UNSAFE, NONE = "[*]", "[~]", ""
LEGEND = "[*] fixed by `--fix`; [~] unsafe fix, applied with `--fix --unsafe-fixes`"


def marker(diagnostic: Diagnostic, options: ReportOptions) -> str:
    if is_applicable(diagnostic, options):
        return APPLIED
    if diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.UNSAFE:
        return UNSAFE
    return NONE


def rule_marker(applicability: Applicability | None) -> str:
    """A rule's marker in ``rules``: what ``--fix`` does with its fixes by default."""
    return {Applicability.SAFE: APPLIED, Applicability.UNSAFE: UNSAFE}.get(applicability, NONE)


@dataclass(frozen=True)
class FixCounts:
    applicable: int
    hidden_unsafe: int  # unsafe fixes that --unsafe-fixes would enable


def count_fixes(diagnostics: Iterable[Diagnostic], options: ReportOptions) -> FixCounts:
    applicable = hidden = 0
    for diagnostic in diagnostics:
        if diagnostic.fix is None:
            continue
        if is_applicable(diagnostic, options):
            applicable += 1
        elif diagnostic.fix.applicability is Applicability.UNSAFE:
            # Display-only fixes never become applicable, so ruff does not hint at them.
            hidden += 1
    return FixCounts(applicable, hidden)
