"""The hooks in ``.pre-commit-hooks.yaml``, run by a real ``pre-commit try-repo``.

pre-commit builds a virtualenv and pip-installs the hook repository (a copy
of this source tree, committed once per module).  Note that ``try-repo``
always uses a throw-away store in a temporary directory (pre-commit 4.x,
``commands/try_repo.py``: ``Store(tempdir)``), so the hook environment is
rebuilt on every call whatever ``PRE_COMMIT_HOME`` says; pip's own cache
keeps that to a few seconds.  ``PRE_COMMIT_HOME`` is still pointed at a
module-wide temporary directory so nothing touches the user's real cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOOK_REPO_CONTENT = ("hybridize_lint", "rules", "docs", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")

BAD = textwrap.dedent("""\
    import tensorflow as tf


    @tf.function
    def train_step(x):
        print("step", x)
        return x * 2


    @tf.function(experimental_relax_shapes=True)
    def predict(x):
        return x * 2
""")

CLEAN = textwrap.dedent("""\
    import tensorflow as tf


    @tf.function(reduce_retracing=True)
    def predict(x):
        tf.print("predicting", x)
        return x * 2
""")

def notebook_json() -> str:
    """A small notebook in the style of a tutorial: a shell escape, a cell magic, an output."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                     "language": "python"}})
    notebook.cells = [
        new_markdown_cell("# Train"),
        new_code_cell("!pip install -q tensorflow-cpu\nimport tensorflow as tf"),
        new_code_cell(BAD.split("\n", 2)[2].strip()),
        new_code_cell("%%time\nfor _ in range(3):\n    train_step(tf.constant(1.0))",
                      outputs=[new_output("stream", name="stdout", text="CPU times: 1 s\n")], execution_count=3),
    ]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return nbformat.writes(notebook) + "\n"


