"""Turning the examples in ``rules/*.toml`` into projects on disk and lint results.

Shared by every test that runs rule examples, so each example is exercised
through the engine, the CLI and flake8 in exactly the same way.
"""

from __future__ import annotations

from pathlib import Path

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions
from hybridize_lint.writing import write_fixes
from hybridize_lint.registry import RuleExample, RuleSpec, load_rules


def all_examples() -> list[tuple[RuleSpec, RuleExample]]:
    return [(rule, example) for rule in load_rules() for example in rule.examples]


def example_id(item: tuple[RuleSpec, RuleExample]) -> str:
    rule, example = item
    return f"{rule.code}-{example.index}-{example.kind}"


def materialize(example: RuleExample, directory: Path) -> Path:
    """Write the example's files and a pyproject.toml carrying its settings."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(_pyproject(example.settings), encoding="utf-8")
    for name, text in example.files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    for name, data in example.raw_files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return directory


def findings(directory: Path, **options) -> set[tuple[str, int, int, str]]:
    report = Linter(SettingsResolver()).run([directory], RunOptions(use_cache=False, **options))
    assert not report.internal_errors, report.internal_errors
    return {(d.path.relative_to(directory).as_posix(), d.start.row, d.start.column, d.code)
            for d in report.diagnostics}


def expected(example: RuleExample) -> set[tuple[str, int, int, str]]:
    return {(item.path, item.row, item.column, item.code) for item in example.expect}


def fix(directory: Path):
    report = Linter(SettingsResolver()).run([directory], RunOptions(fix=True, unsafe_fixes=True, use_cache=False))
    write_fixes(report)
    return report


def python_files(directory: Path) -> dict[str, bytes]:
    return {path.relative_to(directory).as_posix(): path.read_bytes() for path in sorted(directory.rglob("*.py"))}


def _pyproject(settings: dict) -> str:
    lines = ["[tool.hybridize-lint]"]
    for key, value in settings.items():
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + "}"
    raise TypeError(f"unsupported setting value {value!r}")
