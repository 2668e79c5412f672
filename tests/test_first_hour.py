"""A newcomer's first hour: the rough edges found by trying the tool as a new user would, kept smoothed.

The README's facts and snippets, flake8's selection, summaries of every mode, one finding per cause,
severities and documentation links in every output format, one path convention.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_helpers import check
from hybridize_lint.registry import SEVERITIES, load_rules, rules_directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]

TRAIN = textwrap.dedent("""\
    import tensorflow as tf


    @tf.function(experimental_relax_shapes=True)
    def train_step(x):
        print("step", x)
        return x * 2
    """)
RETRACING = textwrap.dedent("""\
    import tensorflow as tf


    @tf.function
    def scale(x, factor):
        return x * factor


    data = tf.random.normal((4, 3))
    for i in range(10):
        scale(data, i)
    """)


# --- README -------------------------------------------------------------------------------------

def test_readme_states_the_python_version_the_package_requires():
    required = re.fullmatch(r">=(\d+\.\d+)", PYPROJECT["project"]["requires-python"]).group(1)
    assert f"Python {required} or later" in README


def test_readme_says_what_the_test_command_costs_and_how_to_skip_it():
    assert "1.3 GB" in README and "15 minutes on 2 cores" in README and "small pinned package" in README
    for variable in ("HYBRIDIZE_LINT_SKIP_TF", "HYBRIDIZE_LINT_SKIP_CORPUS"):
        assert f"{variable}=1" in README
        assert any(variable in path.read_text(encoding="utf-8") for path in (ROOT / "tests").glob("test_*.py"))


def test_files_the_docs_and_ci_name_exist():
    texts = [README, (ROOT / ".ci" / "run").read_text(encoding="utf-8")]
    named = {name for text in texts for name in re.findall(r"tests/[\w/]+\.py", text)}
    assert named
    assert [name for name in sorted(named) if not (ROOT / name).exists()] == []


def test_pre_commit_snippet_tag_and_version_are_in_step():
    revs = re.findall(r"^\s+rev: (\S+)$", README, re.MULTILINE)
    assert revs == [f"v{VERSION}"]
    assert f'`version = "{VERSION}"`' in README
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no tags to check")
    tags = subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tags:
        pytest.skip("this clone carries no tags (CI clones main alone): nothing to check the snippet against")
    tagged = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/tags/v{VERSION}"], cwd=ROOT,
                            capture_output=True, text=True)
    assert tagged.returncode == 0, f"the README names tag v{VERSION}, which does not exist: `git tag v{VERSION}`"


def test_pre_commit_hooks_take_notebooks():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert hooks.count("types_or: [python, pyi, jupyter]") == 2
    assert "types_or: [python, pyi, jupyter]" in README


def test_readme_explains_the_fix_markers():
    assert "`[*]` means `--fix` applies the fix, `[~]` that the fix is unsafe" in README


# --- flake8 ---------------------------------------------------------------------------------------

def test_flake8_extend_select_reports_broken_files(tmp_path):
    assert "flake8 --extend-select HYB src/" in README and "flake8 --select HYB " not in README
    (tmp_path / "broken.py").write_text("def broken(:\n    pass\n")
    (tmp_path / "train.py").write_text(TRAIN)

    def flake8(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "flake8", "--isolated", *args, "."], cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
        return result.stdout

    hidden = flake8("--select", "HYB")
    assert "E999" not in hidden and "HYB101" in hidden  # why the README does not recommend it
    shown = flake8("--extend-select", "HYB")
    assert "broken.py:1:13: E999" in shown and "HYB101" in shown


# --- summaries --------------------------------------------------------------------------------------

def test_add_noqa_says_how_many_comments_it_added(project, capsys):
    (project / "train.py").write_text(TRAIN)
    code, out, err = check(capsys, "--add-noqa", "train.py")
    assert (code, out) == (0, "")
    assert err == "Added 2 noqa directives in 1 file.\n"
    assert check(capsys, "--add-noqa", "train.py")[2] == "No noqa directives added.\n"


def test_diff_says_how_many_errors_it_would_fix(project, capsys):
    (project / "train.py").write_text(TRAIN)
    code, out, err = check(capsys, "--diff", "--unsafe-fixes", "train.py")
    assert code == 1 and out.startswith("--- a/train.py\n+++ b/train.py\n")
    assert err == "Would fix 2 errors.\n"
    assert check(capsys, "--diff", "train.py")[2] == "Would fix 1 error.\n"


@pytest.mark.parametrize("content", [{}, {"notes.txt": "hello", "data/x.csv": "1,2"}])
def test_a_path_without_python_files_gets_a_warning(project, capsys, content):
    (project / "empty").mkdir()
    for name, text in content.items():
        (project / "empty" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "empty" / name).write_text(text)
    assert check(capsys, "empty") == (0, "", "hybridize-lint: warning: No Python files found under the given "
                                             "path(s)\n")


# --- one cause, one finding -------------------------------------------------------------------------

def test_a_retracing_call_is_reported_once(project, capsys):
    (project / "steps.py").write_text(RETRACING)
    code, out, _ = check(capsys, "steps.py")
    assert out.splitlines()[0] == (
        "steps.py:5:1: HYB402 [~] `scale` is traced again for every new Python value of `factor` (receives a "
        "Python int from `range()` at steps.py:11); with tensor parameter `x` as well, graph mode is likely "
        "slower than eager: remove `tf.function` (or pass tensors)")
    assert "HYB201" not in out and out.count("HYB") == 1
    # Without HYB402, the call is reported where it happens.
    code, out, _ = check(capsys, "--ignore", "HYB402", "steps.py")
    assert [line.split()[1] for line in out.splitlines()[:-1] if line.startswith("steps.py")] == ["HYB201"]


# --- severity and documentation links ------------------------------------------------------------

def test_every_rule_declares_its_severity():
    for path in sorted(rules_directory().glob("HYB*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data.get("severity") in SEVERITIES, f"{path.name}: declare severity = error|warning|note"
    severities = {rule.code: rule.severity for rule in load_rules()}
    assert {severities[code] for code in ("HYB301", "HYB302", "HYB401")} == {"note"}
    assert {severity for code, severity in severities.items() if code.startswith("HYB1")} == {"warning"}
    assert {severity for code, severity in severities.items() if code.startswith(("HYB0", "HYB5"))} == {"error"}


SEVERAL = textwrap.dedent("""\
    import tensorflow as tf

    w = tf.Variable(1.0)


    def train_step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * x * x)
        w.assign_sub(0.1 * tape.gradient(loss, w))
        return loss


    @tf.function
    def noisy(x):
        print(x)
        return x.numpy()


    for _ in range(100):
        train_step(tf.constant([1.0, 2.0]))
    noisy(tf.constant(1.0))
    """)


def test_outputs_take_severity_and_link_the_rule_docs(project, capsys):
    (project / "app.py").write_text(SEVERAL)
    _, out, _ = check(capsys, "--output-format", "github", "app.py")
    commands = {line.split("(")[1].split(")")[0]: line.split(" ")[0] for line in out.splitlines()}
    assert commands == {"HYB301": "::notice", "HYB101": "::warning", "HYB501": "::error"}

    _, out, _ = check(capsys, "--output-format", "sarif", "app.py")
    run = json.loads(out)["runs"][0]
    assert {result["ruleId"]: result["level"] for result in run["results"]} == {
        "HYB301": "note", "HYB101": "warning", "HYB501": "error"}
    for rule in run["tool"]["driver"]["rules"]:
        page = Path.from_uri(rule["helpUri"]) if hasattr(Path, "from_uri") else Path(rule["helpUri"][7:])
        assert page.name == f"{rule['id']}-{rule['name']}.md" and page.is_file()

    _, out, _ = check(capsys, "--output-format", "json", "app.py")
    for item in json.loads(out):
        assert item["url"].startswith("file://") and item["url"].endswith(".md")
        assert Path(item["url"][len("file://"):]).is_file()


def test_json_paths_are_all_absolute(project, capsys):
    (project / "pkg").mkdir()
    (project / "pkg" / "steps.py").write_text(RETRACING)
    _, out, _ = check(capsys, "--output-format", "json", "pkg/steps.py")
    (item,) = json.loads(out)
    assert item["filename"] == str(project / "pkg" / "steps.py")
    assert f"at {project / 'pkg' / 'steps.py'}:11)" in item["message"]
    _, out, _ = check(capsys, "pkg/steps.py")
    assert "at pkg/steps.py:11)" in out  # text cites it relative to the project root, as it names the file


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_ci_script_comment_is_true():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "tests/test_docs.py::test_ci_runs_the_readme_test_command" in script
    assert "def test_ci_runs_the_readme_test_command" in (ROOT / "tests" / "test_docs.py").read_text(encoding="utf-8")