NOTEBOOK = notebook_json()

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def _git_init(directory: Path) -> None:
    _git(directory, "init", "-q")
    _git(directory, "config", "user.email", "tests@example.invalid")
    _git(directory, "config", "user.name", "hybridize-lint tests")
    _git(directory, "config", "commit.gpgsign", "false")
    _git(directory, "add", "-A")
    _git(directory, "commit", "-q", "-m", "initial")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("hooks") / "hookrepo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hybridize_lint_cache")
    for name in HOOK_REPO_CONTENT:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    _git_init(repo)
    return repo


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory) -> dict[str, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    for variable in ("PRE_COMMIT", "PRE_COMMIT_ALLOW_NO_CONFIG", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(variable, None)
    return env


def make_user_repo(directory: Path, config: str = "[tool.hybridize-lint]\n") -> Path:
    directory.mkdir(parents=True)
    (directory / "pyproject.toml").write_text(config, encoding="utf-8")
    (directory / "model.py").write_text(BAD, encoding="utf-8")
    (directory / "clean.py").write_text(CLEAN, encoding="utf-8")
    (directory / "train.ipynb").write_text(NOTEBOOK, encoding="utf-8")
    _git_init(directory)
    return directory


def try_repo(user_repo: Path, hook_repo: Path, env: dict[str, str], hook: str,
             *files: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--verbose",
               "--files", *files]
    result = subprocess.run(command, cwd=user_repo, env=env, capture_output=True, text=True, timeout=900)
    assert "An unexpected error has occurred" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def test_lint_hook_fails_on_findings(tmp_path, hook_repo, pre_commit_env):
    user = make_user_repo(tmp_path / "user")
    result = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint", "model.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "HYB101" in output and "HYB204" in output, output
    assert "model.py:6:5" in output and "model.py:10:14" in output, output
    assert (user / "model.py").read_text() == BAD  # the lint hook never writes


def test_lint_hook_passes_on_clean_file(tmp_path, hook_repo, pre_commit_env):
    user = make_user_repo(tmp_path / "user")
    result = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint", "clean.py")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "HYB" not in output.replace("hybridize-lint", ""), output
    assert "Passed" in output, output


def test_fix_hook_applies_safe_fixes_only_by_default(tmp_path, hook_repo, pre_commit_env):
    user = make_user_repo(tmp_path / "user")
    result = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint-fix", "model.py", "clean.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # files were modified (and HYB101 remains)
    fixed = (user / "model.py").read_text()
    assert fixed == BAD.replace("experimental_relax_shapes", "reduce_retracing"), fixed
    assert 'print("step", x)' in fixed and "tf.print" not in fixed
    assert "HYB101" in output, output
    assert (user / "clean.py").read_text() == CLEAN

    again = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint-fix", "clean.py")
    assert again.returncode == 0, again.stdout + again.stderr


def test_fix_hook_applies_unsafe_fixes_when_configured(tmp_path, hook_repo, pre_commit_env):
    user = make_user_repo(tmp_path / "user", "[tool.hybridize-lint]\nunsafe-fixes = true\n")
    result = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint-fix", "model.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # pre-commit fails a hook that modified files
    fixed = (user / "model.py").read_text()
    wanted = BAD.replace("experimental_relax_shapes", "reduce_retracing").replace(
        'print("step", x)', 'tf.print("step", x)')
    assert fixed == wanted, fixed

    # Nothing left to fix or report: the hook now passes.
    again = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint-fix", "model.py")
    assert again.returncode == 0, again.stdout + again.stderr
    assert (user / "model.py").read_text() == wanted


def test_hooks_lint_and_fix_a_notebook(tmp_path, hook_repo, pre_commit_env):
    user = make_user_repo(tmp_path / "user", "[tool.hybridize-lint]\nunsafe-fixes = true\n")
    result = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint", "train.ipynb")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "train.ipynb:cell 3:3:5: HYB101" in output and "train.ipynb:cell 3:7:14: HYB204" in output, output
    assert (user / "train.ipynb").read_text() == NOTEBOOK

    result = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint-fix", "train.ipynb")
    assert result.returncode == 1, result.stdout + result.stderr  # the hook modified the notebook
    fixed = (user / "train.ipynb").read_text()
    assert 'tf.print(\\"step\\", x)' in fixed and "reduce_retracing=True" in fixed, fixed
    assert "!pip install -q tensorflow-cpu" in fixed and "CPU times: 1 s" in fixed
    again = try_repo(user, hook_repo, pre_commit_env, "hybridize-lint-fix", "train.ipynb")
    assert again.returncode == 0, again.stdout + again.stderr


def readme_yaml_blocks() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## pre-commit", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)


def test_readme_snippet_works_as_pasted(tmp_path, pre_commit_env):
    """The README's first snippet, written as is, in a repository with a notebook and a module."""
    snippet = readme_yaml_blocks()[0]
    assert "<" not in snippet and "/path/to" not in snippet  # nothing to fill in
    user = tmp_path / "user"
    user.mkdir()
    (user / ".pre-commit-config.yaml").write_text(snippet, encoding="utf-8")
    (user / "pyproject.toml").write_text("[tool.hybridize-lint]\n", encoding="utf-8")
    (user / "model.py").write_text(BAD, encoding="utf-8")
    (user / "train.ipynb").write_text(NOTEBOOK, encoding="utf-8")
    _git_init(user)
    env = {**pre_commit_env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"], cwd=user,
                            env=env, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "model.py:6:5: HYB101" in output and "train.ipynb:cell 3:3:5: HYB101" in output, output


def test_readme_pinned_snippet_names_this_version():
    pinned = readme_yaml_blocks()[1]
    version = re.search(r'^version = "([^"]+)"', (PROJECT_ROOT / "pyproject.toml").read_text(), re.MULTILINE).group(1)
    assert f"rev: v{version}\n" in pinned
    hooks = re.findall(r"- id: (\S+)", pinned)
    defined = re.findall(r"^- id: (\S+)", (PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text(), re.MULTILINE)
    assert hooks == defined
