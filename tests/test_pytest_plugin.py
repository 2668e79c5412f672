"""The pytest plugin (`--hybridize-audit`, `--hybridize-verify`) run with `pytester` on small projects.

The projects live in `pytest_plugin_projects/`; each runs in a fresh interpreter (`runpytest_subprocess`),
as a user's test run would, with real TensorFlow. Reports are compared field by field.
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

from hybridize_lint.pytest_plugin.arguments import Described, bind, change_kind, describe
from hybridize_lint.pytest_plugin.static import function_at
from hybridize_lint.pytest_plugin.summary import describe_cause, merge_functions
from hybridize_lint.pytest_plugin.verify import _child_args

pytest_plugins = ["pytester"]

PROJECTS = Path(__file__).parent / "pytest_plugin_projects"
SKIP_TF = os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1"
needs_tf = [pytest.mark.tensorflow, pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")]
ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "CUDA_VISIBLE_DEVICES": "-1"}


def copy_project(pytester, name: str) -> Path:
    for path in (PROJECTS / name).iterdir():
        target = path.name.replace("tests_", "test_", 1) if path.name.startswith("tests_") else path.name
        shutil.copy(path, pytester.path / target)
    (pytester.path / "pyproject.toml").write_text("[project]\nname = 'sample'\n")
    return pytester.path


def line(path: Path, marker: str) -> int:
    for number, text in enumerate(path.read_text().splitlines(), 1):
        if text.rstrip().endswith(f"# marker: {marker}"):
            return number
    raise AssertionError(marker)


def def_line(path: Path, name: str) -> int:
    for number, text in enumerate(path.read_text().splitlines(), 1):
        if text.lstrip().startswith(f"def {name}("):
            return number
    raise AssertionError(name)


def run(pytester, *args):
    for key, value in ENV.items():
        pytester._monkeypatch.setenv(key, value)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=900)


@pytest.fixture(scope="module", autouse=True)
def _tensorflow_installed():
    if not SKIP_TF and importlib.util.find_spec("tensorflow") is None:
        pytest.fail("TensorFlow is not installed (or set HYBRIDIZE_LINT_SKIP_TF=1)", pytrace=False)


# -- inert without its options ----------------------------------------------------------------------------

def test_inert_without_options(pytester):
    pytester.makepyfile(test_plain="""
        import sys

        def test_no_tensorflow():
            assert "tensorflow" not in sys.modules
            assert "hybridize_lint.pytest_plugin.audit" not in sys.modules
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert " hybridize-lint =" not in result.stdout.str()  # no section of ours in the terminal summary
    assert not (pytester.path / "hybridize-audit.json").exists()


def test_registered_through_the_entry_point(pytester):
    result = pytester.runpytest_subprocess("--help")
    assert "--hybridize-audit=[PATH]" in result.stdout.str()
    assert "--hybridize-verify=[PATH]" in result.stdout.str()


# -- the audit ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def audited(pytester_module):
    root = copy_project(pytester_module, "audit")
    result = run(pytester_module, "--hybridize-audit")
    return root, result, json.loads((root / "hybridize-audit.json").read_text())


@pytest.fixture(scope="module")
def pytester_module(tmp_path_factory):
    # pytester is function-scoped; one audit run is shared by the tests that read its report
    monkeypatch = pytest.MonkeyPatch()
    yield _Tester(tmp_path_factory.mktemp("audit"), monkeypatch)
    monkeypatch.undo()


class _Tester:
    """The little of pytester a module-scoped fixture needs: a folder and a subprocess run."""

    def __init__(self, path: Path, monkeypatch):
        self.path = path
        self._monkeypatch = monkeypatch

    def runpytest_subprocess(self, *args, timeout=None):
        import subprocess
        import sys

        return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=self.path, capture_output=True,
                              text=True, timeout=timeout)


def function(report: dict, qualname: str) -> dict:
    found = [item for item in report["functions"] if item["qualname"] == qualname]
    assert len(found) == 1, [item["qualname"] for item in report["functions"]]
    return found[0]


@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_audit_does_not_change_outcomes(audited):
    _, result, report = audited
    assert result.returncode == 0, result.stdout[-3000:]
    assert "5 passed" in result.stdout
    assert report["schema"] == "hybridize-lint-audit" and report["version"] == 1
    assert report["errors"] == []


