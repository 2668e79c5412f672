"""Settings from ``[tool.hybridize-lint]`` in pyproject.toml, plus overrides.

Configuration errors name the offending key and stop the run (exit 2): a
typo in a linter's config must never silently disable checks.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from .discovery import DEFAULT_EXCLUDE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SECTION = "hybridize-lint"
_CODE_PREFIX = re.compile(r"^HYB\d{0,3}$|^ALL$")
_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")


class ConfigError(Exception):
    """A configuration problem, reported as one line and exit code 2."""


@dataclass(frozen=True)
class RuleSelection:
    """Command-line selection, layered over the config's as ruff does.

    ``--ignore``/``--extend-select`` adjust the configured set instead of
    replacing it; only ``--select`` starts afresh.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def decide(self, code: str) -> tuple[bool, int] | None:
        """(enabled, length of the selecting prefix) by the most specific prefix; None if none matches."""
        selected = longest_prefix(code, (self.select or ()) + self.extend_select)
        ignored = longest_prefix(code, self.ignore)
        if ignored is not None and (selected is None or ignored >= selected):
            return False, 0
        if selected is not None:
            return True, selected
        return None


@dataclass(frozen=True)
class Settings:
    """Everything that shapes one run over one project."""

    root: Path
    config_path: Path | None = None
    select: tuple[str, ...] = ("HYB",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    extend_include: tuple[str, ...] = ()  # globs of more files to lint, beside .py, .pyi and .ipynb
    unsafe_fixes: bool = False
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    target_tensorflow: tuple[int, ...] | None = None
    respect_gitignore: bool = True
    # "boundary": HYB301 at the outermost function called eagerly and repeatedly; "every-function":
    # every function the paper's preconditions accept (HYB301, or HYB302 without an eager caller).
    hybridization: str = "boundary"
    hybridize_tests: bool = False  # HYB3xx/HYB4xx suggestions in test files and test functions
    unrolled_loop_threshold: int = 50  # HYB206: Python `range` loops of this many iterations or more
    knowledge: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cli_selection: RuleSelection | None = None

    def is_enabled(self, code: str, default_enabled: bool = True) -> bool:
        """ruff's selection model: the most specific matching prefix wins, the command line last."""
        decision = RuleSelection(self.select, self.extend_select, self.ignore).decide(code)
        cli = self.cli_selection
        if cli is not None:
            cli_decision = cli.decide(code)
            if cli.select is not None or cli_decision is not None:
                decision = cli_decision
        if decision is None or not decision[0]:
            return False
        return default_enabled or decision[1] > len("HYB")

    def ignored_for_path(self, code: str, path: Path) -> bool:
        relative = relative_posix(path, self.root)
        for pattern, prefixes in self.per_file_ignores:
            if _matches_path(relative, path.name, pattern) and longest_prefix(code, prefixes) is not None:
                return True
        return False

    def tensorflow_at_least(self, version: tuple[int, ...]) -> bool:
        """Unknown target versions are assumed recent."""
        return self.target_tensorflow is None or self.target_tensorflow >= version

    def with_overrides(self, **overrides: Any) -> "Settings":
        present = {key: value for key, value in overrides.items() if value is not None}
        return replace(self, **present)


# Keys accepted in [tool.hybridize-lint] and how to convert each.
def prefix_list(key: str, value: Any) -> tuple[str, ...]:
    items = _string_list(key, value)
    for item in items:
        if not _CODE_PREFIX.match(item):
            raise ConfigError(f"{key}: {item!r} is not a rule code or prefix (e.g. 'HYB1', 'HYB101')")
    return tuple("HYB" if item == "ALL" else item for item in items)


def _string_list(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{key}: expected a list of strings")
    return tuple(value)


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false")
    return value


def _version(key: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, str) or not _VERSION.match(value):
        raise ConfigError(f"{key}: expected a version string such as \"2.15\"")
    return tuple(int(part) for part in value.split("."))


HYBRIDIZATION_MODES = ("boundary", "every-function")


def _hybridization_mode(key: str, value: Any) -> str:
    if value not in HYBRIDIZATION_MODES:
        raise ConfigError(f"{key}: expected one of {', '.join(map(repr, HYBRIDIZATION_MODES))}")
    return value


def _positive_integer(key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{key}: expected a positive integer")
    return value


def _per_file_ignores(key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of glob = [codes]")
    # "./tests/*" means the same as "tests/*": patterns are relative to the project root.
    return tuple((pattern.removeprefix("./"), prefix_list(f"{key}.{pattern}", codes))
                 for pattern, codes in value.items())


_CONVERTERS = {
    "select": ("select", prefix_list),
    "extend-select": ("extend_select", prefix_list),
    "ignore": ("ignore", prefix_list),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _string_list),
    "extend-exclude": ("extend_exclude", _string_list),
    "extend-include": ("extend_include", _string_list),
    "unsafe-fixes": ("unsafe_fixes", _boolean),
    "extend-safe-fixes": ("extend_safe_fixes", prefix_list),
    "extend-unsafe-fixes": ("extend_unsafe_fixes", prefix_list),
    "target-tensorflow": ("target_tensorflow", _version),
    "respect-gitignore": ("respect_gitignore", _boolean),
    "hybridization": ("hybridization", _hybridization_mode),
    "hybridize-tests": ("hybridize_tests", _boolean),
    "unrolled-loop-threshold": ("unrolled_loop_threshold", _positive_integer),
}

# Knowledge-base extensions: dotted names of the user's own APIs.
KNOWLEDGE_KEYS = ("impure-functions", "pure-functions", "tensor-functions", "function-wrappers")

# The keys the flake8 plugin reads; flake8 itself owns selection and noqa.
ANALYSIS_KEYS = ("target-tensorflow", "hybridization", "hybridize-tests", "unrolled-loop-threshold", *KNOWLEDGE_KEYS)


def settings_from_table(table: dict[str, Any], root: Path, config_path: Path | None,
                        only: Iterable[str] | None = None) -> Settings:
    values: dict[str, Any] = {}
    knowledge: dict[str, tuple[str, ...]] = {}
    allowed = set(only) if only is not None else None
    for key, value in table.items():
        if allowed is not None and key not in allowed:
            if key in _CONVERTERS or key in KNOWLEDGE_KEYS:
                continue
        if key in KNOWLEDGE_KEYS:
            knowledge[key] = _string_list(key, value)
        elif key in _CONVERTERS:
            attribute, convert = _CONVERTERS[key]
            values[attribute] = convert(key, value)
        else:
            known = ", ".join(sorted([*_CONVERTERS, *KNOWLEDGE_KEYS]))
            raise ConfigError(f"unknown key {key!r} in [tool.{SECTION}] (known keys: {known})")
    both = sorted(set(values.get("extend_safe_fixes", ())) & set(values.get("extend_unsafe_fixes", ())))
    if both:  # which one wins would be a guess, and a wrong guess applies unsafe fixes
        raise ConfigError(f"extend-unsafe-fixes: {', '.join(map(repr, both))} also in extend-safe-fixes; "
                          f"list each code in only one of them")
    return Settings(root=root, config_path=config_path, knowledge=knowledge, **values)


def read_config_file(path: Path) -> dict[str, Any]:
    """The ``[tool.hybridize-lint]`` table of a pyproject.toml (or {})."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {(exc.strerror or str(exc)).lower()}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    tool = data.get("tool", {})
    table = tool.get(SECTION, {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    return table


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.hybridize-lint] table, else the nearest one."""
    nearest: Path | None = None
    directory = start if start.is_dir() else start.parent
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / "pyproject.toml"
        if candidate.is_file():
            nearest = nearest or candidate
            if _has_section(candidate):
                return candidate
    return nearest


def _has_section(path: Path) -> bool:
    """A real ``[tool.hybridize-lint]`` table, not just a mention (e.g. in dependencies).

    A file that does not parse counts when it mentions the table, so its error is reported.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        return f"tool.{SECTION}" in text or f'tool."{SECTION}"' in text
    return isinstance(tool, dict) and SECTION in tool


def find_project_root(start: Path, fallback: Path | None = None) -> Path:
    """pyproject.toml / setup.cfg / setup.py / .git marks a project's root.

    Without any marker, ``fallback`` (the directory the user asked to check)
    is the root when ``start`` lies inside it, so a tree without markers is
    one project rather than one project per directory.
    """
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in ("pyproject.toml", "setup.cfg", "setup.py", ".git")):
            return candidate
    if fallback is not None and (directory == fallback or fallback in directory.parents):
        return fallback
    return directory


class SettingsResolver:
    """Resolves settings once per project root, applying CLI overrides last."""

    def __init__(self, config_file: Path | None = None, overrides: dict[str, Any] | None = None,
                 only_keys: Iterable[str] | None = None, inline: dict[str, Any] | None = None):
        self._config_file = config_file
        self._inline = inline or {}  # `--config 'KEY = VALUE'`: over the file's table, validated alike
        self._overrides = overrides or {}
        self._only_keys = tuple(only_keys) if only_keys is not None else None
        self._cache: dict[Path, Settings] = {}
        self._configs: dict[Path, Path | None] = {}  # directory -> its config file

    def for_path(self, path: Path, fallback_root: Path | None = None) -> Settings:
        """Settings of the project ``path`` belongs to; ``fallback_root`` applies when no marker is found."""
        start = _resolve(path) if path.exists() else path.absolute()
        if self._config_file is not None:
            config_path: Path | None = _resolve(self._config_file)
        else:
            directory = start if start.is_dir() else start.parent
            if directory not in self._configs:  # each file's lookup would re-parse every pyproject.toml above it
                self._configs[directory] = find_config(directory)
            config_path = self._configs[directory]
        fallback = None
        if fallback_root is not None:
            fallback = _resolve(fallback_root)
            fallback = fallback if fallback.is_dir() else fallback.parent
        root = config_path.parent if config_path else find_project_root(start, fallback)
        if root not in self._cache:
            table = {**(read_config_file(config_path) if config_path else {}), **self._inline}
            try:
                settings = settings_from_table(table, root, config_path, self._only_keys)
            except ConfigError as exc:  # say which file holds the bad key
                raise ConfigError(f"{config_path}: {exc}") from exc
            self._cache[root] = settings.with_overrides(**self._overrides)
        return self._cache[root]


def parse_config_arguments(values: Iterable[str]) -> tuple[Path | None, dict[str, Any]]:
    """``--config`` values, ruff-style: a path to a pyproject.toml, or inline ``KEY = VALUE`` TOML lines."""
    path: Path | None = None
    inline: dict[str, Any] = {}
    for value in values:
        if "=" not in value or Path(value).is_file():
            if path is not None:
                raise ConfigError(f"--config: only one configuration file may be given ({path}, {value})")
            path = Path(value)
            continue
        try:
            parsed = tomllib.loads(value)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"--config {value!r}: neither a file nor a `KEY = VALUE` TOML line ({exc})") from exc
        inline.update(parsed)
    return path, inline


def longest_prefix(code: str, prefixes: Iterable[str]) -> int | None:
    lengths = [len(prefix) for prefix in prefixes if code.startswith(prefix)]
    return max(lengths) if lengths else None


def _resolve(path: Path) -> Path:
    """``path.resolve()``, or the absolute path where that fails (a symlink loop raises RuntimeError)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root``, with forward slashes; as given when it lies outside."""
    try:
        return _resolve(path).relative_to(_resolve(root)).as_posix()
    except ValueError:
        return path.as_posix()


def _matches_path(relative: str, name: str, pattern: str) -> bool:
    if "/" in pattern:
        return fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, pattern.rstrip("/") + "/*")
    return fnmatch.fnmatchcase(name, pattern) or any(
        fnmatch.fnmatchcase(part, pattern) for part in relative.split("/")
    )
