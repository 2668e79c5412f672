"""The tool is static: it never imports or runs the code it analyses, and no setting makes it.

Every module of the project below, imported or run, writes a marker file and kills its process
(``os._exit``, which no ``except`` stops): conftest.py, ``__init__.py``, setup.py, a ``__main__``
block, sitecustomize, modules named like the standard library modules the tool itself imports, and
a ``tensorflow.py``. The tool lints, fixes, diffs, explains and runs under flake8 there; the marker
never appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_helpers import SAFE_FIXED, TRAIN
from project_helpers import write_files

EVIL = textwrap.dedent("""\
    import os as _os
    with open({marker!r}, "a") as _stream:
        _stream.write(__name__ + "\\n")
    _os._exit(97)
""")
# Modules the tool (or the interpreter starting it) imports: shadowing them must not run project code.
SHADOWING = ["ast", "difflib", "fnmatch", "hashlib", "json", "tokenize", "tomllib", "argparse", "ast_grep_py",
             "flake8", "tensorflow", "sitecustomize", "usercustomize"]
SCRIPT = Path(sys.executable).with_name("hybridize-lint")


def make_project(root: Path, marker: Path, config: str = "") -> Path:
    evil = EVIL.format(marker=str(marker))
    files = {
        "conftest.py": evil,
        "setup.py": evil + "from setuptools import setup\nsetup()\n",
        "pkg/__init__.py": evil,
        "pkg/__main__.py": "import sys\n\nif __name__ == '__main__':\n" + textwrap.indent(evil, "    "),
        "pkg/model.py": evil + TRAIN,  # fixable findings: the fix path runs too
        "pkg/tests/test_model.py": evil + "def test_it():\n    pass\n",
        **{f"{name}.py": evil for name in SHADOWING},
    }
    write_files(root, files)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [build-system]
        requires = ["setuptools"]
        build-backend = "conftest"
        backend-path = ["."]

        [tool.hybridize-lint]
        impure-functions = ["pkg.model.train_step", "conftest.anything"]
        tensor-functions = ["tensorflow.constant", "setup.make"]
        {config}
    """))
    return root


def run_tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # The console script, as users and the pre-commit hooks run it (sys.path[0] is its own directory).
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-P", "-m", "hybridize_lint"]
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=environment)


@pytest.fixture
def project(tmp_path):
    marker = tmp_path / "executed.txt"
    return make_project(tmp_path / "project", marker), marker


def test_lint_fix_diff_noqa_and_explain_never_execute_the_project(project):
    root, marker = project
    assert run_tool("check", "--diff", ".", cwd=root).returncode == 1
    result = run_tool("check", ".", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pkg/model.py:" in result.stdout
    result = run_tool("check", "--fix", "--unsafe-fixes", ".", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    evil = EVIL.format(marker=str(marker))
    assert (root / "pkg" / "model.py").read_text() == evil + SAFE_FIXED.replace(
        '    print("loss:"', '    tf.print("loss:"')
    assert run_tool("check", "--add-noqa", "--no-cache", ".", cwd=root).returncode in (0, 1)
    result = run_tool("explain", "pkg/model.py::train_step", cwd=root)
    assert result.returncode == 0 and "train_step" in result.stdout
    assert not marker.exists(), marker.read_text()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="PYTHONSAFEPATH is new in Python 3.11")
def test_flake8_plugin_never_executes_the_project(project):
    root, marker = project
    # Safe path: `python -m flake8` would put the project first on sys.path; that is flake8's business.
    environment = {**os.environ, "PYTHONSAFEPATH": "1"}
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "HYB", "."], cwd=root,
                            capture_output=True, text=True, timeout=300, env=environment)
    assert "Traceback" not in result.stderr, result.stderr
    assert "HYB204" in result.stdout
    assert not marker.exists(), marker.read_text()


@pytest.mark.parametrize("setting", [
    'plugins = ["conftest"]',
    'extend = "setup.py"',
    'rules = ["pkg.model:train_step"]',
    'knowledge = "conftest.py"',
    'impl = "conftest:check"',
])
def test_settings_that_look_like_plugin_paths_are_rejected(tmp_path, setting):
    marker = tmp_path / "executed.txt"
    root = make_project(tmp_path / "project", marker, config=setting)
    result = run_tool("check", "--fix", ".", cwd=root)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("hybridize-lint: error: ") and "unknown key" in line
    assert not marker.exists()
    assert (root / "pkg" / "model.py").read_text().endswith(TRAIN)


def test_python_dash_m_never_executes_the_project(project):
    root, marker = project
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "."], cwd=root, capture_output=True,
                   timeout=300, env=environment)
    assert not marker.exists(), marker.read_text()
