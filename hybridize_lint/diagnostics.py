"""The values every stage exchanges: positions, edits, fixes and diagnostics.

Kept free of behaviour so the engine, the reporters and the integrations can
share them without importing each other.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class Applicability(str, enum.Enum):
    """How much a fix can be trusted, in ruff's terms."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based row and 1-based column counted in characters."""

    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the characters ``start:end`` of a file's text with ``content``."""

    start: int
    end: int
    content: str
    start_position: Position
    end_position: Position


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    def is_applied_with(self, unsafe: bool) -> bool:
        if self.applicability is Applicability.SAFE:
            return True
        return unsafe and self.applicability is Applicability.UNSAFE


@dataclass(frozen=True)
class Diagnostic:
    """One finding. The message never repeats the code; reporters add it."""

    code: str
    name: str
    message: str
    path: Path
    start: Position
    end: Position
    fix: Fix | None = None
    noqa_row: int | None = None
    url: str | None = None
    # In a notebook, ``start``/``end``/``noqa_row`` count from the first line of code cell ``cell``
    # (1-based among all the notebook's cells), and ``file_start``/``file_end`` locate the finding
    # in the ``.ipynb`` file's own lines (SARIF and GitHub annotations point there).
    cell: int | None = None
    file_start: Position | None = None
    file_end: Position | None = None

    @property
    def sort_key(self) -> tuple:
        return (str(self.path), self.cell or 0, self.start.row, self.start.column, self.code)

    @property
    def where(self) -> str:
        """``row:column``, after ``cell N:`` in a notebook: the text format's position."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{cell}{self.start.row}:{self.start.column}"


class OriginalFile(Protocol):
    """What the fix writer needs of a file as it was read (``source.SourceFile`` is one)."""

    path: Path
    data: bytes | None

    def encode(self, text: str) -> bytes: ...


@dataclass
class FileReport:
    """What the engine learnt about one file."""

    path: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed_count: int = 0
    changed: bool = False
    original_text: str | None = None
    fixed_text: str | None = None
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the tool could not do its job here
    unfixed_diagnostics: list[Diagnostic] = field(default_factory=list)  # before any fix was applied
    # For a notebook: the original and fixed source of each code cell that changed (``--diff``).
    changed_cells: list[tuple[int, str, str]] = field(default_factory=list)
    added_noqa: int = 0  # how many noqa directives --add-noqa added
    root: Path | None = None  # the project's root: paths in messages are relative to it
    # The file as it was read (a SourceFile: its bytes and encoding), for the fix writer; None for
    # a file that could not be read or that came from stdin.
    original: "OriginalFile | None" = field(default=None, repr=False, compare=False)


@dataclass
class RunReport:
    """The outcome of one engine run over many files."""

    files: list[FileReport] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        found = [d for report in self.files for d in report.diagnostics]
        return sorted(found, key=lambda d: d.sort_key)

    @property
    def fixed_count(self) -> int:
        return sum(report.fixed_count for report in self.files)
