"""Multi-file projects on disk, linted through the public engine.

``lint(tmp_path, {"pkg/a.py": "...", ...})`` writes the files (dedented, a
leading newline dropped so the first code line is row 1) next to a
``pyproject.toml`` with a ``[tool.hybridize-lint]`` table, runs the linter
on the directory and returns the findings as ``(path, row, code)`` triples.

The project selects the rules these tests are about — the side effects
(HYB1xx) and the graph-mode errors HYB501/HYB502 — so rules added later
(performance advice and the like) do not change the expected sets.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions


@dataclass(frozen=True)
class Finding:
    path: str
    row: int
    column: int
    code: str
    message: str

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.path, self.row, self.code)


def source(text: str) -> str:
    return textwrap.dedent(text).removeprefix("\n")


SELECT = 'select = ["HYB1", "HYB501", "HYB502"]\n'


def write_files(root: Path, files: dict[str, str]) -> Path:
    """``files`` (relative path → text, through ``source``) under ``root``; no ``pyproject.toml``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source(text), encoding="utf-8")
    return root


def write_project(root: Path, files: dict[str, str], settings: str = SELECT) -> Path:
    """A project: ``files`` under ``root`` and a ``pyproject.toml`` whose ``[tool.hybridize-lint]``
    table holds ``settings`` (TOML lines; ``""`` for the defaults)."""
    write_files(root, {"pyproject.toml": "[tool.hybridize-lint]\n" + settings, **files})
    return root


def run(root: Path, files: dict[str, str], settings: str = SELECT) -> list[Finding]:
    """Every diagnostic of the project, sorted by path and position."""
    project = write_project(root / "project", files, settings)
    report = Linter(SettingsResolver()).run([project], RunOptions(use_cache=False))
    assert not report.internal_errors, report.internal_errors
    found = [Finding(d.path.relative_to(project).as_posix(), d.start.row, d.start.column, d.code, d.message)
             for d in report.diagnostics]
    return sorted(found, key=lambda f: (f.path, f.row, f.column, f.code))


def lint(root: Path, files: dict[str, str], settings: str = SELECT) -> set[tuple[str, int, str]]:
    """The findings as ``(relative path, row, code)``."""
    return {finding.key for finding in run(root, files, settings)}


def chain(finding: Finding) -> str:
    """The chain a HYB110 message ends with (``f → g → print``)."""
    message = finding.message.split(" (no automatic fix: ", 1)[0]  # why a Keras step has no fix
    _, marker, tail = message.partition("not on every call (")
    assert marker and tail.endswith(")"), finding.message
    return tail[:-1]

