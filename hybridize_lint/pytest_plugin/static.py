"""The static side: what ``hybridize-lint check`` says about the project, through the engine's public API.

Run-time observations are matched to findings at the same place: an effect to the HYB1xx rule of its kind
at its line (or to HYB110 at the line of the traced function that called into it), a retrace to the
HYB2xx rule of its cause at its call site (or HYB402 at the function's ``def``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine is imported only where it lints: the test process need not load it
    from ..diagnostics import Diagnostic

EFFECT_CODES = {
    "print": ("HYB101",), "logging": ("HYB102",), "io": ("HYB102",), "random": ("HYB106",), "time": ("HYB106",),
    "global-write": ("HYB103",), "nonlocal-write": ("HYB103",), "attribute-write": ("HYB104",),
    "container-mutation": ("HYB105",),
}
RETRACE_CODES = {  # at the call site
    "python-value": ("HYB201",), "shape": ("HYB203",), "dtype": ("HYB203", "HYB205"), "type": ("HYB201", "HYB205"),
    "structure": ("HYB205",), "object-identity": ("HYB205",), "new-function": ("HYB202",),
}
DEF_LINE_RETRACE_CODES = ("HYB402",)
RUNTIME_CODES = {code for codes in (*EFFECT_CODES.values(), *RETRACE_CODES.values()) for code in codes} | {
    "HYB110", "HYB402"}
PROPOSAL_CODES = ("HYB301", "HYB302", "HYB401", "HYB402")


@dataclass(frozen=True)
class Finding:
    code: str
    file: str  # relative to the root, with "/"
    line: int
    message: str
    diagnostic: "Diagnostic | None"  # None when computed in another process


def lint_project(root: Path, include_tests: bool = False) -> list[Finding]:
    """Every finding of the project at ``root``, in its own configuration (as ``hybridize-lint check``).

    ``include_tests``: also what test code does (``hybridize-tests = true``). The audit watches the
    tests run, so the retracing their calls cause is what it matches; by default the linter leaves
    the literal values tests pass out of its retracing advice.
    """
    from ..config import SettingsResolver
    from ..engine import Linter, RunOptions

    linter = Linter(SettingsResolver(inline={"hybridize-tests": True}) if include_tests else None)
    linter.use_verdicts = False  # verify re-tests refuted proposals too
    report = linter.run([root], RunOptions())
    findings = []
    for diagnostic in report.diagnostics:
        try:
            relative = diagnostic.path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        findings.append(Finding(diagnostic.code, relative, diagnostic.start.row, diagnostic.message, diagnostic))
    return findings


def _findings_rows(root: str) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.file, f.line, f.message) for f in lint_project(Path(root), include_tests=True)]


class BackgroundLint:
    """``lint_project`` in a separate process started with the test run, so it costs no wall time at the end.

    Started with ``spawn``: the test process has imported TensorFlow, whose threads a fork would not survive.
    """

    def __init__(self, root: Path):
        import multiprocessing

        self._pool = multiprocessing.get_context("spawn").Pool(1)
        self._result = self._pool.apply_async(_findings_rows, (str(root),))

    def findings(self, timeout: float = 900) -> list[Finding]:
        try:
            rows = self._result.get(timeout)
        finally:
            self._pool.terminate()
        return [Finding(code, file, line, message, None) for code, file, line, message in rows]

    def cancel(self) -> None:
        self._pool.terminate()


class Matcher:
    """Finds the static finding for a run-time observation, and remembers which findings were seen."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self._at: dict[tuple[str, int], list[Finding]] = {}
        for finding in findings:
            self._at.setdefault((finding.file, finding.line), []).append(finding)
        self.seen: set[int] = set()

    def _match(self, where: str | None, codes) -> list[Finding]:
        if not where:
            return []
        file, _, line = where.rpartition(":")
        found = [finding for finding in self._at.get((file, int(line)), []) if finding.code in codes]
        self.seen.update(id(finding) for finding in found)
        return found

    def effect(self, effect: dict) -> dict:
        found = self._match(effect["where"], EFFECT_CODES.get(effect["kind"], ()))
        found += self._match(effect.get("via"), ("HYB110",))
        return _status(found)

    def retrace_cause(self, change: dict, call_site: str | None, function_def: str) -> dict:
        found = self._match(call_site, RETRACE_CODES.get(change["kind"], ()))
        if change["kind"] in ("python-value", "type"):
            found += self._match(function_def, DEF_LINE_RETRACE_CODES)
        return _status(found)

    def not_observed(self) -> list[Finding]:
        return [finding for finding in self.findings
                if finding.code in RUNTIME_CODES and id(finding) not in self.seen]


def _status(found: list[Finding]) -> dict:
    if found:
        return {"status": "confirmed", "codes": sorted({finding.code for finding in found})}
    return {"status": "runtime-only", "codes": []}


def function_at(path: Path, line: int) -> str | None:
    """The qualified name of the function whose ``def`` (or a decorator of it) is at ``line``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None

    def visit(body, prefix: str) -> str | None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + node.name
                first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
                if not isinstance(node, ast.ClassDef) and first <= line <= node.lineno:
                    return name
                inner = visit(node.body, name + (".<locals>." if not isinstance(node, ast.ClassDef) else "."))
                if inner:
                    return inner
        return None

    return visit(tree.body, "")
