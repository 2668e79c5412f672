"""Behaviour of ``hybridize-lint check|rule|rules`` on real files, as a user sees it.

Most tests run the CLI in-process (``main([...])`` with capsys); a few run
``python -m hybridize_lint`` in a subprocess to cover the real entry point.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cli_helpers
from cli_helpers import RUFF_JSON_KEYS, SAFE_FIXED, TRAIN, codes_in, write
from hybridize_lint.cli import main
from hybridize_lint.registry import rules_by_code

ALL_FIXED = SAFE_FIXED.replace('    print("loss:"', '    tf.print("loss:"')

MSG204 = "`experimental_relax_shapes` is deprecated since TensorFlow 2.9; use `reduce_retracing`"
MSG101 = ("`print` inside graph function `train_step` runs once per trace, not on every call; "
          "use `tf.print` to print on every call")
LINE204 = f"train.py:4:14: HYB204 [*] {MSG204}"
LINE101 = f"train.py:7:5: HYB101 [~] {MSG101}"  # an unsafe fix: `--unsafe-fixes` applies it
LINE101_FIXABLE = f"train.py:7:5: HYB101 [*] {MSG101}"


def config(project: Path, body: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.hybridize-lint]\n{body}\n")


def check(capsys, *args) -> tuple[int, str, str]:
    """These tests run with the cache on, as users do."""
    return cli_helpers.check(capsys, *args, cache=True)


# -- exit codes ---------------------------------------------------------------


def test_clean_file_exits_0(project, capsys):
    write(project / "ok.py", "import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    return x * 2\n")
    assert check(capsys, "ok.py") == (0, "All checks passed!\n", "")


def test_findings_exit_1_with_exact_text_output(project, capsys):
    write(project / "train.py", TRAIN)
    code, out, err = check(capsys, "train.py")
    assert code == 1
    assert out.splitlines() == [
        LINE204,
        LINE101,
        "Found 2 errors.",
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    assert err == ""


def test_exit_zero_keeps_the_report(project, capsys):
    write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--exit-zero", "train.py")
    assert code == 0
    assert LINE204 in out.splitlines()


def test_unsafe_fixes_flag_marks_unsafe_fixes_applicable(project, capsys):
    write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--unsafe-fixes", "train.py")
    assert code == 1
    assert out.splitlines() == [LINE204, LINE101_FIXABLE, "Found 2 errors.", "[*] 2 fixable with the `--fix` option."]


@pytest.mark.parametrize("argv", [
    ["check", "--no-such-option"],
    ["check", "--select", "FOO1"],
    ["check", "--ignore", "hyb,"],
    ["check", "--output-format", "xml"],
    ["nonsense"],
    [],
])
def test_usage_errors_exit_2(project, capsys, argv):
    write(project / "train.py", TRAIN)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: hybridize-lint" in err and "Traceback" not in err


def test_bad_select_value_names_the_value(project, capsys):
    assert main(["check", "--select", "HYB1,E501"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "hybridize-lint check: error: argument --select: 'E501' is not a rule code or prefix (e.g. 'HYB1', 'HYB101')")


def test_unknown_rule_exits_2(capsys):
    assert main(["rule", "HYB999"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "hybridize-lint: error: unknown rule 'HYB999' (see `hybridize-lint rules`)\n"


def test_version_exits_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("hybridize-lint ")


def test_internal_error_in_one_rule_exits_2_and_keeps_other_findings(project, capsys, monkeypatch):
    import hybridize_lint.checks.print_calls as print_calls

    def broken(ctx, rule):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(print_calls, "check", broken)
    write(project / "train.py", TRAIN)
    code, out, err = check(capsys, "train.py")
    assert code == 2
    assert LINE204 in out.splitlines()
    [line] = err.splitlines()
    assert line.startswith("hybridize-lint: error: internal error in rule HYB101 on train.py")
    assert "RuntimeError: boom" in line


def test_unexpected_exception_is_one_line_not_a_traceback(project, capsys, monkeypatch):
    from hybridize_lint import engine

    def explode(self, paths, options):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine.Linter, "run", explode)
    code, out, err = check(capsys, ".")
    assert code == 2
    assert err == "hybridize-lint: error: internal error: RuntimeError: disk on fire, please report\n"


# -- JSON ----------------------------------------------------------------------


def test_json_output_has_ruffs_keys_for_every_finding(project, capsys):
    write(project / "train.py", TRAIN)
    write(project / "broken.py", "def f(:\n    pass\n")
    write(project / "latin.py", b'x = "\xff"\n')
    code, out, err = check(capsys, "--output-format", "json", ".")
    assert code == 1 and err == ""
    items = json.loads(out)
    assert sorted(item["code"] for item in items) == ["HYB001", "HYB002", "HYB101", "HYB204"]
    for item in items:
        assert set(item) == RUFF_JSON_KEYS
        assert Path(item["filename"]).is_absolute()
        assert set(item["location"]) == set(item["end_location"]) == {"row", "column"}
    by_code = {item["code"]: item for item in items}
    assert by_code["HYB204"]["fix"]["applicability"] == "safe"
    assert by_code["HYB204"]["fix"]["edits"] == [{
        "content": "reduce_retracing", "location": {"row": 4, "column": 14}, "end_location": {"row": 4, "column": 39},
    }]
    assert by_code["HYB101"]["fix"]["applicability"] == "unsafe"
    assert by_code["HYB002"]["location"] == {"row": 1, "column": 7}
    assert by_code["HYB002"]["fix"] is None and by_code["HYB001"]["fix"] is None
    assert by_code["HYB001"]["filename"] == str(project / "latin.py")


def test_json_output_of_a_clean_run_is_an_empty_list(project, capsys):
    write(project / "ok.py", "x = 1\n")
    code, out, _ = check(capsys, "--output-format", "json", "ok.py")
    assert code == 0 and json.loads(out) == []


# -- fixes ---------------------------------------------------------------------


def test_fix_applies_only_the_safe_fix(project, capsys):
    path = write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--fix", "train.py")
    assert code == 1
    assert path.read_bytes() == SAFE_FIXED.encode()  # every byte outside the edit unchanged
    assert out.splitlines() == [
        LINE101,
        "Found 2 errors (1 fixed, 1 remaining).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    code, out, _ = check(capsys, "train.py")  # nothing safe-fixable is left
    assert code == 1
    assert "[*]" not in out and codes_in(out) == ["HYB101"]


def test_fix_with_unsafe_fixes_applies_tf_print(project, capsys):
    path = write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--fix", "--unsafe-fixes", "train.py")
    assert (code, out) == (0, "Found 2 errors (2 fixed, 0 remaining).\n")
    assert path.read_bytes() == ALL_FIXED.encode()
    assert check(capsys, "train.py") == (0, "All checks passed!\n", "")


def test_unsafe_fixes_in_config_applies_tf_print(project, capsys):
    config(project, "unsafe-fixes = true")
    path = write(project / "train.py", TRAIN)
    assert check(capsys, "--fix", "train.py")[0] == 0
    assert path.read_bytes() == ALL_FIXED.encode()


def test_unsafe_fixes_in_config_marks_fixes_when_no_path_is_given(project, capsys):
    config(project, "unsafe-fixes = true")
    write(project / "train.py", TRAIN)
    code, out, _ = check(capsys)  # the default path "."
    assert code == 1
    assert out.splitlines() == [LINE204, LINE101_FIXABLE, "Found 2 errors.", "[*] 2 fixable with the `--fix` option."]


def test_no_unsafe_fixes_flag_beats_the_config(project, capsys):
    config(project, "unsafe-fixes = true")
    path = write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--no-unsafe-fixes", "--fix", "train.py")
    assert code == 1
    assert path.read_bytes() == SAFE_FIXED.encode()
    assert out.splitlines()[0] == LINE101


def test_extend_safe_fixes_makes_fix_apply_tf_print(project, capsys):
    config(project, 'extend-safe-fixes = ["HYB101"]')
    path = write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "train.py")
    assert out.splitlines()[:2] == [LINE204, LINE101_FIXABLE]
    assert check(capsys, "--fix", "train.py")[0] == 0
    assert path.read_bytes() == ALL_FIXED.encode()


def test_extend_unsafe_fixes_keeps_fix_from_applying_a_safe_fix(project, capsys):
    config(project, 'extend-unsafe-fixes = ["HYB204"]')
    path = write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--fix", "train.py")
    assert code == 1 and path.read_bytes() == TRAIN.encode()
    assert f"train.py:4:14: HYB204 [~] {MSG204}" in out.splitlines()


@pytest.mark.parametrize("body, fixed", [
    ('extend-safe-fixes = ["HYB1"]\nextend-unsafe-fixes = ["HYB101"]', False),  # the specific one wins
    ('extend-safe-fixes = ["HYB101"]\nextend-unsafe-fixes = ["HYB1"]', True),
])
def test_the_more_specific_fix_safety_prefix_wins(project, capsys, body, fixed):
    config(project, body)
    path = write(project / "train.py", TRAIN)
    check(capsys, "--fix", "train.py")
    assert ("tf.print" in path.read_text()) is fixed


def test_fix_follows_a_symlink_instead_of_replacing_it(project, capsys):
    target = write(project / "real.py", TRAIN)
    link = project / "link.py"
    link.symlink_to("real.py")
    check(capsys, "--fix", "link.py")
    assert link.is_symlink()
    assert target.read_bytes() == SAFE_FIXED.encode()


# -- --diff --------------------------------------------------------------------


def test_diff_prints_a_unified_diff_and_writes_nothing(project, capsys):
    path = write(project / "train.py", TRAIN)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    code, out, err = check(capsys, "--diff", "train.py")
    assert code == 1
    assert out == (
        "--- a/train.py\n"
        "+++ b/train.py\n"
        "@@ -1,7 +1,7 @@\n"
        " import tensorflow as tf\n"
        " \n"
        " \n"
        "-@tf.function(experimental_relax_shapes=True)\n"
        "+@tf.function(reduce_retracing=True)\n"
        " def train_step(x, y):\n"
        "     loss = x + y\n"
        "     print(\"loss:\", loss)\n"
    )
    assert path.read_bytes() == TRAIN.encode()
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_diff_with_unsafe_fixes_includes_tf_print(project, capsys):
    path = write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--diff", "--unsafe-fixes", "train.py")
    assert code == 1
    assert '+    tf.print("loss:", loss)\n' in out and "+@tf.function(reduce_retracing=True)\n" in out
    assert path.read_bytes() == TRAIN.encode()


def test_diff_without_changes_exits_0(project, capsys):
    write(project / "train.py", TRAIN)
    assert check(capsys, "--diff", "--select", "HYB1", "train.py") == (0, "", "")


def test_diff_marks_a_last_line_without_newline(project, capsys):
    write(project / "f.py", "import tensorflow as tf\nf = tf.function(g, experimental_relax_shapes=True)")
    code, out, _ = check(capsys, "--diff", "f.py")
    assert code == 1
    assert out.endswith(
        "-f = tf.function(g, experimental_relax_shapes=True)\n\\ No newline at end of file\n"
        "+f = tf.function(g, reduce_retracing=True)\n\\ No newline at end of file\n")


def test_diff_keeps_form_feeds_inside_their_line(project, capsys):
    write(project / "f.py", "import tensorflow as tf\n\x0c\nf = tf.function(g, experimental_relax_shapes=True)\n")
    out = check(capsys, "--diff", "f.py")[1]
    assert out.split("\n")[2:] == [
        "@@ -1,3 +1,3 @@", " import tensorflow as tf", " \x0c",
        "-f = tf.function(g, experimental_relax_shapes=True)", "+f = tf.function(g, reduce_retracing=True)", ""]


# -- selection -------------------------------------------------------------------


@pytest.mark.parametrize(("config_body", "argv", "expected"), [
    ("", [], ["HYB204", "HYB101"]),
    ("", ["--select", "HYB1"], ["HYB101"]),
    ("", ["--select", "HYB2,HYB1"], ["HYB204", "HYB101"]),
    ("", ["--select", "ALL"], ["HYB204", "HYB101"]),
    ("", ["--ignore", "HYB1"], ["HYB204"]),
    ("", ["--select", "HYB101", "--ignore", "HYB1"], ["HYB101"]),  # more specific select wins
    ("", ["--select", "HYB1", "--ignore", "HYB101"], []),  # more specific ignore wins
    ("", ["--select", "HYB1", "--ignore", "HYB1"], []),  # a tie goes to ignore
    ("", ["--select", "HYB2", "--extend-select", "HYB101"], ["HYB204", "HYB101"]),
    ("", ["--ignore", "HYB", "--extend-select", "HYB20"], ["HYB204"]),
    ('select = ["HYB1"]', [], ["HYB101"]),
    ('select = ["HYB1"]', ["--select", "HYB2"], ["HYB204"]),  # --select replaces the configured selection
    ('select = ["HYB1"]', ["--extend-select", "HYB2"], ["HYB204", "HYB101"]),  # ... --extend-select adds to it
    ('ignore = ["HYB204"]', ["--ignore", "HYB101"], []),  # --ignore adds to the configured ignores
    ('ignore = ["HYB204"]', ["--extend-select", "HYB204"], ["HYB204", "HYB101"]),
    ('ignore = ["HYB2"]', ["--select", "HYB"], ["HYB204", "HYB101"]),  # --select starts afresh, as in ruff
    ('select = ["HYB1"]\nextend-select = ["HYB204"]', [], ["HYB204", "HYB101"]),
])
def test_selection_by_prefix(project, capsys, config_body, argv, expected):
    if config_body:
        config(project, config_body)
    write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, *argv, "train.py")
    assert codes_in(out) == expected
    assert code == (1 if expected else 0)


# -- output modes --------------------------------------------------------------


def test_statistics(project, capsys):
    write(project / "train.py", TRAIN)
    write(project / "other.py", TRAIN.replace("train_step", "other_step"))
    code, out, _ = check(capsys, "--statistics", ".")
    assert code == 1
    assert out.splitlines() == [
        "2\tHYB101\t[~] print-in-graph-code",
        "2\tHYB204\t[*] deprecated-relax-shapes",
        "Found 4 errors.",
        "[*] 2 fixable with the `--fix` option (2 hidden fixes can be enabled with the `--unsafe-fixes` option).",
    ]


def test_statistics_of_a_clean_run_prints_only_the_summary(project, capsys):
    write(project / "ok.py", "x = 1\n")
    assert check(capsys, "--statistics", "ok.py") == (0, "", "")


def test_quiet_prints_findings_only(project, capsys):
    write(project / "train.py", TRAIN)
    assert check(capsys, "--quiet", "train.py") == (1, f"{LINE204}\n{LINE101}\n", "")
    assert check(capsys, "-q", "--select", "HYB9", "train.py") == (0, "", "")


# -- noqa ------------------------------------------------------------------------


def test_add_noqa_adds_a_directive_and_a_rerun_is_clean(project, capsys):
    path = write(project / "train.py", TRAIN)
    code, _, _ = check(capsys, "--add-noqa", "--select", "HYB1", "train.py")
    assert code == 0
    assert path.read_text() == TRAIN.replace('print("loss:", loss)\n', 'print("loss:", loss)  # noqa: HYB101\n')
    assert check(capsys, "--select", "HYB1", "train.py")[0] == 0


def test_add_noqa_merges_with_an_existing_directive(project, capsys):
    source = TRAIN.replace('print("loss:", loss)', 'print("loss:", loss)  # noqa: HYB204  # keep this')
    path = write(project / "train.py", source)
    assert check(capsys, "--add-noqa", "train.py")[0] == 0
    assert 'print("loss:", loss)  # noqa: HYB204, HYB101  # keep this\n' in path.read_text()
    assert "@tf.function(experimental_relax_shapes=True)  # noqa: HYB204\n" in path.read_text()
    assert check(capsys, "train.py") == (0, "All checks passed!\n", "")


def test_add_noqa_and_diff_cannot_be_combined(project, capsys):
    path = write(project / "train.py", TRAIN)
    code, out, err = check(capsys, "--add-noqa", "--diff", "train.py")
    assert code == 2 and err == "hybridize-lint: error: --diff and --add-noqa cannot be combined\n"
    assert path.read_bytes() == TRAIN.encode()


@pytest.mark.parametrize(("comment", "suppressed"), [
    ("# noqa", True),
    ("# noqa: HYB101", True),
    ("# noqa:HYB101", True),
    ("# NOQA: hyb101", True),
    ("# noqa: HYB1", True),
    ("# noqa: HYB204, HYB101", True),
    ("# noqa: HYB2", False),
    ("# noqa: HYB204", False),
    ("# noqa: HYB102", False),
    ("# no qa", False),
])
def test_noqa_comments(project, capsys, comment, suppressed):
    write(project / "train.py", TRAIN.replace('print("loss:", loss)', f'print("loss:", loss)  {comment}'))
    out = check(capsys, "--select", "HYB1", "train.py")[1]
    assert codes_in(out) == ([] if suppressed else ["HYB101"])


GRAPH_PRINTS = """\
import tensorflow as tf


