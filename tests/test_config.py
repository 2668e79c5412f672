"""``[tool.hybridize-lint]`` as the CLI reads it: errors stop the run in one line, the right file applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybridize_lint import config as config_module
from cli_helpers import TRAIN, check, codes_in, write



@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "train.py", TRAIN)
    return tmp_path


def set_config(directory: Path, body: str) -> Path:
    return write(directory / "pyproject.toml", f"[project]\nname = 'demo'\n\n[tool.hybridize-lint]\n{body}\n")


def assert_config_error(capsys, *names: str, argv=("train.py",)) -> str:
    code, out, err = check(capsys, *argv)
    assert code == 2
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith("hybridize-lint: error: ")
    for name in names:
        assert name in line
    return line


# -- errors ----------------------------------------------------------------------


def test_unknown_key_is_named_in_one_line(project, capsys):
    path = set_config(project, 'select = ["HYB"]\nslect = ["HYB1"]')
    line = assert_config_error(capsys, "'slect'", str(path))
    assert "known keys:" in line and "select" in line


@pytest.mark.parametrize(("body", "key"), [
    ('select = "HYB1"', "select"),
    ("select = [101]", "select"),
    ('select = ["E501"]', "select"),
    ('select = ["hyb1"]', "select"),
    ('extend-select = ["HYB1000"]', "extend-select"),
    ('ignore = ["HYB1", "W"]', "ignore"),
    ('extend-safe-fixes = "HYB101"', "extend-safe-fixes"),
    ('extend-unsafe-fixes = ["X1"]', "extend-unsafe-fixes"),
    ('target-tensorflow = "two"', "target-tensorflow"),
    ("target-tensorflow = 2.8", "target-tensorflow"),
    ('target-tensorflow = "2"', "target-tensorflow"),
    ('per-file-ignores = ["tests/*"]', "per-file-ignores"),
    ('per-file-ignores = { "tests/*" = "HYB1" }', "per-file-ignores.tests/*"),
    ('per-file-ignores = { "tests/*" = ["HYBX"] }', "per-file-ignores.tests/*"),
    ('unsafe-fixes = "yes"', "unsafe-fixes"),
    ("respect-gitignore = 1", "respect-gitignore"),
    ('exclude = "build"', "exclude"),
    ('extend-exclude = [1]', "extend-exclude"),
    ('impure-functions = "pkg.log"', "impure-functions"),
])
def test_bad_values_name_the_key(project, capsys, body, key):
    set_config(project, body)
    line = assert_config_error(capsys, key)
    assert line.split("error: ", 1)[1].startswith(str(project / "pyproject.toml"))


def test_invalid_toml_exits_2(project, capsys):
    write(project / "pyproject.toml", '[tool.hybridize-lint]\nselect = ["HYB1"\n')
    assert_config_error(capsys, "invalid TOML", str(project / "pyproject.toml"))


def test_section_that_is_not_a_table_exits_2(project, capsys):
    write(project / "pyproject.toml", "[tool]\nhybridize-lint = 3\n")
    assert_config_error(capsys, "[tool.hybridize-lint] must be a table")


def test_tool_that_is_not_a_table_is_no_configuration(project, capsys):
    write(project / "pyproject.toml", 'tool = "hybridize-lint"\n')
    code, out, err = check(capsys, "train.py")
    assert (code, err) == (1, "")
    assert codes_in(out) == ["HYB204", "HYB101"]


def test_config_errors_win_over_exit_zero(project, capsys):
    set_config(project, "nope = 1")
    assert_config_error(capsys, "'nope'", argv=("--exit-zero", "train.py"))


def test_missing_config_file_exits_2(project, capsys):
    assert_config_error(capsys, "cannot read config", "missing.toml", argv=("--config", "missing.toml", "train.py"))


# -- which file applies ------------------------------------------------------------------


def test_nearest_pyproject_with_a_section_wins(project, capsys):
    set_config(project, 'select = ["HYB2"]')
    write(project / "pkg" / "train.py", TRAIN)
    set_config(project / "pkg", 'select = ["HYB1"]')
    assert codes_in(check(capsys, "train.py")[1]) == ["HYB204"]
    assert codes_in(check(capsys, "pkg/train.py")[1]) == ["HYB101"]


@pytest.mark.parametrize("inner", [
    "[project]\nname = 'inner'\n",
    "[project]\nname = 'inner'\ndependencies = ['hybridize-lint>=0.1']\n",  # a mention is not a section
    "[tool.black]\nline-length = 100  # like hybridize-lint\n",
])
def test_pyproject_without_a_section_is_skipped(project, capsys, inner):
    set_config(project, 'select = ["HYB2"]')
    write(project / "pkg" / "train.py", TRAIN)
    write(project / "pkg" / "pyproject.toml", inner)
    assert codes_in(check(capsys, "pkg/train.py")[1]) == ["HYB204"]


def test_config_option_overrides_the_nearest_file(project, capsys):
    set_config(project, 'select = ["HYB2"]')
    write(project / "ci" / "lint.toml", '[tool.hybridize-lint]\nignore = ["HYB2"]\n')
    assert codes_in(check(capsys, "--config", "ci/lint.toml", "train.py")[1]) == ["HYB101"]


@pytest.mark.parametrize(("version", "expected"), [
    ("2.8", ["HYB101"]),
    ("2.8.4", ["HYB101"]),
    ("2.9", ["HYB204", "HYB101"]),
    ("2.15.1", ["HYB204", "HYB101"]),
])
def test_target_tensorflow_gates_hyb204(project, capsys, version, expected):
    set_config(project, f'target-tensorflow = "{version}"')
    assert codes_in(check(capsys, "train.py")[1]) == expected


def test_knowledge_base_keys_are_accepted(project, capsys):
    set_config(project, 'impure-functions = ["pkg.log"]\npure-functions = []\ntensor-functions = ["pkg.t"]')
    assert check(capsys, "train.py")[0] == 1


def test_config_is_read_once_per_project_root(project, capsys, monkeypatch):
    set_config(project, 'ignore = ["HYB2"]')
    write(project / "pkg" / "a.py", TRAIN)
    write(project / "pkg" / "deep" / "b.py", TRAIN)
    other = project / "other"
    set_config(other, 'ignore = ["HYB1"]')
    write(other / "c.py", TRAIN)
    calls: list[Path] = []
    real = config_module.read_config_file

    def counting(path: Path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(config_module, "read_config_file", counting)
    code, out, _ = check(capsys, "train.py", "pkg", "pkg/deep/b.py", "other")
    assert sorted(calls) == sorted([project / "pyproject.toml", other / "pyproject.toml"])
    found = {(line.split(":")[0], line.split()[1]) for line in out.splitlines() if ": HYB" in line}
    assert found == {("train.py", "HYB101"), ("pkg/a.py", "HYB101"), ("pkg/deep/b.py", "HYB101"),
                     ("other/c.py", "HYB204")}


@pytest.mark.parametrize("pattern", ["tests/*", "./tests/*", "tests/", "tests", "test_*.py"])
def test_per_file_ignores_patterns(project, capsys, pattern):
    set_config(project, f'per-file-ignores = {{ "{pattern}" = ["HYB1"] }}')
    write(project / "tests" / "test_train.py", TRAIN)
    out = check(capsys, "train.py", "tests")[1]
    assert [(line.split(":")[0], line.split()[1]) for line in out.splitlines() if ": HYB" in line] == [
        ("tests/test_train.py", "HYB204"), ("train.py", "HYB204"), ("train.py", "HYB101")]


def test_nested_projects_own_exclusions_apply_when_walking_from_outside(project, capsys):
    set_config(project, "")
    set_config(project / "inner", 'extend-exclude = ["generated"]')
    write(project / "inner" / "generated" / "model.py", TRAIN)
    assert check(capsys, "inner")[0] == 0  # walking the inner project itself honours it
    out = check(capsys, ".")[1]
    assert [line.split(":")[0] for line in out.splitlines() if ": HYB" in line] == ["train.py", "train.py"]
