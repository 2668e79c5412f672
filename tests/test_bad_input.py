"""Files the tool cannot handle: one clear diagnostic naming the path, the run goes on, nothing is damaged.

Permission problems are injected (CI runs as root, where chmod does not stop reads or writes).
"""

from __future__ import annotations

import ast
import json
import os
import pathlib
from pathlib import Path

import pytest

from hybridize_lint import source as source_module
import cli_helpers
from cli_helpers import RUFF_JSON_KEYS, SAFE_FIXED, TRAIN, check
from hybridize_lint.cli import main
from hybridize_lint.reporters import FORMATS

# Would be fixed if it parsed: a fix must never touch it.
BROKEN = "import tensorflow as tf\n\n@tf.function(experimental_relax_shapes=True)\ndef f(x:\n    return x\n"


OLD_MTIME_NS = 1_000_000_000  # every input is old: a file the tool rewrites gets a new mtime


def write(path: Path, data: str | bytes) -> Path:
    return cli_helpers.write(path, data, mtime_ns=OLD_MTIME_NS)


def snapshot(*paths: Path) -> dict[Path, tuple[bytes, int]]:
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in paths}


def findings(out: str, output_format: str) -> list[tuple[str, int, int, str]]:
    """(path, row, column, code) of every finding, whatever the format."""
    if output_format == "text":
        found = []
        for line in out.splitlines():
            if ": HYB" in line:
                location, rest = line.split(": ", 1)
                path, row, column = location.rsplit(":", 2)
                found.append((path, int(row), int(column), rest.split()[0]))
        return found
    if output_format == "json":
        items = json.loads(out)
        for item in items:
            assert set(item) == RUFF_JSON_KEYS
        return [(os.path.relpath(item["filename"]), item["location"]["row"], item["location"]["column"],
                 item["code"]) for item in items]
    if output_format == "sarif":
        [run] = json.loads(out)["runs"]
        found = []
        for result in run["results"]:
            [location] = result["locations"]
            physical = location["physicalLocation"]
            region = physical["region"]
            found.append((physical["artifactLocation"]["uri"], region["startLine"], region["startColumn"],
                          result["ruleId"]))
        return found
    assert output_format == "github"
    found = []
    for line in out.splitlines():
        command, _, rest = line.partition(" ")
        assert command in ("::error", "::warning", "::notice") and rest.startswith("title=hybridize-lint (HYB")
        properties = dict(item.split("=", 1) for item in rest.split("::", 1)[0].split(","))
        found.append((properties["file"], int(properties["line"]), int(properties["col"]),
                      properties["title"][len("hybridize-lint ("):-1]))
    return found


def message_of(out: str, output_format: str, path: str) -> str:
    if output_format == "text":
        [line] = [line for line in out.splitlines() if line.startswith(f"{path}:")]
        return line.split(": ", 1)[1].split(" ", 1)[1]
    [item] = [item for item in json.loads(out) if item["filename"].endswith(path)]
    return item["message"]


def parser_position(text: str) -> tuple[int, int]:
    try:
        ast.parse(text)
    except SyntaxError as error:
        return error.lineno, error.offset
    raise AssertionError("expected a syntax error")


# -- unparseable and undecodable files --------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
def test_syntax_error_reported_at_the_parsers_position_and_other_files_checked(project, capsys, output_format):
    broken = write(project / "broken.py", BROKEN)
    write(project / "train.py", TRAIN)
    code, out, err = check(capsys, "--output-format", output_format, ".")
    assert (code, err) == (1, "")
    row, column = parser_position(BROKEN)
    assert (row, column) == (4, 6)
    assert findings(out, output_format) == [
        ("broken.py", 4, 6, "HYB002"), ("train.py", 4, 14, "HYB204"), ("train.py", 7, 5, "HYB101")]
    assert broken.read_bytes() == BROKEN.encode()