@tf.function
def f(x):
    print("see # noqa: HYB204 here", x)
    y = x + \\
        1; print(y)
    print(\"\"\"two
lines\"\"\", x)
    print(x, \\
          x)
    return x
"""


def test_add_noqa_touches_comments_only_and_handles_continuations(project, capsys):
    path = write(project / "f.py", GRAPH_PRINTS)
    code, out, _ = check(capsys, "--output-format", "json", "f.py")
    assert [(item["location"]["row"], item["noqa_row"]) for item in json.loads(out)] == [
        (6, 6), (8, 8), (9, 10), (11, 12)]
    assert check(capsys, "--add-noqa", "f.py")[0] == 0
    assert path.read_text() == GRAPH_PRINTS.replace(
        'here", x)\n', 'here", x)  # noqa: HYB101\n').replace(
        "1; print(y)\n", "1; print(y)  # noqa: HYB101\n").replace(
        'lines""", x)\n', 'lines""", x)  # noqa: HYB101\n').replace(
        "          x)\n", "          x)  # noqa: HYB101\n")
    assert check(capsys, "f.py") == (0, "All checks passed!\n", "")


def test_add_noqa_in_a_file_with_cr_line_breaks(project, capsys):
    source = GRAPH_PRINTS.replace("\n", "\r")
    path = write(project / "f.py", source)
    assert check(capsys, "--add-noqa", "f.py")[0] == 0
    assert path.read_bytes() == path.read_bytes().replace(b"\n", b"")  # no other line break crept in
    assert path.read_bytes().split(b"\r")[5:13:2] == [
        b'    print("see # noqa: HYB204 here", x)  # noqa: HYB101', b"        1; print(y)  # noqa: HYB101",
        b'lines""", x)  # noqa: HYB101', b"          x)  # noqa: HYB101"]
    assert check(capsys, "f.py") == (0, "All checks passed!\n", "")


