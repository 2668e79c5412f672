"""flake8 shell over the engine (entry point ``HYB``).

flake8 owns selection, per-file ignores and ``# noqa``; this plugin only
reports.  Each worker process builds the project model once (from the shared
on-disk summary cache) and reuses it for every file it is handed.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

from . import __version__
from .config import ANALYSIS_KEYS, SettingsResolver
from .engine import Linter

_linter: Linter | None = None


def _shared_linter() -> Linter:
    global _linter
    if _linter is None:
        _linter = Linter(SettingsResolver(only_keys=ANALYSIS_KEYS))
    return _linter


class HybridizeChecker:
    name = "hybridize-lint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]):
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if self.filename in ("-", "stdin"):
            path = Path("stdin.py")
        else:
            path = Path(self.filename)
        for diagnostic in _shared_linter().diagnostics_for_flake8(path, "".join(self.lines)):
            yield diagnostic.start.row, diagnostic.start.column - 1, f"{diagnostic.code} {diagnostic.message}", type(self)
