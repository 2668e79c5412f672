"""A Jupyter notebook seen as one Python module, and the way back.

The code cells, in order, form one module so the analyses see a function defined in one cell and
called in another like code in one file.  Everything that makes a notebook differ from a ``.py``
file is decided here, and only here:

* IPython syntax (``%time``, ``%%capture``, ``!pip``, ``x?``) is replaced, line for line, by a
  placeholder statement, so the rest of the cell parses and every other line keeps its row and
  columns;
* a cell that still does not parse is replaced wholesale by placeholders and reported once;
* cells are joined with a boundary comment, so positions in the module (even after fixes add or
  remove lines) map back to a cell, a row in it, and a line of the ``.ipynb`` file;
* fixed module text is written back by splicing the new ``source`` of the edited cells into the
  original JSON: outputs, metadata, key order, indentation and the final newline are kept byte for
  byte, and the result must validate with nbformat before anything is written.

nbformat reads and validates; the JSON is scanned (``notebook_json``) only to find where each cell's ``source``
value sits in the file.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .diagnostics import Diagnostic, Edit, Fix, Position
from .notebook_json import locate_sources

NOTEBOOK_SUFFIX = ".ipynb"
BOUNDARY = "# hybridize-lint: cell boundary"
PLACEHOLDER = "pass  # hybridize-lint: masked IPython line"
# Cell magics whose body is Python run by IPython; other cell magics (%%bash, %%writefile…) mask the cell.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_MAGIC = re.compile(r"""^\s*(?:[%!?]                              # %magic, !shell, ?help
                         |[\w.\[\]()'"]+\s*\?{1,2}\s*$           # obj? / obj??
                         |[\w.,\[\]\s()*]+=\s*[%!])              # x = !ls, t = %timeit -o f()
                     """, re.VERBOSE)
_BOUNDARY_LINE = re.compile(rf"^{re.escape(BOUNDARY)}(?:\r\n|\r|\n)", re.MULTILINE)
_PLACEHOLDER_LINE = re.compile(rf"^[ \t]*{re.escape(PLACEHOLDER)}(?:\r\n|\r|\n|\Z)", re.MULTILINE)


class NotebookError(ValueError):
    """The notebook cannot be read, or fixed text cannot be written back into it."""


@dataclass(frozen=True)
class CellError:
    """A code cell that does not parse: reported once, at a position inside the cell."""

    cell: int  # 1-based number of the cell in the notebook (markdown cells count)
    message: str
    row: int
    column: int


@dataclass(frozen=True)
class CodeCell:
    number: int  # 1-based position among all the notebook's cells
    source: str  # as nbformat joins it
    masked: tuple[str, ...]  # the original text (no line break) of each placeholder line, in order
    list_form: bool  # "source" is a JSON list of lines (nbformat's way) rather than one string
    value_span: tuple[int, int]  # where the JSON value of "source" sits in the file's text
    line_offsets: tuple[int, ...]  # file offset of each line's string (list form) or of the one string


@dataclass(frozen=True)
class CellPosition:
    cell: int
    row: int
    column: int


class Notebook:
    """One ``.ipynb`` file: its JSON text, its code cells, and the module they form."""

    def __init__(self, text: str, cells: tuple[CodeCell, ...], errors: tuple[CellError, ...], module_text: str):
        self.text = text
        self.cells = cells
        self.errors = errors
        self.module_text = module_text

    # -- reading ---------------------------------------------------------------

    @classmethod
    def from_bytes(cls, data: bytes) -> "Notebook":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotebookError(f"cannot decode notebook as UTF-8: {exc.reason} at byte {exc.start}") from exc
        return cls.from_text(text)

    @classmethod
    def from_text(cls, text: str) -> "Notebook":
        node = _read_validated(text)
        try:
            located = locate_sources(text)
        except (ValueError, RecursionError) as exc:
            raise NotebookError(f"not a notebook: {exc}") from exc
        if len(located) != len(node.cells):
            raise NotebookError("not a notebook: its cells could not be located")
        python = _is_python(node)
        cells, errors, pieces = [], [], []
        for index, (cell, (list_form, span, offsets)) in enumerate(zip(node.cells, located)):
            if cell.get("cell_type") != "code" or not python:
                continue
            source = cell.get("source", "")
            lines, masked, error = _mask(source)
            number = index + 1
            if error is not None:
                errors.append(CellError(number, *error))
            cells.append(CodeCell(number, source, tuple(masked), list_form, span, tuple(offsets)))
            body = "".join(lines)
            if body and not body.endswith(("\n", "\r")):
                body += "\n"
            pieces.append(body)
        return cls(text, tuple(cells), tuple(errors), f"{BOUNDARY}\n".join(pieces))

    # -- positions --------------------------------------------------------------

    def locate(self, module_text: str, position: Position) -> CellPosition | None:
        """The cell, row and column of a 1-based position in ``module_text`` (this notebook's module,
        possibly fixed). None for a position on a cell boundary or outside every cell."""
        starts = _cell_start_rows(module_text)
        index = bisect_right(starts, position.row) - 1
        if index < 0 or index >= len(self.cells):
            return None
        if index + 1 < len(starts) and position.row >= starts[index + 1] - 1:
            return None  # the boundary line itself
        return CellPosition(self.cells[index].number, position.row - starts[index] + 1, position.column)

    def module_position(self, module_text: str, cell: int, row: int, column: int) -> Position:
        """The module position of a position in cell number ``cell``."""
        starts = _cell_start_rows(module_text)
        index = next(i for i, code_cell in enumerate(self.cells) if code_cell.number == cell)
        return Position(starts[index] + row - 1, column)

    def file_position(self, where: CellPosition) -> Position:
        """Where a cell position lies in the ``.ipynb`` file itself (1-based row and column of its JSON)."""
        cell = next(cell for cell in self.cells if cell.number == where.cell)
        lines = _LINE.findall(cell.source) or [""]
        row = min(max(where.row, 1), len(lines))
        if cell.list_form and cell.line_offsets:
            start = cell.line_offsets[min(row, len(cell.line_offsets)) - 1]
            prefix = lines[row - 1][:where.column - 1]
        else:
            start = cell.line_offsets[0] if cell.line_offsets else cell.value_span[0]
            prefix = "".join(lines[:row - 1]) + lines[row - 1][:where.column - 1]
        offset = start + 1 + len(json.dumps(prefix, ensure_ascii=self._ascii)) - 2
        line_index = bisect_right(self._line_starts, offset) - 1
        return Position(line_index + 1, offset - self._line_starts[line_index] + 1)

    def locate_diagnostic(self, module_text: str, diagnostic: Diagnostic) -> Diagnostic:
        """``diagnostic`` with cell-relative positions (and those in the file, for SARIF and GitHub)."""
        start = self.locate(module_text, diagnostic.start)
        if start is None:
            return diagnostic
        end = self.locate(module_text, diagnostic.end)
        if end is None or end.cell != start.cell:
            end = start
        noqa = self.locate(module_text, Position(diagnostic.noqa_row or diagnostic.start.row, 1))
        fix = diagnostic.fix
        if fix is not None:
            fix = Fix(tuple(self._locate_edit(module_text, edit) for edit in fix.edits), fix.applicability, fix.title)
        return Diagnostic(
            diagnostic.code, diagnostic.name, self.cite(module_text, diagnostic.path.name, diagnostic.message),
            diagnostic.path,
            Position(start.row, start.column), Position(end.row, end.column), fix,
            noqa_row=noqa.row if noqa is not None and noqa.cell == start.cell else start.row,
            url=diagnostic.url, cell=start.cell,
            file_start=self.file_position(start), file_end=self.file_position(end))

    def cite(self, module_text: str, name: str, text: str) -> str:
        """``text`` with its references to lines of this notebook (``nb.ipynb:12``, as the analyses
        cite a module line) made cell-relative (``nb.ipynb:cell 3:2``)."""
        if name not in text:
            return text
        pattern = re.compile(rf"(?<![\w.-])((?:[\w.~-]+/)*{re.escape(name)}):(\d+)\b")

        def replace(match: re.Match[str]) -> str:
            where = self.locate(module_text, Position(int(match.group(2)), 1))
            return match.group(0) if where is None else f"{match.group(1)}:cell {where.cell}:{where.row}"

        return pattern.sub(replace, text)

    def _locate_edit(self, module_text: str, edit: Edit) -> Edit:
        start = self.locate(module_text, edit.start_position)
        end = self.locate(module_text, edit.end_position)
        if start is None or end is None:
            return edit
        return Edit(edit.start, edit.end, edit.content, Position(start.row, start.column), Position(end.row, end.column))

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", self.text))]

    @cached_property
    def _ascii(self) -> bool:
        """Whether the file escapes non-ASCII characters (``\\u00e9``) rather than writing them."""
        return self.text.isascii() and "\\u" in self.text

    # -- fixing -----------------------------------------------------------------

    def protected_spans(self, module_text: str) -> list[tuple[int, int]]:
        """Character spans of ``module_text`` no fix may touch: masked lines and cell boundaries."""
        spans = [match.span() for match in _PLACEHOLDER_LINE.finditer(module_text)]
        spans.extend(match.span() for match in _BOUNDARY_LINE.finditer(module_text))
        return sorted(spans)

    def protects(self, module_text: str, edit: Edit) -> bool:
        return _touches(edit, self.protected_spans(module_text))

    def without_unsafe_edits(self, module_text: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Drop the fixes that would touch a masked IPython line or a cell boundary."""
        spans = self.protected_spans(module_text)
        if not spans:
            return diagnostics
        kept = []
        for diagnostic in diagnostics:
            if diagnostic.fix is not None and any(_touches(edit, spans) for edit in diagnostic.fix.edits):
                diagnostic = Diagnostic(diagnostic.code, diagnostic.name, diagnostic.message, diagnostic.path,
                                        diagnostic.start, diagnostic.end, None, noqa_row=diagnostic.noqa_row,
                                        url=diagnostic.url)
            kept.append(diagnostic)
        return kept

    def cell_sources(self, module_text: str) -> list[tuple[CodeCell, str]]:
        """Each code cell with its source as ``module_text`` (possibly fixed) has it."""
        bodies = _BOUNDARY_LINE.split(module_text) if self.cells else []
        if len(bodies) != len(self.cells):
            raise NotebookError("a fix removed or added a cell boundary")
        result = []
        for cell, body in zip(self.cells, bodies):
            result.append((cell, self._unmask(cell, body)))
        return result

    def render(self, module_text: str) -> bytes:
        """The notebook's bytes with ``module_text``'s cells: only edited cells' ``source`` changes."""
        pieces, position = [], 0
        for cell, source in self.cell_sources(module_text):
            if source == cell.source:
                continue
            start, end = cell.value_span
            pieces.append(self.text[position:start])
            pieces.append(self._source_json(cell, source, start, end))
            position = end
        pieces.append(self.text[position:])
        text = "".join(pieces)
        if text != self.text:
            _read_validated(text)  # never write a notebook nbformat would reject
        return text.encode("utf-8")

    def _unmask(self, cell: CodeCell, body: str) -> str:
        originals = iter(cell.masked)
        lines = _LINE.findall(body)
        placeholders = sum(1 for line in lines if line.strip() == PLACEHOLDER)
        if placeholders != len(cell.masked):
            raise NotebookError(f"a fix changed a masked IPython line of cell {cell.number}")
        restored = []
        for line in lines:
            if line.strip() == PLACEHOLDER:
                ending = line[len(line.rstrip("\r\n")):]
                line = next(originals) + ending
            restored.append(line)
        source = "".join(restored)
        if not cell.source.endswith(("\n", "\r")) and source.endswith("\n"):
            source = source[:-1]  # the line break the module needed, not the cell's
        return source

    def _source_json(self, cell: CodeCell, source: str, start: int, end: int) -> str:
        dump = lambda value: json.dumps(value, ensure_ascii=self._ascii)  # noqa: E731
        if not cell.list_form:
            return dump(source)
        lines = _LINE.findall(source)
        original = self.text[start:end]
        if not lines:
            return "[]"
        if "\n" not in original and original != "[]":  # a list on one line stays on one line
            return "[" + ", ".join(dump(line) for line in lines) + "]"
        line_start = self.text.rfind("\n", 0, start) + 1
        key_indent = re.match(r"[ \t]*", self.text[line_start:start]).group(0)
        item = re.search(r"\n([ \t]*)\S", original)
        item_indent = item.group(1) if item else key_indent + _indent_unit(key_indent)
        close = re.search(r"\n([ \t]*)\]\Z", original)
        close_indent = close.group(1) if close else key_indent
        newline = "\r\n" if "\r\n" in self.text else "\n"
        body = f",{newline}".join(item_indent + dump(line) for line in lines)
        return f"[{newline}{body}{newline}{close_indent}]"


def is_notebook_path(name: str) -> bool:
    return name.lower().endswith(NOTEBOOK_SUFFIX)


# -- reading helpers -------------------------------------------------------------


def _read_validated(text: str):
    """The notebook as nbformat reads it, after nbformat's own validation."""
    import nbformat  # imported on first notebook: most runs read none

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            node = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
            if node.get("nbformat", 0) < 4:
                raise NotebookError(f"notebook format {node.get('nbformat')} is not supported (4 or later is)")
            nbformat.validate(node)
    except NotebookError:
        raise
    except nbformat.ValidationError as exc:
        raise NotebookError(f"not a valid notebook: {str(exc.message).splitlines()[0]}") from exc
    except (ValueError, RecursionError, TypeError, AttributeError, KeyError) as exc:
        raise NotebookError(f"not a notebook: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    return node


def _is_python(node) -> bool:
    metadata = node.get("metadata", {})
    language = (metadata.get("language_info") or {}).get("name") or (metadata.get("kernelspec") or {}).get("language")
    return language is None or str(language).lower() in ("python", "python3", "ipython")


def _indent_unit(key_indent: str) -> str:
    """The file's indentation step, from the ``"source"`` key's depth (3: root, cells list, cell)."""
    return key_indent[: max(len(key_indent) // 3, 1)] if key_indent else " "


_BREAK = re.compile(r"\r\n|\r|\n")


# -- masking ----------------------------------------------------------------------


def _parses(text: str) -> SyntaxError | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError, MemoryError) as exc:
        return SyntaxError(str(exc))
    return None


def _mask(source: str) -> tuple[list[str], list[str], tuple[str, int, int] | None]:
    """The cell's lines with IPython syntax replaced by placeholders, the replaced lines, and the
    cell's syntax error (message, row, column) when it does not parse even so."""
    lines = _LINE.findall(source)
    if _parses(source) is None:
        return lines, [], None
    first = lines[0].strip() if lines else ""
    masked_rows: set[int] = set()
    body = 0
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:  # %%bash, %%writefile…: not Python at all
            body = len(lines)
        masked_rows = set(range(max(body, 1)))
        body = max(body, 1)
    continued = False
    for row, line in enumerate(lines[body:], start=body):
        if continued or _MAGIC.match(line):
            masked_rows.add(row)
            continued = line.rstrip("\r\n").endswith("\\")
    whole = len(masked_rows) == len(lines)
    result = [_placeholder(line, whole) if row in masked_rows else line for row, line in enumerate(lines)]
    error = _parses("".join(result))
    if error is None:
        return result, [lines[row].rstrip("\r\n") for row in sorted(masked_rows)], None
    reported = ("syntax error: " + (error.msg or "invalid syntax"), error.lineno or 1, max(error.offset or 1, 1))
    return [_placeholder(line, True) for line in lines], [line.rstrip("\r\n") for line in lines], reported


def _placeholder(line: str, at_margin: bool) -> str:
    body = line.rstrip("\r\n")
    indent = "" if at_margin else body[:len(body) - len(body.lstrip(" \t"))]
    return indent + PLACEHOLDER + line[len(body):]


def _touches(edit: Edit, spans: list[tuple[int, int]]) -> bool:
    for start, end in spans:
        if edit.start < end and edit.end > start and not (edit.start == edit.end == start):
            return True
        if start < edit.start == edit.end < end:
            return True
    return False


@lru_cache(maxsize=16)  # asked for every position of every finding of the same text
def _cell_start_rows(module_text: str) -> tuple[int, ...]:
    """1-based module row of each cell's first line."""
    rows, row = [1], 1
    for match in _BOUNDARY_LINE.finditer(module_text):
        row = len(_BREAK.findall(module_text, 0, match.start())) + 1  # the boundary's own row
        rows.append(row + 1)
    return tuple(rows)