def test_noqa_text_inside_a_string_suppresses_nothing(project, capsys):
    write(project / "f.py", GRAPH_PRINTS.replace("see # noqa: HYB204 here", "# noqa"))
    out = check(capsys, "f.py")[1]
    assert [line.split(":")[1] for line in out.splitlines() if ": HYB" in line] == ["6", "8", "9", "11"]


# -- stdin -------------------------------------------------------------------------


def test_stdin_is_linted_as_the_given_filename(project, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(TRAIN))
    code, out, _ = check(capsys, "--stdin-filename", "train.py")
    assert code == 1
    assert out.splitlines()[:2] == [LINE204, LINE101]


def test_stdin_fix_writes_fixed_source_to_stdout_and_nothing_to_disk(project, capsys, monkeypatch):
    on_disk = write(project / "train.py", TRAIN)
    monkeypatch.setattr(sys, "stdin", io.StringIO(TRAIN))
    code, out, err = check(capsys, "--fix", "--stdin-filename", "train.py")
    assert code == 1
    assert out == SAFE_FIXED
    assert LINE101 in err.splitlines()
    assert on_disk.read_bytes() == TRAIN.encode()


def test_stdin_fix_echoes_unfixable_source_unchanged(project, capsys, monkeypatch):
    source = "import tensorflow as tf\ndef f(:\n    pass\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(source))
    code, out, err = check(capsys, "--fix", "--stdin-filename", "broken.py")
    assert code == 1
    assert out == source  # an editor replacing its buffer with this must not lose the code
    assert "broken.py:2:7: HYB002 syntax error: invalid syntax" in err.splitlines()


