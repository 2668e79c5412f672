"""Where a run-time event happened, in the project's own source.

Every event the audit sees (a ``print``, an ``open``, a retracing call) happens deep inside the standard
library, TensorFlow or AutoGraph. This module walks the stack to the frame that is the project's code and
turns it into ``file:line``; frames of code AutoGraph generated are mapped back to the line they came from.
"""

from __future__ import annotations

import gc
import os
import sysconfig
from dataclasses import dataclass
from types import CodeType, FrameType, FunctionType

USER, GENERATED, TRANSPARENT, OTHER = "user", "generated", "transparent", "other"
_PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))
_AUTOGRAPH_CALLS = tuple(os.path.join("autograph", "impl", name) for name in ("api.py", "conversion.py"))
_AUTOGRAPH_OPERATORS = os.path.join("autograph", "operators") + os.sep


@dataclass(frozen=True, order=True)
class Where:
    file: str  # relative to the project root when inside it
    line: int

    def render(self) -> str:
        return f"{self.file}:{self.line}"


class FrameClassifier:
    """Sorts code objects into the project's own, AutoGraph's output, see-through and foreign."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self._kinds: dict[CodeType, str] = {}
        self._maps: dict[str, dict[int, tuple[str, int]]] = {}  # by generated file
        self._files: dict[str, str | None] = {}
        stdlib = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib")}
        self._stdlib = tuple(os.path.abspath(path) + os.sep for path in stdlib)

    def kind(self, code: CodeType) -> str:
        kind = self._kinds.get(code)
        if kind is None:
            kind = self._kinds[code] = self._classify(code.co_filename)
        return kind

    def _classify(self, filename: str) -> str:
        if "__autograph_generated_file" in filename:
            return GENERATED
        if "tensorflow" in filename and (filename.endswith(_AUTOGRAPH_CALLS) or _AUTOGRAPH_OPERATORS in filename):
            return TRANSPARENT  # AutoGraph's converted_call and its builtin overloads run the user's calls
        if filename.startswith("<frozen importlib"):
            return OTHER  # an import: what the imported module's body does is not the caller's effect
        path = os.path.abspath(filename)
        if self.relative(path) is not None:
            return USER
        if path.startswith(self._stdlib) and "site-packages" not in path or filename.startswith("<frozen"):
            return TRANSPARENT
        return OTHER

    def relative(self, filename: str) -> str | None:
        """``filename`` relative to the root when it is the project's code, else None."""
        if filename in self._files:
            return self._files[filename]
        path = os.path.abspath(filename)
        found = None
        if not filename.startswith("<") and path.startswith(self.root + os.sep) and not path.startswith(_PLUGIN_DIR):
            rel = os.path.relpath(path, self.root)
            parts = rel.split(os.sep)
            if not any(part in ("site-packages", "dist-packages") or part.startswith((".venv", "venv", ".tox"))
                       for part in parts):
                found = rel.replace(os.sep, "/")
        self._files[filename] = found
        return found

    def is_user_function(self, function) -> bool:
        code = getattr(function, "__code__", None)
        return code is not None and self.relative(code.co_filename) is not None

    def where(self, frame: FrameType | None) -> Where | None:
        """The project line that caused an event raised in ``frame``: see-through frames are skipped."""
        while frame is not None:
            kind = self.kind(frame.f_code)
            if kind == TRANSPARENT:
                frame = frame.f_back
                continue
            if kind == USER:
                return Where(self.relative(frame.f_code.co_filename), frame.f_lineno)
            if kind == GENERATED:
                return self.generated_where(frame.f_code, frame.f_lineno)
            return None
        return None

    def outer_where(self, frame: FrameType | None) -> Where | None:
        """The nearest project line going outwards, whatever lies between (a call site)."""
        while frame is not None:
            kind = self.kind(frame.f_code)
            if kind == USER:
                return Where(self.relative(frame.f_code.co_filename), frame.f_lineno)
            if kind == GENERATED:
                found = self.generated_where(frame.f_code, frame.f_lineno)
                if found is not None:
                    return found
            frame = frame.f_back
        return None

    def register_source_map(self, source_map) -> None:
        """Keep AutoGraph's line map of a converted function (the function itself may die with its trace)."""
        for loc, origin in source_map.items():
            self._maps.setdefault(loc.filename, {})[loc.lineno] = (origin.loc.filename, origin.loc.lineno)

    def generated_where(self, code: CodeType, line: int) -> Where | None:
        mapping = self._maps.get(code.co_filename)
        if mapping is None:
            mapping = _source_map(code)
            if mapping:  # else retried later: the converted function may not carry its map yet
                self._maps[code.co_filename] = mapping
        origin = mapping.get(line)
        if origin is None:
            return None
        relative = self.relative(origin[0])
        return Where(relative, origin[1]) if relative is not None else None


def _source_map(code: CodeType) -> dict[int, tuple[str, int]]:
    """AutoGraph's line map of the converted function owning ``code`` (kept on it as ``ag_source_map``).

    Nested code (the branches AutoGraph makes of an ``if``) is found through the code holding it.
    """
    seen: set[int] = set()
    level: list = [code]
    for _ in range(4):
        following = []
        for item in level:
            for referrer in gc.get_referrers(item):
                if id(referrer) in seen or not isinstance(referrer, (CodeType, tuple, FunctionType)):
                    continue
                seen.add(id(referrer))
                source_map = getattr(referrer, "ag_source_map", None)
                if source_map:
                    return {loc.lineno: (origin.loc.filename, origin.loc.lineno)
                            for loc, origin in source_map.items() if loc.filename == code.co_filename}
                following.append(referrer)
        level = following
    return {}

