"""Decide which files a lint run reads.

Walking into ``.venv`` or ``node_modules`` wastes minutes, ignoring
``.gitignore`` surprises users, and one unreadable directory must not abort a
whole run.  This module follows ruff's discovery rules (default excludes,
``exclude``/``extend-exclude``, ``--force-exclude``, gitignore support) using
only the standard library, and reports I/O problems as data instead of raising.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Sequence

DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg",
    ".ipynb_checkpoints", ".mypy_cache", ".nox", ".pants.d", ".pyenv",
    ".pytest_cache", ".pytype", ".ruff_cache", ".hybridize_lint_cache", ".svn",
    ".tox", ".venv", ".vscode", "__pypackages__", "_build", "buck-out", "build",
    "dist", "node_modules", "site-packages", "venv", "__pycache__", "*.egg-info",
)
PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass(frozen=True)
class DiscoveryError:
    """A path that could not be walked or read, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class DiscoveryResult:
    """Sorted, de-duplicated files to lint plus the problems met on the way."""

    files: list[Path]
    errors: list[DiscoveryError]


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _relative(path: str, base: str) -> str | None:
    """*path* relative to *base* with "/" separators, or None if outside it."""
    if path == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    return _posix(path[len(prefix):]) if path.startswith(prefix) else None


def _reason(exc: Exception) -> str:
    """A short lower-case reason for an I/O error."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).lower()


def _char_class(pattern: str, start: int) -> tuple[str, int]:
    """Translate the ``[...]`` at *start*; an unclosed ``[`` is a literal."""
    i = start + 1
    negate = pattern[i:i + 1] in ("!", "^")
    i += negate
    body: list[str] = []
    while i < len(pattern) and (pattern[i] != "]" or not body):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            i += 1
            body.append(re.escape(pattern[i]))
        else:
            body.append("-" if ch == "-" else re.escape(ch))
        i += 1
    if i >= len(pattern):
        return re.escape("["), start + 1
    return "(?!/)[" + "^" * negate + "".join(body) + "]", i + 1


def _glob_to_regex(pattern: str) -> str:
    """Translate a glob to regex source.

    ``*``, ``?`` and ``[...]`` never cross "/"; a whole ``**`` segment spans
    directories (``**/``, ``/**/``, trailing ``/**``); ``\\`` escapes a char.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if (pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/")
                and (i + 2 == n or pattern[i + 2] == "/")):
            out.append(".*" if i + 2 == n else "(?:.*/)?")
            i += 3
        elif ch == "*":
            out.append("[^/]*")
            while i < n and pattern[i] == "*":
                i += 1
        elif ch == "[":
            regex, i = _char_class(pattern, i)
            out.append(regex)
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _parse_gitignore_line(line: str) -> _Rule | None:
    """Compile one .gitignore line; None for blank lines and comments."""
    if line.startswith("#"):
        return None
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and stripped != line:
        stripped += " "  # "\ " keeps one escaped trailing space
    negate = stripped.startswith("!")
    body = stripped[negate:]
    dir_only = body.endswith("/")
    body = body.rstrip("/")
    if not body:
        return None
    prefix = "" if "/" in body else "(?:.*/)?"  # a slash anchors the pattern
    regex = re.compile(prefix + _glob_to_regex(body.lstrip("/")), re.DOTALL)
    return _Rule(regex, negate, dir_only)


_Layer = tuple[str, tuple[_Rule, ...]]  # (directory the rules apply to, rules)


def _is_gitignored(chain: tuple[_Layer, ...], path: str, is_dir: bool) -> bool:
    """Git semantics: the last matching rule wins, deeper files win."""
    for base, rules in reversed(chain):
        rel = _relative(path, base)
        if rel is None:
            continue
        for rule in reversed(rules):
            if (is_dir or not rule.dir_only) and rule.regex.fullmatch(rel):
                return not rule.negate
    return False


class _Exclusions:
    """Exclude globs: bare names match any path component, patterns with a
    "/" match the path relative to the root (or an absolute path)."""

    def __init__(self, patterns: Sequence[str], root: str) -> None:
        self._root = root
        base = re.escape(_posix(root).rstrip("/")) + "/"
        names, paths = [], []
        for pattern in patterns:
            pat = _posix(pattern).rstrip("/")
            pat = pat[2:] if pat.startswith("./") else pat
            if not pat:
                continue
            if "/" not in pat:
                names.append(_glob_to_regex(pat))
            else:
                paths.append(("" if pat.startswith("/") else base) + _glob_to_regex(pat))
        self._names = re.compile("|".join(names), re.DOTALL) if names else None
        self._paths = re.compile("|".join(paths), re.DOTALL) if paths else None

    def matches(self, path: str) -> bool:
        """Does the pattern set match this absolute path itself?"""
        name = os.path.basename(path)
        return bool((self._names and self._names.fullmatch(name))
                    or (self._paths and self._paths.fullmatch(_posix(path))))

    def matches_any_ancestor(self, path: str) -> bool:
        """Does it match *path* or a directory above it (up to the root)?"""
        for candidate in [path, *map(str, PurePath(path).parents)]:
            if candidate == self._root:
                return False
            if self.matches(candidate):
                return True
        return False


class _Walker:
    """Walks directories, collecting files and errors for one discovery run."""

    def __init__(self, root: str, exclusions: _Exclusions, gitignore: bool,
                 includes: _Exclusions | None = None) -> None:
        self.root, self.exclusions, self.gitignore = root, exclusions, gitignore
        self.includes = includes  # extend-include: more files to lint, matched like exclusions
        self.files: dict[str, Path] = {}  # absolute path -> path as given
        self.errors: list[DiscoveryError] = []
        self._rules_cache: dict[str, tuple[_Rule, ...]] = {}

    def _rules(self, file: str) -> tuple[_Rule, ...]:
        """Compiled rules of an ignore file, read at most once per run."""
        if file not in self._rules_cache:
            lines: list[str] = []
            try:
                with open(file, encoding="utf-8", errors="replace") as handle:
                    lines = handle.read().splitlines()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                pass
            except OSError as exc:
                self.errors.append(DiscoveryError(Path(file), _reason(exc)))
            self._rules_cache[file] = tuple(filter(None, map(_parse_gitignore_line, lines)))
        return self._rules_cache[file]

    def _initial_chain(self, path: str) -> tuple[_Layer, ...]:
        """Ignore rules from the root down to (excluding) directory *path*."""
        rel = _relative(path, self.root)
        if not self.gitignore or rel is None:
            return ()
        chain = [(self.root, self._rules(os.path.join(self.root, ".git", "info", "exclude")))]
        current = self.root
        for part in rel.split("/") if rel else ():
            chain.append((current, self._rules(os.path.join(current, ".gitignore"))))
            current = os.path.join(current, part)
        return tuple(chain)

    def walk(self, shown: Path, path: str, info: os.stat_result) -> None:
        """Walk a directory given explicitly."""
        self._walk(shown, path, self._initial_chain(path), frozenset({(info.st_dev, info.st_ino)}))

    def _walk(self, shown: Path, path: str, chain: tuple[_Layer, ...],
              active: frozenset[tuple[int, int]]) -> None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda entry: entry.name)
        except OSError as exc:
            self.errors.append(DiscoveryError(shown, _reason(exc)))
            return
        if self.gitignore and any(entry.name == ".gitignore" for entry in entries):
            chain += ((path, self._rules(os.path.join(path, ".gitignore"))),)
        for entry in entries:
            self._visit(entry, shown / entry.name, chain, active)

    def _visit(self, entry: os.DirEntry[str], shown: Path, chain: tuple[_Layer, ...],
               active: frozenset[tuple[int, int]]) -> None:
        try:
            is_dir = entry.is_dir()
            if not is_dir and not entry.name.endswith(PYTHON_SUFFIXES) and not (
                    self.includes is not None and self.includes.matches(entry.path)):
                return
            if self.exclusions.matches(entry.path) or _is_gitignored(chain, entry.path, is_dir):
                return
            if not is_dir:
                if entry.is_file():
                    self.files.setdefault(entry.path, shown)
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    self.errors.append(DiscoveryError(shown, "broken symbolic link"))
                return
            if os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                return  # a virtualenv, whatever its name
            info = entry.stat()
        except OSError as exc:
            self.errors.append(DiscoveryError(shown, _reason(exc)))
            return
        key = (info.st_dev, info.st_ino)
        if key in active:
            self.errors.append(DiscoveryError(shown, "symlink loop"))
            return
        self._walk(shown, entry.path, chain, active | {key})


