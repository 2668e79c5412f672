"""Verdicts of ``pytest --hybridize-verify`` on the hybridization proposals, kept in the analysis cache.

A verdict is keyed by the content of the function it is about (its ``def`` and body, not its
decorators), so editing the function drops it. ``check`` adds it to the finding's message and does not
fix a refuted proposal; ``explain`` shows it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR_NAME

VERDICTS_FILE = "verdicts.json"
VERIFIED_CODES = ("HYB301", "HYB302", "HYB401", "HYB402")


@dataclass(frozen=True)
class TestVerdict:
    status: str  # confirmed, refuted, not-exercised
    code: str
    qualname: str
    speedup: float | None = None
    test: str | None = None
    error: str | None = None

    def describe(self) -> str:
        if self.status == "confirmed":
            return "confirmed by tests" + (f": {self.speedup:.1f}× faster per call" if self.speedup else "")
        if self.status == "refuted":
            return f"refuted by tests: {self.test} fails with it: {self.error}"
        return "not exercised by the tests"


def function_key(text: str, line: int) -> str | None:
    """A hash of the function whose ``def`` (or a decorator of it) is at ``line``, decorators excluded."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    lines = text.splitlines(keepends=True)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            if first <= line <= node.lineno:
                body = "".join(lines[node.lineno - 1:node.end_lineno])
                return hashlib.sha256(body.encode()).hexdigest()[:24]
    return None


def _path(root: Path) -> Path:
    return root / CACHE_DIR_NAME / VERDICTS_FILE


def load(root: Path) -> dict[tuple[str, str], TestVerdict]:
    """Verdicts by (code, function key); empty when the project has none."""
    try:
        entries = json.loads(_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    verdicts = {}
    for key, entry in entries.items() if isinstance(entries, dict) else ():
        try:
            code, _, digest = key.partition(":")
            verdicts[(code, digest)] = TestVerdict(**entry)
        except TypeError:
            continue
    return verdicts


def store(root: Path, verdicts: dict[tuple[str, str], TestVerdict]) -> None:
    """Add ``verdicts`` to the project's, replacing those of the same functions (atomic write)."""
    path = _path(root)
    path.parent.mkdir(exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    current = {f"{code}:{digest}": vars(verdict) for (code, digest), verdict in load(root).items()}
    current.update({f"{code}:{digest}": vars(verdict) for (code, digest), verdict in verdicts.items()})
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".verdicts-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(current, stream, indent=1)
    os.replace(temporary, path)


def annotate(diagnostics: list, text: str, verdicts: dict[tuple[str, str], TestVerdict]) -> list:
    """The findings with their verdicts: in the message, and a refuted proposal loses its fix."""
    if not verdicts:
        return diagnostics
    from dataclasses import replace

    annotated = []
    for diagnostic in diagnostics:
        verdict = None
        if diagnostic.code in VERIFIED_CODES:
            verdict = verdicts.get((diagnostic.code, function_key(text, diagnostic.start.row)))
        if verdict is not None:
            diagnostic = replace(diagnostic, message=f"{diagnostic.message} ({verdict.describe()})",
                                 fix=None if verdict.status == "refuted" else diagnostic.fix)
        annotated.append(diagnostic)
    return annotated