@pytest.mark.parametrize("ignored", ["HYB002", "HYB0"])
def test_ignored_syntax_errors_are_not_reported(project, capsys, ignored):
    write(project / "broken.py", BROKEN)
    assert check(capsys, "--ignore", ignored, "broken.py") == (0, "All checks passed!\n", "")


def test_syntax_error_message_is_the_parsers(project, capsys):
    write(project / "broken.py", BROKEN)
    out = check(capsys, "broken.py")[1]
    assert out.splitlines()[0] == "broken.py:4:6: HYB002 syntax error: '(' was never closed"


@pytest.mark.parametrize("text", [
    "x = \"\u00e9\u00e9\" + )\n",  # the column counts characters, not UTF-8 bytes
    "def f():\nreturn 1\n",  # IndentationError
    "x = 1\n\tif x:\n        pass\n",
    "print 'hello'\n",
])
def test_syntax_error_positions(project, capsys, text):
    write(project / "broken.py", text)
    code, out, _ = check(capsys, "--output-format", "json", "broken.py")
    [item] = json.loads(out)
    assert code == 1 and item["code"] == "HYB002"
    assert (item["location"]["row"], item["location"]["column"]) == parser_position(text)


def test_too_deeply_nested_code_is_a_syntax_error_not_a_crash(project, capsys):
    write(project / "deep.py", "x = " + "(" * 500 + "1" + ")" * 500 + "\n")
    code, out, _ = check(capsys, "deep.py")
    assert code == 1
    assert out.startswith("deep.py:1:") and " HYB002 " in out


@pytest.mark.parametrize("output_format", FORMATS)
def test_invalid_utf8_is_hyb001(project, capsys, output_format):
    write(project / "bad_encoding.py", b'x = "\xff"\n')
    write(project / "train.py", TRAIN)
    code, out, err = check(capsys, "--output-format", output_format, ".")
    assert (code, err) == (1, "")
    assert findings(out, output_format)[0] == ("bad_encoding.py", 1, 1, "HYB001")
    assert len(findings(out, output_format)) == 3
    if output_format in ("text", "json"):
        assert message_of(out, output_format, "bad_encoding.py") == (
            "cannot decode file as utf-8: invalid start byte at byte 5")


def test_undecodable_in_its_declared_encoding_is_hyb001(project, capsys):
    write(project / "cookie.py", b"# -*- coding: ascii -*-\nx = '\xe9'\n")
    write(project / "unknown.py", b"# -*- coding: klingon -*-\nx = 1\n")
    out = check(capsys, ".")[1]
    assert [line.split(": ")[0:2] for line in out.splitlines() if ": HYB" in line] == [
        ["cookie.py:1:1", "HYB001 cannot decode file as ascii"], ["unknown.py:1:1", "HYB001 cannot decode file"]]


@pytest.mark.parametrize("output_format", FORMATS)
def test_binary_file_named_py_is_hyb001(project, capsys, output_format):
    write(project / "blob.py", bytes(range(256)) * 4)
    write(project / "train.py", TRAIN)
    code, out, err = check(capsys, "--output-format", output_format, ".")
    assert (code, err) == (1, "")
    assert findings(out, output_format)[0] == ("blob.py", 1, 1, "HYB001")
    if output_format in ("text", "json"):
        assert message_of(out, output_format, "blob.py") == "file looks binary (contains NUL bytes)"


@pytest.mark.parametrize("output_format", FORMATS)
def test_empty_file_is_clean(project, capsys, output_format):
    write(project / "empty.py", b"")
    code, out, err = check(capsys, "--output-format", output_format, "empty.py")
    assert (code, err) == (0, "")
    assert findings(out, output_format) == []
    if output_format == "text":
        assert out == "All checks passed!\n"


def test_too_large_file_is_hyb001(project, capsys, monkeypatch):
    monkeypatch.setattr(source_module, "MAX_FILE_BYTES", 100)
    write(project / "big.py", "x = 1\n" * 50)
    out = check(capsys, "big.py")[1]
    assert out.splitlines()[0] == "big.py:1:1: HYB001 file is too large to analyse (300 bytes, limit 100)"


