"""On-disk cache of module summaries, shared by the CLI and flake8 workers.

flake8 checks files in several worker processes; each needs the project-level
analysis, which must not be recomputed per file or per worker.  Summaries are
stored per project root in ``.hybridize_lint_cache/``, keyed by the tool
version, the knowledge base and each file's content hash (or, to skip reading
it, its unchanged size and mtime); writes are atomic and a lock file
serialises the workers that build it.

The cache is untrusted input: a checkout or a restored CI cache can hold
entries someone else wrote. Each entry is one line of HMAC-SHA256, keyed by a
secret of the user's (outside the project, in the user's cache directory),
then the JSON. An entry whose MAC does not verify is a miss before its JSON
is even parsed; one that verifies but does not load is a miss too. Loading is
JSON only: never ``pickle``, ``marshal`` or ``eval`` (a test keeps it so).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Iterator

from . import __version__
from .analysis.summary import ModuleSummary

CACHE_DIR_NAME = ".hybridize_lint_cache"
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a module summary is kilobytes; anything near this is not ours
KEY_ENVIRONMENT = "HYBRIDIZE_LINT_CACHE_KEY"  # a path: where the user's cache key lives (tests, CI)
KEY_BYTES = 32

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
        self.key = _user_key() if enabled else None
        self.enabled = enabled and self.key is not None  # no key, no trust: run without a cache
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
                payload = json.dumps(entry).encode("utf-8")
                _atomic_write(self._file(module), _mac(self.key, payload).encode("ascii") + b"\n" + payload)
            self._dirty.clear()
        except OSError:
            pass  # a read-only tree still gets linted, just without a cache

    def _entry(self, module: str) -> dict | None:
        if not self.enabled:
            return None
        if module not in self._read:
            self._read[module] = _read_entry(self._file(module), module, self.key)
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


def _read_entry(path: Path, module: str, key: bytes) -> dict | None:
    """The entry of ``module`` if this user wrote it; None (a miss) for anything else."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    mac, newline, payload = data.partition(b"\n")
    if not newline or len(data) > MAX_ENTRY_BYTES or \
            not hmac.compare_digest(mac, _mac(key, payload).encode("ascii")):
        return None  # truncated, foreign, planted or from another format: never parsed
    try:
        entry = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    return entry if isinstance(entry, dict) and entry.get("module") == module and \
        isinstance(entry.get("summary"), dict) else None


def _summary(entry: dict) -> ModuleSummary | None:
    try:
        summary = ModuleSummary.from_json(entry["summary"])
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises, it is a miss
        return None
    return summary if isinstance(summary, ModuleSummary) else None


def _mac(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _user_key() -> bytes | None:
    """The user's secret for signing cache entries, made on first use; None (caching off) when it
    cannot be read or made, or is not one this tool made."""
    location = os.environ.get(KEY_ENVIRONMENT)
    if location:
        path = Path(location)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "hybridize-lint" / "cache-key"
    for _ in range(2):
        try:
            key = path.read_bytes()
            return key if len(key) == KEY_BYTES else None
        except FileNotFoundError:
            _make_key(path)
        except OSError:
            return None
    return None


def _make_key(path: Path) -> None:
    """Write a new key; of processes racing, the first link wins and the others read it back."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-key.")  # mode 0600
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(secrets.token_bytes(KEY_BYTES))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    except OSError:
        pass


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