@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_audit_names_the_argument_and_call_site_of_each_retrace(audited):
    root, result, report = audited
    test = root / "test_train.py"
    int_call, float_call, shape_call = (f"test_train.py:{line(test, m)}" for m in ("int call", "float call",
                                                                                     "shape call"))
    scale = function(report, "scale")
    assert (scale["file"], scale["line"], scale["traces"]) == ("train.py", def_line(root / "train.py", "scale"), 6)
    changes = [(r["call_site"], [(c["argument"], c["before"], c["after"], c["kind"]) for c in r["changed"]])
               for r in scale["retraces"]]
    assert changes == [
        (int_call, [("k", "Python int 0", "Python int 1", "python-value")]),
        (int_call, [("k", "Python int 1", "Python int 2", "python-value")]),
        (int_call, [("k", "Python int 2", "Python int 3", "python-value")]),
        (float_call, [("k", "Python int 3", "Python float 0.5", "type")]),
        (shape_call, [("x", "float32 tensor of shape ()", "float32 tensor of shape (2)", "shape")]),
    ]
    assert [r["test"] for r in scale["retraces"]] == ["test_train.py::test_python_ints"] * 3 + [
        "test_train.py::test_floats_and_shapes"] * 2
    # HYB402 covers the calls (one cause reported once); the audit lints with hybridize-tests on
    assert scale["causes"][0]["static"] == {"status": "confirmed", "codes": ["HYB402"]}
    assert f"`k` received 4 distinct Python ints at {int_call} [confirmed HYB402]" in result.stdout


@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_audit_reports_python_effects_run_while_tracing(audited):
    root, result, report = audited
    source = root / "train.py"
    effects = [(e["kind"], e["where"], e["via"], e["static"]["status"])
               for e in function(report, "noisy_step")["trace_time_effects"]]
    at = {marker: f"train.py:{line(source, marker)}" for marker in ("print", "append", "global", "logging",
                                                                     "helper print", "helper call")}
    assert effects == [
        ("print", at["print"], None, "confirmed"),
        ("container-mutation", at["append"], None, "confirmed"),
        ("global-write", at["global"], None, "confirmed"),
        # `logging.getLogger(...).info`: the audit found the static analysis missed it; HYB102 sees it now
        ("logging", at["logging"], None, "confirmed"),
    ]
    assert [(e["kind"], e["where"], e["via"]) for e in function(report, "outer")["trace_time_effects"]] == [
        ("print", at["helper print"], at["helper call"])]
    # without AutoGraph the interpreter's hooks watch the trace
    assert [(e["kind"], e["where"]) for e in function(report, "unconverted")["trace_time_effects"]] == [
        ("print", f"train.py:{line(source, 'unconverted print')}")]
    # tf.py_function runs its Python on every call: not a trace-time effect
    assert function(report, "eager_print")["trace_time_effects"] == []
    assert f"{at['print']} print: print() while tracing noisy_step [confirmed HYB101]" in result.stdout


@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_audit_follows_a_keras_custom_training_loop(audited):
    root, _, report = audited
    step = function(report, "train_step")
    call = f"train.py:{line(root / 'train.py', 'train call')}"
    # the first call traces twice (variables are created on the first trace), the last, smaller batch once more
    assert step["traces"] == 3
    assert [(r["call_site"], r["changed"][:1]) for r in step["retraces"]][-1] == (
        call, [{"argument": "x", "before": "float32 tensor of shape (4, 3)", "after": "float32 tensor of shape (2, 3)",
                "kind": "shape", "static": {"status": "runtime-only", "codes": []}}])
    assert step["trace_time_effects"] == []


@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_audit_ignores_eager_runs(audited):
    _, _, report = audited
    # run_functions_eagerly(True) calls the Python function directly: Python value 100 is no trace
    assert all("Python int 100" not in json.dumps(r) for r in function(report, "scale")["retraces"])


@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_a_plugin_crash_is_one_line_and_the_tests_still_run(pytester):
    pytester.makepyfile(test_sample="""
        import tensorflow as tf

        @tf.function
        def double(x):
            return x * 2

        def test_pass():
            assert float(double(tf.constant(1.0))) == 2.0

        def test_fail():
            assert float(double(tf.constant(1.0))) == 3.0
    """)
    result = run(pytester, "--hybridize-audit=missing/folder/report.json")
    result.assert_outcomes(passed=1, failed=1)
    lines = [text for text in result.outlines if text.startswith("hybridize-lint plugin: internal error")]
    assert len(lines) == 1 and "writing the audit report" in lines[0] and "FileNotFoundError" in lines[0]


# -- verify -------------------------------------------------------------------------------------------------

