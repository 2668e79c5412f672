"""The pure API: lint paths (or a text) and get a :class:`RunReport`.

``lint`` reads files and may use the analysis cache, but writes no source file and keeps no state
between calls: with ``RunOptions(fix=True)`` the report holds each file's fixed text, and
``writing.write_fixes(report)`` is what puts it on disk. The CLI (``check``, ``--fix``,
``--add-noqa``, the pre-commit hooks that run it) is a shell over these two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .config import SettingsResolver
from .diagnostics import RunReport
from .engine import Linter, RunOptions

__all__ = ["RunOptions", "RunReport", "lint", "lint_text"]


def lint(paths: Iterable[Path], settings: SettingsResolver | None = None,
         options: RunOptions = RunOptions()) -> RunReport:
    """Findings (and, with ``options.fix``, fixes) for files and directories, each in its project."""
    return Linter(settings).run([Path(path) for path in paths], options)


def lint_text(path: Path, text: str, settings: SettingsResolver | None = None,
              options: RunOptions = RunOptions()) -> RunReport:
    """The same for text that is not on disk (an editor buffer, stdin), linted as ``path`` in its project."""
    return Linter(settings).run_source(Path(path), text, options)