def test_missing_explicit_path_is_hyb001(project, capsys):
    write(project / "train.py", TRAIN)
    code, out, _ = check(capsys, "nope.py", "train.py")
    assert code == 1
    assert out.splitlines()[0] == "nope.py:1:1: HYB001 no such file or directory"
    assert len([line for line in out.splitlines() if ": HYB" in line]) == 3


def test_files_with_errors_are_never_written(project, capsys):
    files = [write(project / "broken.py", BROKEN), write(project / "bad_encoding.py", b'x = "\xff"\n'),
             write(project / "blob.py", b"\x00" + TRAIN.encode())]
    before = snapshot(*files)
    fixable = write(project / "train.py", TRAIN)
    code, _, err = check(capsys, "--fix", "--unsafe-fixes", ".")
    assert (code, err) == (1, "")
    assert snapshot(*files) == before
    assert fixable.read_bytes() != TRAIN.encode()
    check(capsys, "--add-noqa", ".")
    assert snapshot(*files) == before


# -- I/O errors, injected ------------------------------------------------------------------


def fail_for(monkeypatch, owner, name: str, target: Path, error: OSError) -> None:
    """Make ``owner.name`` raise ``error`` when called on ``target`` (first argument), else behave."""
    real = getattr(owner, name)
    target_text = os.path.realpath(target)

    def wrapper(first, *args, **kwargs):
        if os.path.realpath(os.fspath(first)) == target_text:
            raise error
        return real(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)


@pytest.mark.parametrize("output_format", FORMATS)
def test_unreadable_directory_is_reported_and_the_rest_checked(project, capsys, monkeypatch, output_format):
    locked = project / "locked"
    write(locked / "hidden.py", TRAIN)
    write(project / "src" / "train.py", TRAIN)
    fail_for(monkeypatch, os, "scandir", locked, PermissionError(13, "Permission denied"))
    code, out, err = check(capsys, "--output-format", output_format, ".")
    assert (code, err) == (1, "")
    assert findings(out, output_format) == [
        ("locked", 1, 1, "HYB001"), ("src/train.py", 4, 14, "HYB204"), ("src/train.py", 7, 5, "HYB101")]
    if output_format in ("text", "json"):
        assert message_of(out, output_format, "locked") == "permission denied"


@pytest.mark.parametrize("output_format", FORMATS)
def test_unreadable_file_is_reported_and_the_rest_checked(project, capsys, monkeypatch, output_format):
    secret = write(project / "secret.py", TRAIN)
    write(project / "train.py", TRAIN)
    fail_for(monkeypatch, pathlib.Path, "read_bytes", secret, PermissionError(13, "Permission denied"))
    code, out, err = check(capsys, "--output-format", output_format, ".")
    assert (code, err) == (1, "")
    assert findings(out, output_format) == [
        ("secret.py", 1, 1, "HYB001"), ("train.py", 4, 14, "HYB204"), ("train.py", 7, 5, "HYB101")]
    if output_format in ("text", "json"):
        assert message_of(out, output_format, "secret.py") == "cannot read file: permission denied"


def test_unreadable_file_is_not_written_by_fix(project, capsys, monkeypatch):
    secret = write(project / "secret.py", TRAIN)
    before = snapshot(secret)
    fail_for(monkeypatch, pathlib.Path, "read_bytes", secret, PermissionError(13, "Permission denied"))
    assert check(capsys, "--fix", "secret.py")[0] == 1
    monkeypatch.undo()
    assert snapshot(secret) == before


def test_file_vanishing_after_discovery_is_hyb001(project, capsys, monkeypatch):
    gone = write(project / "gone.py", TRAIN)
    fail_for(monkeypatch, pathlib.Path, "read_bytes", gone, FileNotFoundError(2, "No such file or directory"))
    out = check(capsys, ".")[1]
    assert out.splitlines()[0] == "gone.py:1:1: HYB001 cannot read file: no such file or directory"