@pytest.mark.tensorflow
@pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_verify_confirms_one_proposal_and_refutes_the_other(pytester):
    root = copy_project(pytester, "verify")
    result = run(pytester, "--hybridize-verify=verdicts.json")
    result.assert_outcomes(passed=3)  # the ordinary run
    report = json.loads((root / "verdicts.json").read_text())
    assert report["schema"] == "hybridize-lint-verify" and report["version"] == 1
    by_name = {proposal["qualname"]: proposal for proposal in report["proposals"]}
    assert sorted(by_name) == ["score_step", "train_step"]
    train, score = by_name["train_step"], by_name["score_step"]
    assert (train["file"], train["line"], train["code"], train["status"]) == (
        "model.py", def_line(root / "model.py", "train_step"), "HYB301", "confirmed")
    assert train["evidence"]["tests"] == ["test_model.py::test_fit", "test_model.py::test_pipeline"]
    assert train["evidence"]["traces"] == 1 and train["evidence"]["calls"] == 5  # one shape, one trace
    assert train["evidence"]["eager_ms"] > 0 and train["evidence"]["graph_ms"] > 0
    assert train["evidence"]["failing_because_of_other_proposals"] == ["test_model.py::test_pipeline"]
    assert (score["file"], score["line"], score["code"], score["status"]) == (
        "model.py", def_line(root / "model.py", "score_step"), "HYB301", "refuted")
    assert score["evidence"]["test"] == "test_model.py::test_pipeline"
    assert score["evidence"]["error"] == "AttributeError: 'SymbolicTensor' object has no attribute 'numpy'"
    # test_pipeline exercises both proposals: one run with both, then bisection (the first half passes,
    # the second fails)
    assert report["child_runs"] == 3
    assert "score_step: refuted (test_model.py::test_pipeline fails: AttributeError" in result.stdout.str()
    assert not (root / "model.py").read_text().count("tf.function")  # nothing written

    # the verdicts are kept in the analysis cache: check shows them and --fix leaves the refuted one alone
    check = subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "--no-cache", "."], cwd=root,
                           capture_output=True, text=True)
    messages = {text.split("`")[1]: text for text in check.stdout.splitlines() if "HYB301" in text}
    assert messages["score_step"].endswith("(refuted by tests: test_model.py::test_pipeline fails with it: "
                                           "AttributeError: 'SymbolicTensor' object has no attribute 'numpy')")
    assert "(confirmed by tests: " in messages["train_step"] and "× faster per call)" in messages["train_step"]
    diff = subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "--diff", "--unsafe-fixes", "."],
                          cwd=root, capture_output=True, text=True).stdout
    assert diff.count("+@tf.function") == 1 and "def train_step" in diff and "def score_step" not in diff
    explained = subprocess.run([sys.executable, "-m", "hybridize_lint", "explain", "model.py::score_step"],
                               cwd=root, capture_output=True, text=True).stdout
    assert "  tests: refuted by tests: test_model.py::test_pipeline fails with it" in explained


# -- pieces -------------------------------------------------------------------------------------------------

def test_argument_descriptions_keep_what_tensorflow_keys_traces_on():
    assert describe(3) == Described("Python int 3", "python-value")
    assert describe(True).text == "Python bool True"
    assert describe([1, "a"]).text == "list of 2 [Python int 1, Python str 'a']"
    assert describe({"k": 2.5}).text == "dict of 1 ['k': Python float 2.5]"
    assert change_kind(describe(1), describe(2)) == "python-value"
    assert change_kind(describe(1), describe(2.0)) == "type"
    assert change_kind(describe([1]), describe([1, 2])) == "structure"
    assert change_kind(describe(object()), describe(object())) == "object-identity"


def test_arguments_are_bound_to_parameter_names():
    def step(x, k=1, *rest, **options):
        return x

    assert bind(step, (1, 2, 3), {"mode": "a"}) == {"x": 1, "k": 2, "rest[0]": 3, "mode": "a"}


def test_causes_read_as_sentences():
    cause = {"argument": "k", "kind": "python-value", "call_site": "train.py:41", "retraces": 5,
             "values": [f"Python int {n}" for n in range(6)]}
    assert describe_cause(cause) == "`k` received 6 distinct Python ints at train.py:41"


def test_reports_from_several_processes_merge():
    effect = {"kind": "print", "where": "a.py:3"}
    one = [{"qualname": "f", "file": "a.py", "line": 2, "traces": 1, "retraces": [], "trace_time_effects": [effect]}]
    two = [{"qualname": "f", "file": "a.py", "line": 2, "traces": 2, "retraces": [{"call_site": "t.py:1"}],
            "trace_time_effects": [effect]}]
    merged = merge_functions([one, two])
    assert merged[0]["traces"] == 3 and merged[0]["trace_time_effects"] == [effect]


def test_function_at_a_def_line(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("class A:\n    @staticmethod\n    def f():\n        def g():\n            pass\n")
    assert function_at(path, 3) == "A.f"
    assert function_at(path, 2) == "A.f"
    assert function_at(path, 4) == "A.f.<locals>.g"


def test_child_runs_drop_the_plugin_options():
    assert _child_args(["-q", "--hybridize-verify", "v.json", "tests", "--hybridize-audit=a.json",
                        "--basetemp=/tmp/x"]) == ["-q", "tests"]