def is_excluded(path: Path, *, root: Path, exclude: Sequence[str],
                extend_exclude: Sequence[str] = ()) -> bool:
    """True if *path* or one of its directories below *root* is excluded."""
    exclusions = _Exclusions([*exclude, *extend_exclude], os.path.abspath(root))
    return exclusions.matches_any_ancestor(os.path.abspath(path))


def discover_files(paths: Sequence[Path], *, root: Path,
                   exclude: Sequence[str] = DEFAULT_EXCLUDE,
                   extend_exclude: Sequence[str] = (), force_exclude: bool = False,
                   respect_gitignore: bool = True, extend_include: Sequence[str] = ()) -> DiscoveryResult:
    """Expand *paths* into the Python files to lint.

    Files named explicitly are kept whatever their extension, unless
    *force_exclude* is set and an exclude pattern matches them.
    """
    root_abs = os.path.abspath(root)
    exclusions = _Exclusions([*exclude, *extend_exclude], root_abs)
    walker = _Walker(root_abs, exclusions, respect_gitignore,
                     _Exclusions(extend_include, root_abs) if extend_include else None)
    for given in paths:
        shown = Path(given)
        path = os.path.abspath(shown)
        try:
            info = os.stat(path)
        except (OSError, ValueError) as exc:
            walker.errors.append(DiscoveryError(shown, _reason(exc)))
            continue
        if force_exclude and exclusions.matches_any_ancestor(path):
            continue
        if stat.S_ISDIR(info.st_mode):
            walker.walk(shown, path, info)
        else:
            walker.files.setdefault(path, shown)
    # Sort by components: Path's own ordering differs between Python versions.
    files = sorted(walker.files.values(), key=lambda path: path.parts)
    return DiscoveryResult(files, walker.errors)
