"""flake8 shell over the engine (entry point ``HYB``).

flake8 owns selection, per-file ignores and ``# noqa``; this plugin only
reports.  Each worker process builds the project model once (from the shared
on-disk summary cache) and reuses it for every file it is handed.
"""

from __future__ import annotations

import argparse
import ast
import gc
import sys
from pathlib import Path
from typing import Iterator

from . import __version__
from .config import ANALYSIS_KEYS, ConfigError, SettingsResolver, longest_prefix
from .diagnostics import Diagnostic
from .engine import Linter, project_anchor
from .loading import Project
from .source import SourceError, SourceFile

_linter: Linter | None = None
_projects: "Flake8Projects | None" = None
_reported_config_errors: set[str] = set()


def _shared_linter() -> Linter:
    global _linter
    if _linter is None:
        _linter = Linter(SettingsResolver(only_keys=ANALYSIS_KEYS))
    return _linter


def _shared_projects() -> "Flake8Projects":
    global _projects
    if _projects is None:
        _projects = Flake8Projects(_shared_linter())
    return _projects


class Flake8Projects:
    """flake8 hands a worker one file at a time: the worker loads each project once (from the
    shared on-disk summary cache), keeps it, and checks every file it is handed against it."""

    def __init__(self, linter: Linter):
        self.linter = linter
        self._projects: dict[Path, Project] = {}

    def diagnostics(self, path: Path, text: str) -> list[Diagnostic]:
        """Every finding for one file, unfiltered: flake8 does selection and noqa itself."""
        settings = self.linter.resolver.for_path(path, fallback_root=project_anchor(path))
        source = SourceFile(path, text)
        try:
            source.tree
        except SourceError:
            return []  # flake8 reports syntax errors itself (E999)
        project = self._projects.get(settings.root)
        if project is None:
            project, _ = self.linter.loader.load(settings, {}, use_cache=True)
            project.session.prepare_for_checks()
            gc.freeze()  # the model lives as long as the worker: later collections need not scan it
            self._projects[settings.root] = project
        try:
            return self.linter.check_in_project(source, project)
        except SourceError as error:  # too deeply nested to analyse: one finding, not a crashed flake8
            diagnostic = self.linter.source_error(path, error, settings)
            return [diagnostic] if diagnostic else []


def _default_off_codes() -> frozenset[str]:
    return frozenset(rule.code for rule in _shared_linter().rules if not rule.default_enabled)


class HybridizeChecker:
    name = "hybridize-lint"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]):
        self.filename = filename
        self.lines = lines

    # Rules off by default that flake8's --select/--extend-select name more precisely than "HYB".
    _selected_default_off: frozenset[str] = frozenset()

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Fail once, in one line, on a broken ``[tool.hybridize-lint]`` before any file is checked."""
        try:
            _shared_linter().resolver.for_path(Path.cwd())
        except ConfigError as error:
            print(f"hybridize-lint: error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        prefixes = [*(getattr(options, "select", None) or ()), *(getattr(options, "extend_select", None) or ())]
        cls._selected_default_off = frozenset(
            rule.code for rule in _shared_linter().rules
            if not rule.default_enabled and (longest_prefix(rule.code, prefixes) or 0) > len("HYB"))

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        path = Path("stdin.py") if self.filename in ("-", "stdin") else Path(self.filename)
        unreadable = self._undecodable(path)
        if unreadable is not None:
            yield 1, 0, f"HYB001 {unreadable}", type(self)
            return
        try:
            diagnostics = _shared_projects().diagnostics(path, "".join(self.lines))
        except ConfigError as error:  # a nested project's config; report it once, not per file
            if str(error) not in _reported_config_errors:
                _reported_config_errors.add(str(error))
                print(f"hybridize-lint: error: {error}", file=sys.stderr)
            return
        for diagnostic in diagnostics:
            if diagnostic.code in _default_off_codes() and diagnostic.code not in self._selected_default_off:
                continue  # as in the CLI: a rule off by default runs only when selected by name
            yield diagnostic.start.row, diagnostic.start.column - 1, f"{diagnostic.code} {diagnostic.message}", type(self)

    @staticmethod
    def _undecodable(path: Path) -> str | None:
        """flake8 silently falls back to latin-1 for undecodable files; we report them (HYB001)."""
        if not path.is_file():
            return None
        try:
            SourceFile.read(path)
        except SourceError as error:
            return error.message if error.code == "HYB001" else None
        return None
