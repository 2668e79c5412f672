"""On-disk cache of module summaries, shared by the CLI and flake8 workers.

flake8 checks files in several worker processes; each needs the project-level
analysis, which must not be recomputed per file or per worker.  Summaries are
stored per project root in ``.hybridize_lint_cache/``, keyed by the tool
version, the knowledge base and each file's content hash (or, to skip reading
it, its unchanged size and mtime); writes are atomic and a lock file
serialises the workers that build it.
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
    """Summaries of one project's modules, valid for one tool version and configuration.

    One small JSON file per module, so a run reads only the modules of its project and writes
    only those it re-summarised.  Each entry also records the file's size and modification time
    when it was summarised: a file whose stat is unchanged is not even read again.
    """

    def __init__(self, root: Path, salt: str, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        key = hashlib.sha256(f"{__version__}\0{salt}".encode()).hexdigest()[:16]
        self.directory = root / CACHE_DIR_NAME
        self.path = self.directory / f"summaries-{key}"
        self._dirty: dict[str, dict] = {}
        self._read: dict[str, dict | None] = {}  # each entry is read once, though asked by stat and by hash

    def get(self, module: str, content_hash: str) -> ModuleSummary | None:
        """The summary of ``module`` if it was made from exactly this content."""
        entry = self._entry(module)
        if entry is None or entry["summary"].get("content_hash") != content_hash:
            return None
        return _summary(entry)

    def get_unchanged(self, module: str, stat: FileStat) -> ModuleSummary | None:
        """The summary of ``module`` if its file has the size and mtime it had when summarised."""
        entry = self._entry(module)
        if entry is None or entry.get("stat") != list(stat):
            return None
        return _summary(entry)

    def put(self, module: str, summary: ModuleSummary, stat: FileStat | None = None) -> None:
        if self.enabled:
            self._dirty[module] = {"module": module, "stat": list(stat) if stat else None, "summary": summary.to_json()}

    def save(self) -> None:
        if not (self.enabled and self._dirty):
            return
        try:
            self._ensure_directory()
            self.path.mkdir(exist_ok=True)
            for module, entry in self._dirty.items():
                _atomic_write(self._file(module), json.dumps(entry).encode("utf-8"))
            self._dirty.clear()
        except OSError:
            pass  # a read-only tree still gets linted, just without a cache

    def _entry(self, module: str) -> dict | None:
        if not self.enabled:
            return None
        if module not in self._read:
            self._read[module] = _read_entry(self._file(module), module)
        return self._read[module]

    def _file(self, module: str) -> Path:
        return self.path / (hashlib.sha1(module.encode("utf-8", "surrogatepass")).hexdigest()[:24] + ".json")

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


FileStat = tuple[int, int]  # (size, mtime in ns)


def file_stat(path: Path) -> FileStat | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


def _read_entry(path: Path, module: str) -> dict | None:
    try:
        entry = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("module") == module and \
        isinstance(entry.get("summary"), dict) else None


def _summary(entry: dict) -> ModuleSummary | None:
    try:
        return ModuleSummary.from_json(entry["summary"])
    except (KeyError, TypeError, ValueError):
        return None


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
