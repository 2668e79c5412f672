"""``# noqa`` comments, with flake8's semantics (codes match as prefixes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .source import SourceFile

# flake8's pattern: "# noqa", "# noqa: HYB101", "# noqa:HYB1,HYB204".
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
_TRAILING_SEPARATORS = re.compile(r"[,\s]+$")


@dataclass(frozen=True)
class NoqaDirective:
    codes: tuple[str, ...] | None  # None: blanket noqa

    def suppresses(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(prefix) for prefix in self.codes)


class NoqaIndex:
    """Directives per row, and where a diagnostic's ``# noqa`` must go."""

    def __init__(self, source: SourceFile):
        self._source = source

    @property
    def _end_rows(self) -> dict[int, int]:
        return self._source.token_rows[0]

    @property
    def _comment_columns(self) -> dict[int, int] | None:
        return self._source.token_rows[1]

    def noqa_row(self, row: int) -> int:
        """A line inside a multi-line string or a backslash continuation takes its noqa from the
        last line, as ruff does: no comment can follow a backslash."""
        return self._end_rows.get(row, row)

    def match(self, row: int) -> re.Match[str] | None:
        """The directive on ``row``, looked for in its comment only: `"# noqa"` in a string is data."""
        line = self._source.line_text(row)
        if self._comment_columns is None:  # not tokenizable: search the whole line, as flake8 does
            return NOQA.search(line)
        column = self._comment_columns.get(row)
        return None if column is None else NOQA.search(line, column)

    def directive(self, row: int) -> NoqaDirective | None:
        match = self.match(row)
        if match is None:
            return None
        codes = match.group("codes")
        return NoqaDirective(tuple(code.upper() for code in _CODE.findall(codes)) if codes else None)

    def is_suppressed(self, diagnostic: Diagnostic) -> bool:
        directive = self.directive(self.noqa_row(diagnostic.start.row))
        return directive is not None and directive.suppresses(diagnostic.code)


def add_noqa_edits(source: SourceFile, diagnostics: list[Diagnostic]):
    """Edits that append (or extend) ``# noqa: CODES`` on each affected line."""
    index = NoqaIndex(source)
    by_row: dict[int, set[str]] = {}
    for diagnostic in diagnostics:
        by_row.setdefault(index.noqa_row(diagnostic.start.row), set()).add(diagnostic.code)
    edits = []
    for row, codes in sorted(by_row.items()):
        line = source.line_text(row)
        start = source.offset(row, 0)
        match = index.match(row)
        if match and match.group("codes") is None:
            continue  # a blanket noqa already covers everything
        if match:
            existing = [code.upper() for code in _CODE.findall(match.group("codes"))]
            merged = existing + sorted(codes - set(existing))
            # The pattern's codes swallow trailing separators; keep them, e.g. before `  # other comment`.
            end = match.start("codes") + len(_TRAILING_SEPARATORS.sub("", match.group("codes")))
            edits.append(source.edit(start + match.start(), start + end, f"# noqa: {', '.join(merged)}"))
        else:
            edits.append(source.edit(start + len(line), start + len(line), f"  # noqa: {', '.join(sorted(codes))}"))
    return edits