def test_stdin_with_force_exclude_skips_an_excluded_filename(project, capsys, monkeypatch):
    config(project, 'extend-exclude = ["generated"]')
    monkeypatch.setattr(sys, "stdin", io.StringIO(TRAIN))
    assert check(capsys, "--fix", "--force-exclude", "--stdin-filename", "generated/train.py") == (
        0, TRAIN, "All checks passed!\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(TRAIN))
    assert check(capsys, "--fix", "--stdin-filename", "generated/train.py")[1] == SAFE_FIXED


def test_stdin_respects_the_config_of_the_filename(project, capsys, monkeypatch):
    config(project, 'per-file-ignores = { "tests/*" = ["HYB2"] }')
    monkeypatch.setattr(sys, "stdin", io.StringIO(TRAIN))
    out = check(capsys, "--stdin-filename", "tests/train.py")[1]
    assert codes_in(out) == ["HYB101"]


# -- rules ---------------------------------------------------------------------------


def test_rules_lists_every_code(capsys):
    assert main(["rules"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header == "# [*] fixed by `--fix`; [~] unsafe fix, applied with `--fix --unsafe-fixes`; no marker: no automatic fix"
    assert [line.split()[0] for line in lines] == sorted(rules_by_code())
    by_code = {line.split()[0]: line for line in lines}
    assert by_code["HYB001"].split()[1:2] == ["unreadable-file"]
    assert by_code["HYB101"].startswith("HYB101 [~] print-in-graph-code ")
    assert by_code["HYB204"].startswith("HYB204 [*] deprecated-relax-shapes ")


@pytest.mark.parametrize("code", ["HYB101", "hyb101"])
def test_rule_prints_its_documentation(capsys, code):
    assert main(["rule", code]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# print-in-graph-code (HYB101)\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety",
                    "## References"):
        assert f"\n{heading}\n" in out


# -- discovery and per-file settings ----------------------------------------------------


def test_force_exclude_applies_to_explicit_files(project, capsys):
    config(project, 'extend-exclude = ["generated"]')
    write(project / "generated" / "model.py", TRAIN)
    assert check(capsys, "generated/model.py")[0] == 1  # explicit paths are linted by default
    assert check(capsys, ".") == (0, "", "hybridize-lint: warning: No Python files found under the given path(s)\n")
    assert check(capsys, "--force-exclude", "generated/model.py") == (
        0, "", "hybridize-lint: warning: No Python files found under the given path(s)\n")


def test_gitignored_files_are_skipped_when_walking(project, capsys):
    write(project / ".gitignore", "ignored.py\nscratch/\n")
    write(project / "ignored.py", TRAIN)
    write(project / "scratch" / "train.py", TRAIN)
    write(project / "src" / "train.py", TRAIN)
    out = check(capsys, ".")[1]
    assert {line.split(":")[0] for line in out.splitlines() if ": HYB" in line} == {"src/train.py"}
    config(project, "respect-gitignore = false")
    out = check(capsys, ".")[1]
    assert {line.split(":")[0] for line in out.splitlines() if ": HYB" in line} == {
        "ignored.py", "scratch/train.py", "src/train.py"}


def test_per_file_ignores(project, capsys):
    config(project, 'per-file-ignores = { "tests/*" = ["HYB1"], "legacy.py" = ["HYB"] }')
    write(project / "tests" / "test_train.py", TRAIN)
    write(project / "src" / "train.py", TRAIN)
    write(project / "legacy.py", TRAIN)
    out = check(capsys, ".")[1]
    assert [line.split(": ")[0] for line in out.splitlines() if ": HYB" in line] == [
        "src/train.py:4:14", "src/train.py:7:5", "tests/test_train.py:4:14"]


# -- encodings and positions ---------------------------------------------------------


@pytest.mark.parametrize(("original", "expected"), [
    pytest.param(TRAIN.replace("\n", "\r\n").encode(), ALL_FIXED.replace("\n", "\r\n").encode(), id="crlf"),
    pytest.param(b"\xef\xbb\xbf" + TRAIN.replace('"loss:"', '"p\xe9rte:"').encode(),
                 b"\xef\xbb\xbf" + ALL_FIXED.replace('"loss:"', '"p\xe9rte:"').encode(), id="utf8-bom"),
    pytest.param(("# -*- coding: latin-1 -*-\n" + TRAIN.replace('"loss:"', '"p\xe9rte:"')).encode("latin-1"),
                 ("# -*- coding: latin-1 -*-\n" + ALL_FIXED.replace('"loss:"', '"p\xe9rte:"')).encode("latin-1"),
                 id="latin-1"),
    pytest.param(TRAIN.replace("\n", "\r").encode(), ALL_FIXED.replace("\n", "\r").encode(), id="cr"),
])
def test_fix_keeps_line_endings_bom_and_encoding(project, capsys, original, expected):
    path = write(project / "train.py", original)
    code, out, err = check(capsys, "--fix", "--unsafe-fixes", "train.py")
    assert (code, err) == (0, "")
    assert path.read_bytes() == expected


def test_non_ascii_before_a_finding_gives_character_columns(project, capsys):
    source = (
        "import tensorflow as tf\n"
        'a = "\u00e9\u00e9"; f = tf.function(lambda: 1, experimental_relax_shapes=True)\n'
        "\n"
        "\n"
        "@tf.function\n"
        "def g():\n"
        '    s = "\u65e5\u672c\U0001f600"; print(s)\n'
        "    return tf.ones(())\n"
    )
    path = write(project / "g.py", source)
    code, out, _ = check(capsys, "--output-format", "json", "g.py")
    locations = [(item["code"], item["location"], item["end_location"]) for item in json.loads(out)]
    assert locations == [
        ("HYB204", {"row": 2, "column": 38}, {"row": 2, "column": 68}),
        ("HYB101", {"row": 7, "column": 16}, {"row": 7, "column": 24}),
    ]
    check(capsys, "--fix", "--unsafe-fixes", "g.py")
    assert path.read_text(encoding="utf-8") == source.replace(
        "experimental_relax_shapes", "reduce_retracing").replace("; print(s)", "; tf.print(s)")


# -- the real entry point ------------------------------------------------------------------


def run_module(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hybridize_lint", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)


def test_subprocess_check_reports_and_exits_1(project):
    write(project / "train.py", TRAIN)
    result = run_module("check", "train.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines()[:2] == [LINE204, LINE101]
    assert result.stderr == b""


def test_subprocess_fix_and_json(project):
    path = write(project / "train.py", TRAIN)
    result = run_module("check", "--fix", "--output-format", "json", "train.py", cwd=project)
    assert result.returncode == 1
    [item] = json.loads(result.stdout)
    assert item["code"] == "HYB101" and set(item) == RUFF_JSON_KEYS
    assert path.read_bytes() == SAFE_FIXED.encode()


def test_subprocess_usage_error_exits_2(project):
    result = run_module("check", "--select", "NOPE", cwd=project)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and b"NOPE" in result.stderr


def test_subprocess_stdin_fix_keeps_crlf(project):
    source = TRAIN.replace("\n", "\r\n").encode()
    result = run_module("check", "--fix", "--stdin-filename", "train.py", cwd=project, stdin=source)
    assert result.returncode == 1
    assert result.stdout == SAFE_FIXED.replace("\n", "\r\n").encode()
    assert not (project / "train.py").exists()


@pytest.mark.parametrize("prefix, encoding", [
    (b"\xef\xbb\xbf", "utf-8"),
    (b"# -*- coding: latin-1 -*-\n", "latin-1"),
])
def test_subprocess_stdin_fix_keeps_bom_and_encoding(project, prefix, encoding):
    source = TRAIN.replace('"loss:"', '"p\xe9rte:"')
    result = run_module("check", "--fix", "--stdin-filename", "train.py", cwd=project,
                        stdin=prefix + source.encode(encoding))
    assert (result.returncode, b"Traceback" in result.stderr) == (1, False)
    assert result.stdout == prefix + source.replace("experimental_relax_shapes", "reduce_retracing").encode(encoding)


def test_subprocess_closed_stdout_is_quiet(project):
    for index in range(300):
        write(project / f"train_{index}.py", TRAIN)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "--no-cache", "."], cwd=project,
                                stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == 2
    assert result.stderr == b""


def test_a_file_named_twice_is_reported_once(project, capsys):
    write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "--fix", "train.py", str(project / "train.py"))
    assert out.splitlines()[-2:] == [
        "Found 2 errors (1 fixed, 1 remaining).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
