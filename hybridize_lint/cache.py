"""On-disk cache of module summaries, shared by the CLI and flake8 workers.

flake8 checks files in several worker processes; each needs the project-level
analysis, which must not be recomputed per file or per worker.  Summaries are
stored per project root in ``.hybridize_lint_cache/``, keyed by the tool
version, the knowledge base and each file's content hash; writes are atomic
and a lock file serialises the workers that build it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

from . import __version__
from .analysis.summary import ModuleSummary

CACHE_DIR_NAME = ".hybridize_lint_cache"

try:  # POSIX advisory locks; elsewhere the atomic rename alone keeps the cache consistent
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class SummaryCache:
    """Summaries of one project's modules, valid for one tool version and configuration."""

    def __init__(self, root: Path, salt: str, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        key = hashlib.sha256(f"{__version__}\0{salt}".encode()).hexdigest()[:16]
        self.directory = root / CACHE_DIR_NAME
        self.path = self.directory / f"summaries-{key}.json"
        self._entries: dict[str, dict] = {}
        self._dirty = False

    def load(self) -> None:
        if not self.enabled:
            return
        try:
            self._entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._entries = {}

    def get(self, relative: str, content_hash: str) -> ModuleSummary | None:
        entry = self._entries.get(relative)
        if entry is None or entry.get("content_hash") != content_hash:
            return None
        try:
            return ModuleSummary.from_json(entry)
        except (KeyError, TypeError):
            return None

    def put(self, relative: str, summary: ModuleSummary) -> None:
        self._entries[relative] = summary.to_json()
        self._dirty = True

    def save(self) -> None:
        if not (self.enabled and self._dirty):
            return
        try:
            self._ensure_directory()
            _atomic_write(self.path, json.dumps(self._entries).encode("utf-8"))  # key order kept: analyses visit functions in source order
            self._dirty = False
        except OSError:
            pass  # a read-only tree still gets linted, just without a cache

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the project's cache lock (a no-op when caching is off or impossible)."""
        if not self.enabled or fcntl is None:
            yield
            return
        try:
            self._ensure_directory()
            handle = open(self.directory / "lock", "a+b")
        except OSError:
            yield
            return
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _ensure_directory(self) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / ".gitignore").write_text("# Automatically created by hybridize-lint.\n*\n")


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
