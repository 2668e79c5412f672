"""``# noqa`` comments, with flake8's semantics (codes match as prefixes)."""

from __future__ import annotations

import io
import re
from functools import cached_property
import tokenize
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

    @cached_property
    def _scanned(self) -> tuple[dict[int, int], dict[int, int] | None]:
        """Tokenising is costly; most files have no findings and never need it."""
        return _scan(self._source.text)

    @property
    def _end_rows(self) -> dict[int, int]:
        return self._scanned[0]

    @property
    def _comment_columns(self) -> dict[int, int] | None:
        return self._scanned[1]

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


_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_LINE_ENDS = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)


def _scan(text: str) -> tuple[dict[int, int], dict[int, int] | None]:
    """Rows that take their noqa from a later row, and each row's comment column (None: untokenizable).

    ``newline=None`` splits on ``\\r`` too, so rows agree with ``SourceFile.line_text``.
    """
    spans: list[tuple[int, int]] = []  # (first row, last row) that share one noqa row
    comments: dict[int, int] = {}
    fstring_starts: list[int] = []
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.start[1]
            elif token.type == tokenize.STRING and token.end[0] > token.start[0]:
                spans.append((token.start[0], token.end[0]))
            elif token.type == _FSTRING_START:
                fstring_starts.append(token.start[0])
            elif token.type == _FSTRING_END and fstring_starts:
                spans.append((fstring_starts.pop(), token.end[0]))
            if previous is not None and previous.type not in _LINE_ENDS and token.start[0] > previous.end[0] \
                    and token.type not in (tokenize.DEDENT, tokenize.ENDMARKER):
                spans.append((previous.end[0], token.start[0]))  # a backslash continuation
            previous = token
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return _end_rows(spans), None
    return _end_rows(spans), comments


def _end_rows(spans: list[tuple[int, int]]) -> dict[int, int]:
    """Map each row of chained spans (a string continued by a backslash, ...) to the chain's last row."""
    rows: dict[int, int] = {}
    for first, last in sorted(spans, reverse=True):  # later spans first, so chains resolve to their end
        end = rows.get(last, last)
        for row in range(first, last):
            rows[row] = max(rows.get(row, row), end)
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
