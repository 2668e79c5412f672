"""Whether a diagnostic's fix would be applied, and the counts built on that.

Text and statistics both mark fixable diagnostics and count hidden unsafe
fixes; deciding it in one place keeps ``[*]`` and the summary in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..diagnostics import Applicability, Diagnostic
from .options import ReportOptions


def is_applicable(diagnostic: Diagnostic, options: ReportOptions) -> bool:
    """True when ``--fix`` (plus ``--unsafe-fixes`` if given) would apply the fix."""
    return diagnostic.fix is not None and diagnostic.fix.is_applied_with(options.unsafe_fixes)


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
