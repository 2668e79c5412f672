"""hybridize-lint's fixes keep real TensorFlow 2 programs computing exactly the same results.

Each program in ``tf_programs/`` is a small, deterministic TF2 script written the way tutorials are
(eager ``train_step`` functions, Keras models, tf.data loops). It prints one JSON line::

    {"results": {...}, "trace_counts": {"name": N, ...}, "seconds": S}

``results`` must be bit-for-bit identical before and after ``hybridize-lint check --fix --unsafe-fixes``;
``trace_counts`` (``experimental_get_tracing_count()``, 0 for an eager function) show whether each function
ran as a graph; ``seconds`` is informational only.

The table below says what the fixes must do to each program. Requires ``tensorflow-cpu`` (in the ``test``
extra); set ``HYBRIDIZE_LINT_SKIP_TF=1`` to skip these tests where TensorFlow cannot be installed.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Expected:
    hybridize: tuple[str, ...] = ()  # functions that must gain `@tf.function` ("Class.method" for methods)
    dehybridize: tuple[str, ...] = ()  # functions that must lose their `tf.function`
    retracing: tuple[str, ...] = ()  # of `dehybridize`: traced more than once before the fix
    hoisted: tuple[str, ...] = ()  # traced once per loop iteration before the fix, once in all after it
    contains: tuple[str, ...] = ()  # text the fixed source must contain
    absent: tuple[str, ...] = ()  # text the fixed source must no longer contain
    signatures: tuple[tuple[str, str], ...] = ()  # of `hybridize`: (function, dtype) of its input_signature
    settings: str = ""  # extra [tool.hybridize-lint] lines for this program


# What `check --fix --unsafe-fixes` must do to each program. Every function not named here must keep its
# decorators exactly as they are (a `tf.function` already present stays, an eager function stays eager).
EXPECTED_FIXES = {
    "linear_regression.py": Expected(hybridize=("train_step",)),                          # HYB301
    # The boundary: the per-step function, not its helpers `loss_fn` and `accuracy` (5 operations).
    "logistic_regression.py": Expected(hybridize=("train_step",)),                        # HYB301
    "mlp.py": Expected(hybridize=("train_step",),                                         # HYB301
                       contains=("@tf.function(reduce_retracing=True)",                   # HYB204
                                 'tf.print("test loss:", loss)'),                         # HYB101
                       absent=("experimental_relax_shapes=", '    print("test loss:"')),
    "cnn.py": Expected(hybridize=("train_step",)),                                        # HYB301
    "rnn.py": Expected(hybridize=("train_step",)),                                        # HYB301
    "autoencoder.py": Expected(hybridize=("train_step",)),                                # HYB301
    # Not `MyModel.call`: under Keras 3, `tf.function` on the `call` of a model that creates its weights on
    # its first call freezes the initial weights into the graph as constants, so gradients are None
    # ("No gradients provided for any variable") and assigned weights are ignored.
    "custom_model.py": Expected(hybridize=("train_step", "test_step")),                   # HYB301
    # The paper's example. Safe although the model creates its weights inside the traced `call`, because
    # nothing changes the weights afterwards: it only runs inference.
    "hundred_layers.py": Expected(hybridize=("SequentialModel.call",)),                   # HYB301
    "retracing_literals.py": Expected(dehybridize=("scale",), retracing=("scale",)),      # HYB402
    "barren_function.py": Expected(dehybridize=("barren", "as_batch")),                   # HYB401
    # The boundary is the zero-argument step over the module's arrays and variables ...
    "numpy_inputs.py": Expected(hybridize=("run_optimization",)),                          # HYB301
    # ... and the paper's per-function mode decorates the helpers taking NumPy arrays, with signatures.
    "numpy_inputs.py::every-function": Expected(hybridize=("linear_regression", "total_abs"),  # HYB301
                                                signatures=(("linear_regression", "float32"),
                                                            ("total_abs", "float64")),
                                                contains=("@tf.function(input_signature=[tf.TensorSpec(shape=[None], "
                                                          "dtype=tf.float32)])\ndef linear_regression",
                                                          "dtype=tf.float64)])\ndef total_abs"),
                                                settings='hybridization = "every-function"\n'),
    "per_iteration_wrapper.py": Expected(hoisted=("train_step",),                          # HYB202
                                         contains=("    step = tf.function(train_step)\n    for x, y in batches:",)),
}

PROGRAMS_DIR = Path(__file__).parent / "tf_programs"
SKIP_TF = os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1"
PROGRAM_ENV = {
    "TF_ENABLE_ONEDNN_OPTS": "0",  # oneDNN kernels may round differently in eager and graph mode
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONHASHSEED": "0",
    "CUDA_VISIBLE_DEVICES": "-1",
}
PYPROJECT = '[tool.hybridize-lint]\ntarget-tensorflow = "2.15"\n'
TIMEOUT = 600

pytestmark = [
    pytest.mark.tensorflow,
    pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1"),
]
PROGRAMS = sorted(EXPECTED_FIXES)


@pytest.fixture(scope="module", autouse=True)
def _tensorflow_installed():
    # Never skip silently: CI installs tensorflow-cpu with the `test` extra, so a missing TensorFlow
    # is a broken environment, not a reason to pass.
    if importlib.util.find_spec("tensorflow") is None:
        pytest.fail("TensorFlow is not installed: `pip install '.[test]'` installs tensorflow-cpu "
                    "(or set HYBRIDIZE_LINT_SKIP_TF=1 to skip the TensorFlow tests)", pytrace=False)


def test_every_program_has_expectations():
    assert sorted(path.name for path in PROGRAMS_DIR.glob("*.py")) == sorted({name.partition("::")[0]
                                                                             for name in PROGRAMS})


# ---------------------------------------------------------------------------------------------------
# Helpers


def copy_program(name: str, directory: Path) -> Path:
    """The program of a table entry (``file.py`` or ``file.py::variant``), with the entry's settings."""
    file_name = name.partition("::")[0]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(PYPROJECT + EXPECTED_FIXES[name].settings, encoding="utf-8")
    target = directory / file_name
    shutil.copyfile(PROGRAMS_DIR / file_name, target)
    return target


