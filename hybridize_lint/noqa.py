"""``# noqa`` comments, with flake8's semantics (codes match as prefixes)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .source import SourceFile

# flake8's pattern: "# noqa", "# noqa: HYB101", "# noqa:HYB1,HYB204".
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class NoqaDirective:
    codes: tuple[str, ...] | None  # None: blanket noqa

    def suppresses(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(prefix) for prefix in self.codes)


class NoqaIndex:
    """Directives per row, and where a diagnostic's ``# noqa`` must go."""

    def __init__(self, source: SourceFile):
        self._source = source
        self._string_end_rows = _multiline_string_end_rows(source.text)

    def noqa_row(self, row: int) -> int:
        """A line inside a multi-line string takes its noqa from the string's last line, as ruff does."""
        return self._string_end_rows.get(row, row)

    def directive(self, row: int) -> NoqaDirective | None:
        match = NOQA.search(self._source.line_text(row))
        if match is None:
            return None
        codes = match.group("codes")
        return NoqaDirective(tuple(code.upper() for code in _CODE.findall(codes)) if codes else None)

    def is_suppressed(self, diagnostic: Diagnostic) -> bool:
        directive = self.directive(self.noqa_row(diagnostic.start.row))
        return directive is not None and directive.suppresses(diagnostic.code)


def _multiline_string_end_rows(text: str) -> dict[int, int]:
    rows: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                for row in range(token.start[0], token.end[0]):
                    rows[row] = token.end[0]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return rows


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
        match = NOQA.search(line)
        if match and match.group("codes") is None:
            continue  # a blanket noqa already covers everything
        if match:
            existing = [code.upper() for code in _CODE.findall(match.group("codes"))]
            merged = existing + sorted(codes - set(existing))
            edits.append(source.edit(start + match.start(), start + match.end(), f"# noqa: {', '.join(merged)}"))
        else:
            edits.append(source.edit(start + len(line), start + len(line), f"  # noqa: {', '.join(sorted(codes))}"))
    return edits
