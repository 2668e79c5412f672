"""The side-effect and graph-error fixes restore what the code says, checked with real TensorFlow.

Each program in ``tf_side_effects/`` has a Python side effect (or an eager-only call) in a
``tf.function`` and prints one JSON line ``{"results": {...}, "behaviour": {...}}``. It runs three
ways:

- eagerly, under ``tf.config.run_functions_eagerly(True)``: what the code says (the reference);
- as written: the bug, which must show (``behaviour`` differs from the reference: a counter counts
  one call, random draws repeat, the clock stands still, tracing fails);
- after ``hybridize-lint check --fix --unsafe-fixes``: ``behaviour`` must equal the reference, and
  ``results`` (everything not random) must be identical to it.

``FIX_KIND`` says which fix each program must get: the graph-safe rewrite (the text it must
contain) or the dehybridization (``@tf.function`` gone). Requires TensorFlow; set
``HYBRIDIZE_LINT_SKIP_TF=1`` to skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "tf_side_effects"
SKIP_TF = os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1"
ENV = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0", "CUDA_VISIBLE_DEVICES": "-1"}
EAGER = "import runpy, sys, tensorflow as tf; tf.config.run_functions_eagerly(True); " \
        "runpy.run_path(sys.argv[1], run_name='__main__')"

# program → (texts the fixed program must contain, texts it must no longer contain)
FIX_KIND = {
    "counter_dehybridize.py": (("steps.assign_add(1)",), ("@tf.function",)),             # HYB102/105 (+103)
    "counter_rewrite.py": (("calls = tf.Variable(0)", "total = tf.Variable(0.0)", "calls.assign_add(1)",
                            "total.assign_add(tf.reduce_sum(x))", '"calls": int(calls)', "round(float(total), 4)",
                            "@tf.function"), ("calls += 1", "float(float(")),                            # HYB103 rewrite
    "randomness_rewrite.py": (("tf.random.normal((3,), 0.0, 0.1)", "tf.random.uniform([], -1.0, 1.0)",
                               "tf.random.uniform([], 1, 6 + 1, dtype=tf.int32)", "@tf.function"),
                              ("= np.random.normal(", "= random.uniform(", "= random.randint(")),  # HYB106 rewrite
    "timestamp_rewrite.py": (("started = tf.timestamp()", "@tf.function"), ("= time.time()",)),  # HYB106 rewrite
    "recursion_dehybridize.py": ((), ("@tf.function",)),                                 # HYB503
    "numpy_call_fix.py": (("peak = tf.reduce_max(x)\n", "@tf.function"), (".numpy()\n",)),   # HYB501 rewrite
    "variable_per_call.py": (("@tf.function", "    total.assign(0.0)\n", "_accumulate_total = None"),
                             ()),                                                        # HYB502 rewrite
    "tensor_array_rewrite.py": (("out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)",
                                 "values = values.write(values.size(), x * 2.0)", "return out.stack(), values.stack()",
                                 "@tf.function"), (".append(",)),                          # HYB504 rewrite
}
# Facts of the fixed program beyond the eager reference: the variable made once (eagerly, once per call).
FIXED_FACTS = {"variable_per_call.py": {"variables_created": 1}}

pytestmark = [pytest.mark.tensorflow, pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1")]


def test_every_program_has_a_fix_kind():
    assert sorted(p.name for p in PROGRAMS.glob("*.py")) == sorted(FIX_KIND)


def _run(path: Path, eager: bool = False) -> dict:
    command = [sys.executable, "-c", EAGER, str(path)] if eager else [sys.executable, str(path)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=path.parent,
                               env={**os.environ, **ENV})
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    assert lines, completed.stdout + completed.stderr[-3000:]
    return json.loads(lines[-1])


@pytest.mark.parametrize("name", sorted(FIX_KIND))
def test_fixed_program_behaves_as_eager(name, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.hybridize-lint]\n", encoding="utf-8")
    program = project / name
    shutil.copy(PROGRAMS / name, program)

    reference = _run(program, eager=True)
    as_written = _run(program)
    assert as_written["behaviour"] != reference["behaviour"], "the bug does not show as written"

    fixed = subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "--fix", "--unsafe-fixes", "--no-cache",
                            str(program)], capture_output=True, text=True, cwd=project)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = program.read_text(encoding="utf-8")
    contains, absent = FIX_KIND[name]
    for snippet in contains:
        assert snippet in text, text
    for snippet in absent:
        assert snippet not in text, text

    after = _run(program)
    assert after["behaviour"] == reference["behaviour"]
    assert after["results"] == reference["results"]
    for fact, value in FIXED_FACTS.get(name, {}).items():
        assert after["facts"][fact] == value
