"""The project model, end to end: multi-file projects on disk, linted through the engine.

Every construct the project model resolves (packages, imports, classes, functions passed as
values, ``tf.function`` spellings, Keras) has a positive case — a side effect is found *through*
the construct — and a negative control of the same shape that reports nothing.

The cases are data: ``tests/project_cases/*.toml``, one file per construct, each an array of
``[[case]]`` tables that this one test runs:

``id``
    what the case shows (the test id; unique over all files).
``doc``
    optional: why the expectation holds.
``expect``
    every finding of the project, exactly (a multiset): ``"path:row CODE"`` or, where columns
    matter, ``"path:row:column CODE"``. ``[]`` for a negative control.
``[case.chains]``
    ``"path:row" = "f → g → print"``: the chain each HYB110 finding there ends with. A location
    listed here must have at least one HYB110 finding.
``[case.files]``
    ``relative path = source``. A source ``"@NAME"`` is the text ``NAME`` of the file's
    ``[shared]`` table.
``use``
    names of ``[shared.NAME]`` tables (path → source) whose files the project also has.
``like`` and ``[case.replace."path"]``
    the project of another case of the same file, with ``old = new`` replacements in the given
    file (each ``old`` must occur): a negative control that differs from its positive case only
    in the effect, or the same project with one more decorator.

The project selects the side-effect rules and HYB501/HYB502 (``project_helpers.SELECT``).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from project_helpers import chain, run

CASES = Path(__file__).parent / "project_cases"
CASE_KEYS = {"id", "doc", "expect", "chains", "files", "use", "like", "replace"}
FINDING = re.compile(r"(?P<path>[^:\s]+):(?P<row>\d+)(?::(?P<column>\d+))? (?P<code>HYB\d{3})")


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]
    expect: tuple[str, ...]
    chains: dict[str, str]


def _expand(table: dict, shared: dict, cases: dict[str, dict], seen: tuple[str, ...] = ()) -> dict[str, str]:
    """The files of a case: its ``like`` case's, then its ``use`` tables, then its own, then the replacements."""
    assert table["id"] not in seen, f"`like` cycle: {seen}"
    files: dict[str, str] = {}
    if "like" in table:
        files.update(_expand(cases[table["like"]], shared, cases, (*seen, table["id"])))
    for name in table.get("use", []):
        files.update(shared[name])
    for path, text in table.get("files", {}).items():
        if re.fullmatch(r"@[A-Z_]+", text):
            text = shared[text[1:]]
        files[path] = text
    for path, replacements in table.get("replace", {}).items():
        text = files[path]
        for old, new in replacements.items():
            assert old in text, f"{table['id']}: {old!r} is not in {path}"
            text = text.replace(old, new)
        files[path] = text
    return files


def load_cases(directory: Path = CASES) -> list[Case]:
    result: list[Case] = []
    for toml in sorted(directory.glob("*.toml")):
        data = tomllib.loads(toml.read_text(encoding="utf-8"))
        assert set(data) <= {"shared", "case"}, f"{toml.name}: unknown tables {set(data) - {'shared', 'case'}}"
        shared = data.get("shared", {})
        tables = {table["id"]: table for table in data["case"]}
        assert len(tables) == len(data["case"]), f"{toml.name}: duplicate case ids"
        for table in data["case"]:
            assert set(table) <= CASE_KEYS, f"{table['id']}: unknown keys {set(table) - CASE_KEYS}"
            assert "expect" in table, f"{table['id']}: no `expect`"
            for finding in table["expect"]:
                assert FINDING.fullmatch(finding), f"{table['id']}: bad finding {finding!r}"
            result.append(Case(table["id"], _expand(table, shared, tables), tuple(table["expect"]),
                               table.get("chains", {})))
    ids = [case.id for case in result]
    assert len(ids) == len(set(ids)), [name for name, count in Counter(ids).items() if count > 1]
    return result


def check_case(root: Path, case: Case) -> None:
    found = run(root, case.files)
    with_columns = any(FINDING.fullmatch(f)["column"] for f in case.expect)
    actual = sorted(f"{f.path}:{f.row}:{f.column} {f.code}" if with_columns else f"{f.path}:{f.row} {f.code}"
                    for f in found)
    assert actual == sorted(case.expect), f"found {actual}, expected {sorted(case.expect)}"
    chain_of = {f: chain(f) for f in found if f.code == "HYB110"}  # every HYB110 message carries a chain
    for location, expected in case.chains.items():
        path, row = location.rsplit(":", 1)
        here = [chain_of[f] for f in chain_of if (f.path, f.row) == (path, int(row))]
        assert here, f"no HYB110 finding at {location}"
        assert set(here) == {expected}, f"{location}: chains {here}, expected {expected!r}"


@pytest.mark.parametrize("case", load_cases(), ids=lambda case: case.id)
def test_project_case(tmp_path, case):
    check_case(tmp_path, case)
