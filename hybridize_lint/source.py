"""One source file: its bytes, decoded text, syntax trees and positions.

CPython's ``ast`` reports columns as UTF-8 byte offsets, ast-grep as character
indices, and users want 1-based rows and character columns.  Every conversion
between these lives in this module so no check ever does position arithmetic.
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import stat
import tokenize
import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ast_grep_py import SgNode, SgRoot

from .diagnostics import Edit, Position
from .notebook import Notebook, NotebookError, is_notebook_path

MAX_FILE_BYTES = 20 * 1024 * 1024
# A RecursionError while analysing code nested at least this deep is the code's depth, not a bug.
DEEP_NESTING = 100
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LONE_CR = re.compile(r"\r(?!\n)")


class SourceError(Exception):
    """A file that cannot be analysed: HYB001 (unreadable) or HYB002 (syntax)."""

    def __init__(self, code: str, message: str, row: int = 1, column: int = 1):
        super().__init__(message)
        self.code = code
        self.message = message
        self.row = row
        self.column = column

    def __reduce__(self):
        """Picklable with its fields, so worker processes can return it like any result."""
        return (SourceError, (self.code, self.message, self.row, self.column))


@dataclass(frozen=True)
class Span:
    """Half-open range of character offsets into ``SourceFile.text``."""

    start: int
    end: int


class SourceFile:
    """Decoded text of a file plus lazily built ``ast`` and ast-grep trees."""

    def __init__(self, path: Path, text: str, *, encoding: str = "utf-8", bom: bool = False,
                 data: bytes | None = None, notebook: Notebook | None = None):
        self.path = path
        self.text = text  # for a notebook, the module its code cells form
        self.encoding = encoding
        self.bom = bom
        self.data = data  # the bytes read from disk, None for text from elsewhere (or fixed text)
        self.notebook = notebook

    def __getstate__(self) -> dict:
        """Sent to worker processes without what only the parent needs (the bytes to compare
        before writing) or cannot pickle (ast-grep nodes)."""
        state = dict(self.__dict__)
        state["data"] = None
        state.pop("_sg_children", None)
        return state

    # -- reading and writing -------------------------------------------------

    @classmethod
    def read(cls, path: Path) -> "SourceFile":
        try:
            info = path.stat()
            if info.st_size > MAX_FILE_BYTES:
                raise SourceError("HYB001",
                                  f"file is too large to analyse ({info.st_size} bytes, limit {MAX_FILE_BYTES})")
            if stat.S_ISREG(info.st_mode):
                data = path.read_bytes()
            else:  # a pipe or a device (/dev/zero) has no size to trust: read no more than the limit
                with open(path, "rb") as stream:
                    data = stream.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    raise SourceError("HYB001", f"file is too large to analyse (more than {MAX_FILE_BYTES} bytes)")
        except SourceError:
            raise
        except OSError as exc:
            raise SourceError("HYB001", f"cannot read file: {_os_reason(exc)}") from exc
        return cls.from_bytes(path, data)

    @classmethod
    def from_bytes(cls, path: Path, data: bytes) -> "SourceFile":
        if is_notebook_path(path.name):
            try:
                notebook = Notebook.from_bytes(data)
            except NotebookError as exc:
                raise SourceError("HYB001", str(exc)) from exc
            return cls(path, notebook.module_text, data=data, notebook=notebook)
        if b"\x00" in data:
            raise SourceError("HYB001", "file looks binary (contains NUL bytes)")
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            reason = exc.msg if hasattr(exc, "msg") else str(exc)
            if not reason.startswith("invalid or missing encoding declaration"):
                raise SourceError("HYB001", f"cannot decode file: {reason}") from exc
            encoding = "utf-8"  # the first lines are not UTF-8: decoding below says where, not "missing declaration"
        bom = data.startswith(codecs.BOM_UTF8)
        if bom:
            encoding = "utf-8"
        try:
            text = data[len(codecs.BOM_UTF8):].decode(encoding) if bom else data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise SourceError("HYB001", f"cannot decode file as {encoding}: {_decode_reason(exc)}") from exc
        return cls(path, text, encoding=encoding, bom=bom, data=data)

    @classmethod
    def from_text(cls, path: Path, text: str) -> "SourceFile":
        """Text not read from disk (stdin, an editor): a notebook's JSON is read as a notebook."""
        if is_notebook_path(path.name):
            return cls.from_bytes(path, text.encode("utf-8", "surrogatepass"))
        return cls(path, text)

    def encode(self, text: str) -> bytes:
        """Encode new text exactly as the original was stored (codec, BOM); a notebook's module text
        goes back into its cells (raises NotebookError when it cannot)."""
        if self.notebook is not None:
            return self.notebook.render(text)
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data

    def with_text(self, text: str) -> "SourceFile":
        return SourceFile(self.path, text, encoding=self.encoding, bom=self.bom, notebook=self.notebook)

    # -- trees ----------------------------------------------------------------

    @cached_property
    def tree(self) -> ast.Module:
        """The CPython AST; raises SourceError(HYB002) when the file does not parse."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(self.text, filename=str(self.path), type_comments=False)
        except SyntaxError as exc:
            row, column = self._syntax_error_position(exc)
            raise SourceError("HYB002", f"syntax error: {exc.msg}", row, column) from exc
        except (RecursionError, MemoryError) as exc:
            raise SourceError("HYB002", "code is too deeply nested to parse") from exc
        except ValueError as exc:
            raise SourceError("HYB002", f"cannot parse: {exc}") from exc

    @cached_property
    def token_rows(self) -> tuple[dict[int, int], dict[int, int] | None]:
        """From one tokenize pass (costly; most files never need it): rows that end on a later row (a
        multi-line string, a backslash continuation) mapped to that row, and each row's comment column
        (None: the file does not tokenize)."""
        return _scan_tokens(self.text)

    @property
    def comments(self) -> dict[int, str]:
        """Row → the comment on it (its text after ``#``); none when the file does not tokenize."""
        return {row: self.line_text(row)[column + 1:].strip() for row, column in (self.token_rows[1] or {}).items()}

    def parses(self) -> bool:
        try:
            self.tree
        except SourceError:
            return False
        return True

    def release_trees(self) -> None:
        """Free the syntax trees (rebuilt if asked for again): a run keeps summaries, not ASTs."""
        for name in ("tree", "sg_root", "_sg_children"):  # _sg_children holds nodes of the old sg_root
            self.__dict__.pop(name, None)

    @cached_property
    def nesting_depth(self) -> int:
        """Depth of the deepest node of the AST, measured without recursion."""
        deepest, stack = 0, [(self.tree, 1)]
        while stack:
            node, depth = stack.pop()
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
        return deepest

    def raise_if_too_deep(self, exc: BaseException) -> None:
        """Turn a RecursionError caused by deeply nested code into this file's HYB002 finding.

        Code that parses can still be nested too deeply for a recursive analysis (``a + b + ...``
        with a thousand terms). That is a fact about the file, reported like one it cannot parse;
        a RecursionError on shallow code is a bug and is left alone (the caller re-raises it).
        """
        if isinstance(exc, RecursionError) and self.nesting_depth >= DEEP_NESTING:
            raise SourceError("HYB002", f"code is too deeply nested to analyse "
                                        f"(nesting depth {self.nesting_depth})") from exc

    @cached_property
    def sg_root(self) -> SgNode:
        """tree-sitter-python rejects lone-CR line breaks; ``\\n`` is as long, so every offset holds."""
        return SgRoot(_LONE_CR.sub("\n", self.text), "python").root()

    @cached_property
    def tree_sitter_disagrees(self) -> bool:
        """True when tree-sitter sees an error in code CPython accepted.

        Edits are never made on such a file: ast-grep's node boundaries cannot
        be trusted there.
        """
        return self.sg_root.find(kind="ERROR") is not None

    # -- positions ------------------------------------------------------------

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(match.end() for match in _LINE_BREAK.finditer(self.text))
        return starts

    def line_text(self, row: int) -> str:
        """Text of 1-based ``row`` without its line break."""
        starts = self._line_starts
        if row < 1 or row > len(starts):
            return ""
        start = starts[row - 1]
        end = starts[row] if row < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def offset(self, row: int, column: int) -> int:
        """Character offset of a 1-based row and 0-based character column."""
        return self._line_starts[row - 1] + column

    def offset_from_ast(self, lineno: int, col_offset: int) -> int:
        """Character offset of an ``ast`` position (1-based line, UTF-8 byte column)."""
        line = self.line_text(lineno)
        if line.isascii():
            return self.offset(lineno, col_offset)
        prefix = line.encode("utf-8")[:col_offset].decode("utf-8", errors="ignore")
        return self.offset(lineno, len(prefix))

    def position(self, offset: int) -> Position:
        """1-based row and column of a character offset."""
        index = bisect_right(self._line_starts, offset) - 1
        return Position(index + 1, offset - self._line_starts[index] + 1)

    def span_of(self, node: ast.AST) -> Span:
        start = self.offset_from_ast(node.lineno, node.col_offset)
        end = self.offset_from_ast(node.end_lineno, node.end_col_offset)
        return Span(start, end)

    def edit(self, start: int, end: int, content: str) -> Edit:
        return Edit(start, end, content, self.position(start), self.position(end))

    def sg_node_at(self, span: Span, kind: str | None = None) -> SgNode | None:
        """The ast-grep node covering exactly ``span`` (of ``kind`` if given).

        Without ``kind`` the outermost such node is returned.
        """
        node, depth = self.sg_root, 0
        while True:
            rng = node.range()
            exact = rng.start.index == span.start and rng.end.index == span.end
            if exact and node.kind() != "module" and (kind is None or node.kind() == kind):
                return node
            node = self._child_covering(node, (depth, rng.start.index, rng.end.index, node.kind()), span)
            if node is None:
                return None
            depth += 1

    def _child_covering(self, node: SgNode, key: tuple, span: Span) -> SgNode | None:
        """The first child of ``node`` that covers ``span``.

        A module or class body with thousands of statements is searched once per fix: the
        children and their ranges are kept, and found by bisection (linear scans were quadratic).
        """
        cached = self._sg_children.get(key)
        if cached is None:
            children = node.children()
            ranges = [child.range() for child in children]
            starts = [rng.start.index for rng in ranges]
            ends = [rng.end.index for rng in ranges]
            ordered = all(a <= b for a, b in zip(starts, starts[1:])) and all(a <= b for a, b in zip(ends, ends[1:]))
            cached = self._sg_children[key] = (children, starts, ends, ordered)
        children, starts, ends, ordered = cached
        if ordered:  # siblings do not overlap: the first child ending at or after the span is the only candidate
            index = bisect_left(ends, span.end)
            candidates = range(index, len(children)) if index < len(children) and starts[index] <= span.start else ()
        else:
            candidates = range(len(children))
        for index in candidates:
            if starts[index] <= span.start and span.end <= ends[index]:
                return children[index]
            if ordered:
                break
        return None

    @cached_property
    def _sg_children(self) -> dict[tuple, tuple]:
        return {}

    def _syntax_error_position(self, exc: SyntaxError) -> tuple[int, int]:
        row = exc.lineno or 1
        if not exc.offset:
            return row, 1
        # SyntaxError.offset is 1-based; for str input it counts characters.
        return row, max(exc.offset, 1)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or exc.__class__.__name__).lower()


def _decode_reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"{exc.reason} at byte {exc.start}"
    return str(exc)


_FSTRING_START = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)
_LINE_ENDS = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)


def _scan_tokens(text: str) -> tuple[dict[int, int], dict[int, int] | None]:
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