def run_program(path: Path) -> dict:
    completed = subprocess.run([sys.executable, str(path)], cwd=path.parent, capture_output=True, text=True,
                               env={**os.environ, **PROGRAM_ENV}, timeout=TIMEOUT)
    assert completed.returncode == 0, f"{path.name} failed:\n{completed.stdout}\n{completed.stderr}"
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    assert lines, f"{path.name} printed nothing:\n{completed.stderr}"
    return json.loads(lines[-1])  # earlier lines may be `print` output at trace time


def run_fixer(path: Path) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [sys.executable, "-m", "hybridize_lint", "check", "--fix", "--unsafe-fixes", "--no-cache", str(path)],
        cwd=path.parent, capture_output=True, text=True, timeout=TIMEOUT)
    assert completed.returncode in (0, 1), f"hybridize-lint failed:\n{completed.stdout}\n{completed.stderr}"
    return completed


def _is_tf_function(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in ("tf.function", "tensorflow.function")


def functions(source: str) -> dict[str, ast.FunctionDef]:
    """Every function and method, by qualified name ("Class.method")."""
    found: dict[str, ast.FunctionDef] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[prefix + child.name] = child
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def hybrid_functions(source: str) -> set[str]:
    """Names of the functions decorated with `tf.function`."""
    return {name for name, node in functions(source).items() if any(map(_is_tf_function, node.decorator_list))}


def hybridize_by_hand(source: str, expected: Expected, with_signatures: bool = True) -> str:
    """The program with the decorator changes of `expected` made by hand, as a reference for the fixer."""
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, end line, replacement), 0-based, end exclusive
    signatures = dict(expected.signatures) if with_signatures else {}
    for name, node in functions(source).items():
        if name in expected.hybridize:
            first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list]) - 1
            decorator = "@tf.function" if name not in signatures else \
                f"@tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.{signatures[name]})])"
            edits.append((first, first, [" " * node.col_offset + decorator + "\n"]))
        if name in expected.dehybridize:
            for decorator in filter(_is_tf_function, node.decorator_list):
                edits.append((decorator.lineno - 1, decorator.end_lineno, []))
    for first, end, replacement in sorted(edits, reverse=True):
        lines[first:end] = replacement
    return "".join(lines)


_baselines: dict[str, dict] = {}


