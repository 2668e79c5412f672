"""Applying fixes: non-overlapping edits, never breaking a file.

Follows ruff's model: apply every non-overlapping fix, re-analyse, repeat up
to a cap (the engine's rounds); if the result no longer parses, revert and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Edit
from .source import SourceFile

MAX_ITERATIONS = 10


@dataclass
class FixOutcome:
    source: SourceFile
    applied: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source.text


def apply_edits(source: SourceFile, edits: list[Edit]) -> str:
    """Apply non-overlapping edits to the file's own text.

    Spliced here rather than by ast-grep, whose copy of the text may differ in line breaks.
    """
    pieces, position = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(source.text[position:edit.start])
        pieces.append(edit.content)
        position = max(position, edit.end)
    pieces.append(source.text[position:])
    return "".join(pieces)


def select_non_overlapping(diagnostics: list[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    """Fixes to apply in this round: deterministic order, overlapping ones deferred."""
    chosen: list[Diagnostic] = []
    taken: list[tuple[int, int]] = []
    chosen_fixes: set[tuple] = set()
    candidates = [d for d in diagnostics if d.fix is not None and d.fix.edits and d.fix.is_applied_with(unsafe)]
    for diagnostic in sorted(candidates, key=lambda d: (d.fix.edits[0].start, d.code)):
        key = _edits_key(diagnostic.fix.edits)
        if key in chosen_fixes:  # the same fix as one chosen (one dehybridization for several findings)
            chosen.append(diagnostic)
            continue
        spans = [(edit.start, edit.end) for edit in diagnostic.fix.edits]
        if any(_overlaps(span, other) for span in spans for other in taken):
            continue
        chosen.append(diagnostic)
        chosen_fixes.add(key)
        taken.extend(spans)
    return chosen


def unique_edits(diagnostics: list[Diagnostic]) -> list[Edit]:
    """The edits of the chosen fixes, each once (several findings may share one fix)."""
    found: dict[tuple[int, int, str], Edit] = {}
    for diagnostic in diagnostics:
        for edit in diagnostic.fix.edits:
            found.setdefault((edit.start, edit.end, edit.content), edit)
    return list(found.values())


def _edits_key(edits) -> tuple:
    return tuple((edit.start, edit.end, edit.content) for edit in edits)


def apply_fixes(source: SourceFile, diagnostics: list[Diagnostic], unsafe: bool) -> FixOutcome:
    """One round: every non-overlapping fix applied at once, or none if the result does not parse.

    Re-linting is the engine's: a fix in one file can change findings in another, so it re-analyses
    the whole project between rounds (``MAX_ITERATIONS`` of them).
    """
    outcome = FixOutcome(source)
    chosen = select_non_overlapping(diagnostics, unsafe)
    if source.tree_sitter_disagrees:
        if chosen:
            outcome.notes.append("no fixes applied: tree-sitter cannot parse this file the way CPython does")
        return outcome
    if not chosen:
        return outcome
    candidate = source.with_text(apply_edits(source, unique_edits(chosen)))
    if not candidate.parses():
        codes = ", ".join(sorted({d.code for d in chosen}))
        outcome.notes.append(f"fix introduced a syntax error ({codes}); reverting all changes, please report")
        return outcome
    outcome.applied, outcome.source = len(chosen), candidate
    return outcome


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only at the same point or strictly inside
        return a[0] == b[0] or b[0] < a[0] < b[1] or a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]
