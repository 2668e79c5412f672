"""The values every stage exchanges: positions, edits, fixes and diagnostics.

Kept free of behaviour so the engine, the reporters and the integrations can
share them without importing each other.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


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

    @property
    def sort_key(self) -> tuple:
        return (str(self.path), self.start.row, self.start.column, self.code)


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