def baseline(name: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The unmodified program's output, computed once per test session."""
    if name not in _baselines:
        _baselines[name] = run_program(copy_program(name, tmp_path_factory.mktemp("baseline")))
    return _baselines[name]


def assert_traces(name: str, before: dict, after: dict, expected: Expected) -> None:
    """Trace counts show the functions ran in the expected mode, before and after."""
    for function in expected.hybridize:
        assert before["trace_counts"][function] == 0, f"{name}: {function} should be eager before the fix"
        assert after["trace_counts"][function] >= 1, f"{name}: {function} should run as a graph after the fix"
    for function in expected.dehybridize:
        assert before["trace_counts"][function] >= 1, f"{name}: {function} should be a tf.function before the fix"
        assert after["trace_counts"][function] == 0, f"{name}: {function} is still traced after the fix"
    for function in expected.retracing:
        assert before["trace_counts"][function] > 1, f"{name}: {function} should retrace before the fix"
    for function in expected.hoisted:
        assert before["trace_counts"][function] > 1, f"{name}: {function} should retrace before the fix"
        assert after["trace_counts"][function] == 1, f"{name}: {function} should be traced once after the fix"
    for function in set(before["trace_counts"]) - {*expected.hybridize, *expected.dehybridize, *expected.hoisted}:
        assert after["trace_counts"][function] == before["trace_counts"][function], (
            f"{name}: {function} traced {after['trace_counts'][function]} times after the fix, "
            f"{before['trace_counts'][function]} before")


# ---------------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_is_deterministic(name, tmp_path, tmp_path_factory):
    """Two unmodified runs agree exactly, so any difference after a fix is the fix's doing."""
    first = baseline(name, tmp_path_factory)
    second = run_program(copy_program(name, tmp_path))
    assert second["results"] == first["results"]
    assert second["trace_counts"] == first["trace_counts"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_hybridized_by_hand_matches_eager(name, tmp_path, tmp_path_factory):
    """The reference: the expected decorator changes, made by hand, keep the results identical.

    This shows the programs are a fair test of the fixer: the expected result is reachable.
    """
    expected = EXPECTED_FIXES[name]
    path = copy_program(name, tmp_path)
    source = path.read_text(encoding="utf-8")
    edited = hybridize_by_hand(source, expected)
    assert hybrid_functions(edited) == (hybrid_functions(source) | set(expected.hybridize)) - set(expected.dehybridize)
    path.write_text(edited, encoding="utf-8")
    before, after = baseline(name, tmp_path_factory), run_program(path)
    assert after["results"] == before["results"]
    assert_traces(name, before, after, replace(expected, hoisted=()))  # decorators only: no line moved by hand


@pytest.mark.parametrize("name", [name for name in PROGRAMS if EXPECTED_FIXES[name].signatures])
def test_numpy_arguments_need_the_signature(name, tmp_path):
    """Why the fixer adds an input_signature for NumPy arguments: the bare decorator breaks the program."""
    path = copy_program(name, tmp_path)
    path.write_text(hybridize_by_hand(path.read_text(encoding="utf-8"), EXPECTED_FIXES[name], with_signatures=False),
                    encoding="utf-8")
    completed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=TIMEOUT,
                               env={**os.environ, **PROGRAM_ENV}, cwd=path.parent)
    assert completed.returncode != 0
    assert "TypeError" in completed.stderr and "float64" in completed.stderr


@pytest.mark.parametrize("name", PROGRAMS)
def test_fixes_are_applied(name, tmp_path):
    """`check --fix --unsafe-fixes` changes the source exactly as the table says."""
    expected = EXPECTED_FIXES[name]
    path = copy_program(name, tmp_path)
    source = path.read_text(encoding="utf-8")
    linted = run_fixer(path)
    fixed = path.read_text(encoding="utf-8")
    report = f"hybridize-lint output:\n{linted.stdout}{linted.stderr}"
    wanted = (hybrid_functions(source) | set(expected.hybridize)) - set(expected.dehybridize)
    assert hybrid_functions(fixed) == wanted, report
    for text in expected.contains:
        assert text in fixed, f"{text!r} missing from the fixed source\n{report}"
    for text in expected.absent:
        assert text not in fixed, f"{text!r} still in the fixed source\n{report}"


@pytest.mark.parametrize("name", PROGRAMS)
def test_fixed_program_computes_the_same_results(name, tmp_path, tmp_path_factory):
    """The fixed program's results are bit-for-bit those of the original; the functions now run in the
    expected mode (graph after hybridization; eager, with no tracing at all, after dehybridization)."""
    expected = EXPECTED_FIXES[name]
    path = copy_program(name, tmp_path)
    run_fixer(path)
    before, after = baseline(name, tmp_path_factory), run_program(path)
    assert after["results"] == before["results"]
    assert_traces(name, before, after, expected)