def test_read_only_file_under_fix(project, capsys, monkeypatch):
    locked = write(project / "locked.py", TRAIN)
    writable = write(project / "train.py", TRAIN)
    # os.replace(src, dst): the destination is the second argument.
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if os.path.realpath(dst) == os.path.realpath(locked):
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    code, out, err = check(capsys, "--fix", ".")
    assert code == 2
    assert err == "hybridize-lint: error: locked.py: cannot write fixes: permission denied\n"
    assert locked.read_bytes() == TRAIN.encode()
    assert writable.read_bytes() == SAFE_FIXED.encode()  # the run went on
    assert sorted(path.name for path in project.iterdir()) == ["locked.py", "pyproject.toml", "train.py"]


@pytest.mark.parametrize("failing", ["fsync", "chmod", "replace"])
def test_failure_after_the_temp_file_is_written_leaves_the_original(project, capsys, monkeypatch, failing):
    path = write(project / "train.py", TRAIN)
    before = snapshot(path)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    code, _, err = check(capsys, "--fix", "train.py")
    assert code == 2
    assert err == "hybridize-lint: error: train.py: cannot write fixes: no space left on device\n"
    assert snapshot(path) == before
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "train.py"]  # no temp file left


def test_temp_file_that_cannot_be_created(project, capsys, monkeypatch):
    import tempfile

    path = write(project / "train.py", TRAIN)

    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", fail)
    code, _, err = check(capsys, "--fix", "train.py")
    assert code == 2
    assert err == "hybridize-lint: error: train.py: cannot write fixes: permission denied\n"
    assert path.read_bytes() == TRAIN.encode()


def test_fix_keeps_permission_bits(project, capsys):
    path = write(project / "train.py", TRAIN)
    path.chmod(0o751)
    check(capsys, "--fix", "train.py")
    assert path.read_bytes() == SAFE_FIXED.encode()
    assert path.stat().st_mode & 0o777 == 0o751


def test_findings_of_a_file_whose_fix_could_not_be_written_are_still_reported(project, capsys, monkeypatch):
    write(project / "train.py", TRAIN)

    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    code, out, _ = check(capsys, "--fix", "train.py")
    assert code == 2
    assert [line.split()[1] for line in out.splitlines() if ": HYB" in line] == ["HYB204", "HYB101"]


# -- stdin ------------------------------------------------------------------------------------


def test_undecodable_stdin_is_one_error_line(project, capsys, monkeypatch):
    import io
    import sys

    class BinaryStdin:
        buffer = io.BytesIO(b'x = "\xff"\n')

    monkeypatch.setattr(sys, "stdin", BinaryStdin())
    code, out, err = check(capsys, "--fix", "--stdin-filename", "model.py")
    assert (code, out) == (2, "")
    assert err == "hybridize-lint: error: model.py: cannot decode file as utf-8: invalid start byte at byte 5\n"


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_non_os_failure_before_the_rename_leaves_no_temp_file(project, capsys, monkeypatch, error):
    path = write(project / "train.py", TRAIN)

    def fail(*args, **kwargs):
        raise error("injected")

    monkeypatch.setattr(os, "replace", fail)
    if error is KeyboardInterrupt:
        with pytest.raises(KeyboardInterrupt):
            main(["check", "--no-cache", "--fix", "train.py"])
    else:
        code, _, err = check(capsys, "--fix", "train.py")
        assert code == 2
        assert err == "hybridize-lint: error: internal error: RuntimeError: injected, please report\n"
    assert path.read_bytes() == TRAIN.encode()
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml", "train.py"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_fix_as_root_keeps_the_files_owner(project, capsys):
    path = write(project / "train.py", TRAIN)
    os.chown(path, 12345, 23456)
    check(capsys, "--fix", "train.py")
    assert path.read_bytes() == SAFE_FIXED.encode()
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)
