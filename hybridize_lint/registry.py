"""Rules are data: this module loads them from the TOML files in ``rules/``.

Each file describes one rule (code, name, message, fix applicability, docs and
examples) and points at the check that implements it.  The registry validates
the files once, so a broken rule file fails loudly at start-up and in tests
instead of silently doing nothing.
"""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

from .diagnostics import Applicability

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CODE_PATTERN = re.compile(r"^HYB\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("what", "why", "example", "use_instead", "fix_safety")
ENGINE_IMPL = "engine"
_EXPECT = re.compile(r"^(?:(?P<path>[^:]+):)?(?P<row>\d+):(?P<column>\d+) (?P<code>HYB\d{3})$")
SINGLE_FILE_NAME = "example.py"
# How loud a finding is, in SARIF's words (GitHub annotations say `notice` for `note`): code that
# fails in a graph is an `error`, a side effect or a retrace a `warning`, a suggestion a `note`.
SEVERITIES = ("error", "warning", "note")
DEFAULT_SEVERITY = "warning"
DOCS_DIRECTORY = "docs/rules"


class RuleFileError(ValueError):
    """A rule file that does not describe a valid rule."""


@dataclass(frozen=True)
class Expectation:
    path: str
    row: int
    column: int
    code: str


@dataclass(frozen=True)
class RuleExample:
    """A snippet (or small project) that documents and tests a rule."""

    kind: str
    files: dict[str, str]
    raw_files: dict[str, bytes]
    expect: tuple[Expectation, ...]
    fixed: dict[str, str] | None
    settings: dict[str, Any]
    description: str
    index: int


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    summary: str
    message: str
    fix: Applicability | None
    fix_title: str | None
    impl: str
    default_enabled: bool
    docs: dict[str, Any]
    examples: tuple[RuleExample, ...] = field(repr=False)
    source: str = ""
    severity: str = DEFAULT_SEVERITY
    # The kind of Python effect (or graph-mode error) the rule reports, as the analyses name it
    # (``analysis.summary.EffectKind``): rules map kinds to codes, the analyses know no codes.
    effect: str | None = None

    @property
    def docs_page(self) -> str:
        """The rule's documentation page, relative to the repository (and to the installed package data)."""
        return f"{DOCS_DIRECTORY}/{self.code}-{self.name}.md"

    @property
    def url(self) -> str | None:
        """A link to the rule's documentation page: the page installed with the package, or the
        repository's copy when running from a checkout; None when neither is there."""
        return docs_url(self.code, self.name)

    def format_message(self, **values: Any) -> str:
        return self.message.format(**values)

    @property
    def is_engine_rule(self) -> bool:
        return self.impl == ENGINE_IMPL

    def load_check(self) -> Callable[..., Iterable[Any]]:
        module_name, _, attribute = self.impl.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


def rules_directory() -> Path:
    """Where the rule data lives: inside the wheel, or the repo's ``rules/``."""
    packaged = resources.files("hybridize_lint").joinpath("_data", "rules")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


@cache
def load_rules(directory: Path | None = None) -> tuple[RuleSpec, ...]:
    directory = directory or rules_directory()
    specs = [parse_rule_file(path) for path in sorted(directory.glob("HYB*.toml"))]
    _check_unique(specs)
    return tuple(sorted(specs, key=lambda spec: spec.code))


@cache
def docs_url(code: str, name: str) -> str | None:
    page = f"{code}-{name}.md"
    packaged = resources.files("hybridize_lint").joinpath("_data", "docs", page)
    if packaged.is_file():
        return Path(str(packaged)).resolve().as_uri()
    checkout = Path(__file__).resolve().parent.parent / DOCS_DIRECTORY / page
    return checkout.as_uri() if checkout.is_file() else None


def rules_by_code() -> dict[str, RuleSpec]:
    return {spec.code: spec for spec in load_rules()}


def parse_rule_file(path: Path) -> RuleSpec:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"{path.name}: {exc}") from exc
    try:
        return _build_spec(data, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleFileError(f"{path.name}: {exc}") from exc


def _build_spec(data: dict[str, Any], path: Path) -> RuleSpec:
    code = _require(data, "code", str)
    name = _require(data, "name", str)
    if not CODE_PATTERN.match(code):
        raise ValueError(f"code {code!r} is not of the form HYBnnn")
    if not NAME_PATTERN.match(name):
        raise ValueError(f"name {name!r} is not kebab-case")
    if not path.name.startswith(f"{code}-{name}"):
        raise ValueError(f"file name should be {code}-{name}.toml")
    fix_text = data.get("fix", "none")
    if fix_text not in ("safe", "unsafe", "display-only", "none"):
        raise ValueError(f"fix must be safe, unsafe, display-only or none, not {fix_text!r}")
    fix = None if fix_text == "none" else Applicability(fix_text)
    fix_title = data.get("fix_title")
    if fix is not None and not fix_title:
        raise ValueError("a rule with a fix needs fix_title")
    docs = _require(data, "docs", dict)
    missing = [section for section in DOC_SECTIONS if not docs.get(section)]
    if missing:
        raise ValueError(f"docs lack {', '.join(missing)}")
    if fix is None and not docs.get("why_no_fix"):
        raise ValueError("a rule without a fix needs a why_no_fix docs section saying why none is correct")
    if fix is not None and docs.get("why_no_fix"):
        raise ValueError("a rule with a fix has no why_no_fix docs section")
    examples = tuple(_build_example(raw, index, code) for index, raw in enumerate(data.get("examples", [])))
    if not any(example.kind == "bad" for example in examples):
        raise ValueError("a rule needs at least one bad example")
    if not any(example.kind == "good" for example in examples):
        raise ValueError("a rule needs at least one good example")
    severity = data.get("severity", DEFAULT_SEVERITY)
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    unknown = set(data) - {"code", "name", "summary", "message", "fix", "fix_title", "impl",
                           "default", "severity", "docs", "examples", "effect"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    return RuleSpec(
        code=code,
        name=name,
        summary=_require(data, "summary", str),
        message=_require(data, "message", str),
        fix=fix,
        fix_title=fix_title,
        impl=_require(data, "impl", str),
        default_enabled=bool(data.get("default", True)),
        docs=docs,
        examples=examples,
        source=path.name,
        severity=severity,
        effect=data.get("effect"),
    )


def _build_example(raw: dict[str, Any], index: int, code: str) -> RuleExample:
    kind = _require(raw, "kind", str)
    if kind not in ("bad", "good"):
        raise ValueError(f"example {index}: kind must be bad or good")
    if "code" in raw and "files" in raw:
        raise ValueError(f"example {index}: give code or files, not both")
    files = {SINGLE_FILE_NAME: raw["code"]} if "code" in raw else dict(raw.get("files", {}))
    raw_files = {name: bytes.fromhex(value) for name, value in raw.get("raw_files", {}).items()}
    if not files and not raw_files:
        raise ValueError(f"example {index}: give code, files or raw_files")
    all_paths = [*files, *raw_files]
    default_path = all_paths[0] if len(all_paths) == 1 else None
    expect = tuple(_parse_expectation(text, default_path, index) for text in raw.get("expect", []))
    if kind == "bad" and not any(item.code == code for item in expect):
        raise ValueError(f"example {index}: a bad example must expect {code}")
    if kind == "good" and expect:
        raise ValueError(f"example {index}: a good example expects nothing")
    fixed = raw.get("fixed")
    if isinstance(fixed, str):
        fixed = {next(iter(files)): fixed}
    return RuleExample(
        kind=kind,
        files=files,
        raw_files=raw_files,
        expect=expect,
        fixed=fixed,
        settings=dict(raw.get("settings", {})),
        description=raw.get("description", ""),
        index=index,
    )


def _parse_expectation(text: str, default_path: str | None, index: int) -> Expectation:
    match = _EXPECT.match(text)
    if not match:
        raise ValueError(f"example {index}: expectation {text!r} is not '[PATH:]ROW:COL CODE'")
    path = match["path"] or default_path
    if path is None:
        raise ValueError(f"example {index}: multi-file expectations need a path")
    return Expectation(path, int(match["row"]), int(match["column"]), match["code"])


def _require(data: dict[str, Any], key: str, kind: type) -> Any:
    if key not in data:
        raise KeyError(f"missing key {key!r}")
    value = data[key]
    if not isinstance(value, kind):
        raise TypeError(f"{key!r} must be a {kind.__name__}")
    return value


def _check_unique(specs: list[RuleSpec]) -> None:
    for attribute in ("code", "name"):
        seen: dict[str, str] = {}
        for spec in specs:
            value = getattr(spec, attribute)
            if value in seen:
                raise RuleFileError(f"{spec.source} and {seen[value]} share the {attribute} {value!r}")
            seen[value] = spec.source
