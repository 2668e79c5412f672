"""The tutorial notebooks compute the same results before and after ``check --fix --unsafe-fixes``.

Each notebook in ``notebooks/`` is run the way Jupyter would run it, without a Jupyter server: its code
cells in order, in one namespace, in a fresh Python process with TensorFlow. IPython syntax is handled
here the way IPython handles it, independently of the linter's own masking: ``!cmd`` and ``%%bash`` are
skipped (no shell), ``%time stmt``/``%timeit … stmt`` run ``stmt``, ``%%time``/``%%capture`` run their
body, ``obj?`` shows help (nothing to run). Each notebook builds a ``results`` dict; it must be equal,
number for number, after the fixes, and the fixed functions must really run as graphs.

Requires ``tensorflow-cpu`` (in the ``test`` extra); ``HYBRIDIZE_LINT_SKIP_TF=1`` skips it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).parent / "notebooks"
SKIP_TF = os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1"
ENV = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0",
       "CUDA_VISIBLE_DEVICES": "-1"}
TIMEOUT = 600
# What the fixes must turn into graphs (functions that are a tf.function after the fix).
GRAPH_FUNCTIONS = {
    "basic_training.ipynb": ("train_step", "predict"),
    "custom_training_loop.ipynb": ("train_step",),
}

pytestmark = [
    pytest.mark.tensorflow,
    pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1"),
]

RUNNER = r'''
import json, re, sys
import nbformat

PYTHON_CELL_MAGICS = {"time", "capture", "timeit", "prun"}


def python_of(line):
    """What IPython runs for one line of a cell; None when it runs no Python."""
    stripped = line.strip()
    indent = line[:len(line) - len(line.lstrip())]
    if stripped.startswith("!") or stripped.endswith("?"):
        return None
    if stripped.startswith("%"):
        name, _, rest = stripped[1:].partition(" ")
        if name == "timeit":
            rest = re.sub(r"^(?:-\S+\s+)*", "", rest)
        return indent + rest if name in ("time", "timeit") and rest else None
    return line


namespace = {"__name__": "__main__"}
notebook = nbformat.read(sys.argv[1], as_version=4)
for cell in notebook.cells:
    if cell.cell_type != "code":
        continue
    lines = cell.source.splitlines()
    if lines and lines[0].startswith("%%"):
        if lines[0][2:].split()[0] not in PYTHON_CELL_MAGICS:
            continue
        lines = lines[1:]
    code = "\n".join(python for python in map(python_of, lines) if python is not None)
    exec(compile(code, f"<cell {cell.get('id')}>", "exec"), namespace)

graphs = {name: hasattr(value, "experimental_get_tracing_count")
          for name, value in namespace.items() if callable(value) and not name.startswith("_")}
print(json.dumps({"results": namespace["results"], "graphs": graphs}))
'''


@pytest.fixture(scope="module", autouse=True)
def _tensorflow_installed():
    if importlib.util.find_spec("tensorflow") is None:
        pytest.fail("TensorFlow is not installed: `pip install '.[test]'` installs tensorflow-cpu "
                    "(or set HYBRIDIZE_LINT_SKIP_TF=1 to skip the TensorFlow tests)", pytrace=False)


def run_notebook(path: Path) -> dict:
    completed = subprocess.run([sys.executable, "-c", RUNNER, str(path)], cwd=path.parent, capture_output=True,
                               text=True, env={**os.environ, **ENV}, timeout=TIMEOUT)
    assert completed.returncode == 0, f"{path.name} failed:\n{completed.stdout}\n{completed.stderr}"
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_every_notebook_is_run():
    assert sorted(path.name for path in NOTEBOOKS.glob("*.ipynb")) == sorted(GRAPH_FUNCTIONS)


@pytest.mark.parametrize("name", sorted(GRAPH_FUNCTIONS))
def test_fixed_notebook_computes_the_same_results(tmp_path, name):
    (tmp_path / "pyproject.toml").write_text('[tool.hybridize-lint]\ntarget-tensorflow = "2.15"\n')
    notebook = tmp_path / name
    shutil.copyfile(NOTEBOOKS / name, notebook)
    before = run_notebook(notebook)

    fixed = subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "--fix", "--unsafe-fixes", "--no-cache",
                            name], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert fixed.returncode in (0, 1), fixed.stdout + fixed.stderr
    assert "fixed" in fixed.stdout, fixed.stdout
    assert notebook.read_bytes() != (NOTEBOOKS / name).read_bytes()
    after = run_notebook(notebook)

    assert after["results"] == before["results"]
    for function in GRAPH_FUNCTIONS[name]:
        assert after["graphs"][function], f"{function} is not a tf.function after the fix"
    assert not before["graphs"]["train_step"]
