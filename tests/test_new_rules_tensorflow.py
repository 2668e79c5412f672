"""Real TensorFlow shows the hazards HYB108, HYB206 and HYB303 report, and that their remedies remove them.

Each test writes a small TF2 program, checks that hybridize-lint reports it, runs it with TensorFlow
and checks the hazard happens; then runs the remedy (the rule's fix, or the change its message
suggests) and checks the hazard is gone. Requires ``tensorflow-cpu`` (in the ``test`` extra); set
``HYBRIDIZE_LINT_SKIP_TF=1`` to skip these tests where TensorFlow cannot be installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions
from hybridize_lint.writing import write_fixes

SKIP_TF = os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1"
PROGRAM_ENV = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0",
               "CUDA_VISIBLE_DEVICES": "-1"}
TIMEOUT = 600

pytestmark = [
    pytest.mark.tensorflow,
    pytest.mark.skipif(SKIP_TF, reason="HYBRIDIZE_LINT_SKIP_TF=1"),
]


@pytest.fixture(scope="module", autouse=True)
def _tensorflow_installed():
    if importlib.util.find_spec("tensorflow") is None:
        pytest.fail("TensorFlow is not installed: `pip install '.[test]'` installs tensorflow-cpu "
                    "(or set HYBRIDIZE_LINT_SKIP_TF=1 to skip the TensorFlow tests)", pytrace=False)


def write(directory: Path, source: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text("[tool.hybridize-lint]\n", encoding="utf-8")
    path = directory / "program.py"
    path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return path


def run(path: Path, **env: str) -> dict:
    completed = subprocess.run([sys.executable, str(path)], cwd=path.parent, capture_output=True, text=True,
                               env={**os.environ, **PROGRAM_ENV, **env}, timeout=TIMEOUT)
    assert completed.returncode == 0, f"{path.name} failed:\n{completed.stdout}\n{completed.stderr}"
    return json.loads(completed.stdout.strip().splitlines()[-1])


def findings(path: Path, code: str) -> list[tuple[int, int]]:
    report = Linter(SettingsResolver()).run([path], RunOptions(use_cache=False))
    assert not report.internal_errors, report.internal_errors
    return [(d.start.row, d.start.column) for d in report.diagnostics if d.code == code]


def fix(path: Path) -> None:
    report = Linter(SettingsResolver()).run([path], RunOptions(fix=True, unsafe_fixes=True, use_cache=False))
    assert not report.internal_errors, report.internal_errors
    write_fixes(report)


# -- HYB108 ----------------------------------------------------------------------------------------

FROZEN = """
import json
import os

import tensorflow as tf

tf.config.run_functions_eagerly(os.environ.get("EAGER") == "1")
learning_rate = 0.1


@tf.function
def step(w):
    return w - learning_rate * tf.ones_like(w)


w = tf.zeros([2])
history = []
for epoch in range(4):
    w = step(w)
    history.append(round(float(w[0]), 4))
    learning_rate = learning_rate * 10
print(json.dumps({"history": history, "traces": step.experimental_get_tracing_count()}))
"""

FROZEN_REMEDY = """
import json
import os

import tensorflow as tf

tf.config.run_functions_eagerly(os.environ.get("EAGER") == "1")
learning_rate = tf.Variable(0.1)


@tf.function
def step(w):
    return w - learning_rate * tf.ones_like(w)


w = tf.zeros([2])
history = []
for epoch in range(4):
    w = step(w)
    history.append(round(float(w[0]), 4))
    learning_rate.assign(learning_rate * 10)
print(json.dumps({"history": history, "traces": step.experimental_get_tracing_count()}))
"""


def test_hyb108_rebound_global_is_frozen_in_the_graph_and_a_variable_is_not(tmp_path):
    program = write(tmp_path / "frozen", FROZEN)
    assert findings(program, "HYB108") == [(12, 16)]
    graph, eager = run(program), run(program, EAGER="1")
    assert graph["traces"] == 1 and eager["traces"] == 0
    assert eager["history"] == [-0.1, -1.1, -11.1, -111.1]  # what the program means
    assert graph["history"] == [-0.1, -0.2, -0.3, -0.4]  # the graph kept 0.1
    remedy = write(tmp_path / "remedy", FROZEN_REMEDY)  # the message's suggestion: a tf.Variable, .assign(...)
    assert findings(remedy, "HYB108") == []
    fixed_graph, fixed_eager = run(remedy), run(remedy, EAGER="1")
    assert fixed_graph["history"] == fixed_eager["history"] == eager["history"]
    assert fixed_graph["traces"] == 1


STALE_TENSOR = """
import json
import os

import tensorflow as tf

tf.config.run_functions_eagerly(os.environ.get("EAGER") == "1")


class Explainer:
    def __init__(self):
        self.target = tf.constant(0.0)

    def explain(self, node):
        self.target = tf.constant(float(node))
        return [round(float(self.step(tf.ones([2]))), 4) for _ in range(2)]

    @tf.function
    def step(self, x):
        return tf.reduce_sum(x) * self.target


explainer = Explainer()
history = explainer.explain(1) + explainer.explain(5)
print(json.dumps({"history": history, "traces": explainer.step.experimental_get_tracing_count()}))
"""


def test_hyb108_an_attribute_rebound_to_a_new_tensor_is_frozen_in_the_graph(tmp_path):
    program = write(tmp_path / "stale", STALE_TENSOR)
    assert findings(program, "HYB108") == [(19, 35)]
    graph, eager = run(program), run(program, EAGER="1")
    assert eager["history"] == [2.0, 2.0, 10.0, 10.0]  # what the program means
    assert graph["history"] == [2.0, 2.0, 2.0, 2.0] and graph["traces"] == 1  # the graph kept the first tensor


# -- HYB206 ----------------------------------------------------------------------------------------

GROWTH = """
import json
import time

import tensorflow as tf


def make(n, loop):
    @tf.function
    def power(x):
        y = tf.ones_like(x)
        for _ in loop(n):
            y = y * x
        return y
    return power


make(3, range).get_concrete_function(tf.TensorSpec([4], tf.float32))  # the first trace pays for start-up
make(3, tf.range).get_concrete_function(tf.TensorSpec([4], tf.float32))
result = {}
for name, loop in (("range", range), ("tf.range", tf.range)):
    for n in (10, 100, 1000):
        function = make(n, loop)
        start = time.perf_counter()
        concrete = function.get_concrete_function(tf.TensorSpec([4], tf.float32))
        seconds = time.perf_counter() - start
        value = float(function(tf.fill([4], 1.001))[0])
        result[f"{name}:{n}"] = {"nodes": len(concrete.graph.as_graph_def().node), "seconds": seconds,
                                 "value": value}
print(json.dumps(result))
"""

UNROLLED = """
import json

import tensorflow as tf


@tf.function
def power(x):
    y = tf.ones_like(x)
    for _ in range(800):
        y = y * x
    return y


concrete = power.get_concrete_function(tf.TensorSpec([4], tf.float32))
print(json.dumps({"nodes": len(concrete.graph.as_graph_def().node), "value": float(power(tf.fill([4], 1.001))[0])}))
"""


def test_hyb206_graph_grows_with_a_python_range_and_stays_flat_with_tf_range(tmp_path):
    result = run(write(tmp_path / "growth", GROWTH))
    unrolled = [result[f"range:{n}"] for n in (10, 100, 1000)]
    rolled = [result[f"tf.range:{n}"] for n in (10, 100, 1000)]
    assert unrolled[0]["nodes"] < unrolled[1]["nodes"] < unrolled[2]["nodes"]
    assert unrolled[2]["nodes"] > 50 * unrolled[0]["nodes"]  # about linear in n (100 times the iterations)
    assert rolled[0]["nodes"] == rolled[1]["nodes"] == rolled[2]["nodes"]  # one while loop whatever n
    assert unrolled[2]["seconds"] > 5 * unrolled[0]["seconds"]
    assert rolled[2]["seconds"] < 3 * rolled[0]["seconds"] + 0.05
    assert unrolled[2]["seconds"] > 3 * rolled[2]["seconds"]
    for n in (10, 100, 1000):
        assert result[f"range:{n}"]["value"] == pytest.approx(result[f"tf.range:{n}"]["value"], rel=1e-5)


def test_hyb206_fix_makes_the_graph_small_and_keeps_the_result(tmp_path):
    program = write(tmp_path / "unrolled", UNROLLED)
    assert findings(program, "HYB206") == [(9, 5)]
    before = run(program)
    fix(program)
    assert "for _ in tf.range(800):" in program.read_text(encoding="utf-8")
    assert findings(program, "HYB206") == []
    after = run(program)
    assert after["nodes"] * 20 < before["nodes"]
    assert after["value"] == pytest.approx(before["value"], rel=1e-5)


# -- HYB303 ----------------------------------------------------------------------------------------

SWITCHES = """
import json

import tensorflow as tf

tf.config.run_functions_eagerly(True)
tf.data.experimental.enable_debug_mode()


@tf.function
def double(x):
    return x * 2.0


for i in range(3):
    double(tf.constant(float(i)))

map_calls = []


def scale(x):
    map_calls.append(1)  # runs once per trace in a graph, once per element in debug mode
    return x * 2


elements = list(tf.data.Dataset.range(5).map(scale).as_numpy_iterator())


class Counting(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)
        self.python_steps = 0

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.python_steps += 1  # once per trace in a graph, once per batch eagerly
        return super().train_step(data)


model = Counting()
model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
model.fit(tf.ones([8, 2]), tf.ones([8, 1]), batch_size=2, epochs=1, verbose=0)
print(json.dumps({"traces": double.experimental_get_tracing_count(), "map_calls": len(map_calls),
                  "keras_python_steps": model.python_steps}))
"""


def test_hyb303_switches_stop_tracing_and_removing_them_restores_graphs(tmp_path):
    program = write(tmp_path / "switches", SWITCHES)
    assert findings(program, "HYB303") == [(5, 1), (6, 1), (43, 44)]
    before = run(program)
    assert before["traces"] == 0  # run_functions_eagerly(True): the tf.function never traces
    assert before["map_calls"] >= 5  # enable_debug_mode(): the map function runs per element (and is traced)
    assert before["keras_python_steps"] == 4  # run_eagerly=True: train_step runs as Python per batch
    fix(program)
    text = program.read_text(encoding="utf-8")
    assert "run_functions_eagerly" not in text and "enable_debug_mode" not in text and "run_eagerly" not in text
    assert findings(program, "HYB303") == []
    after = run(program)
    assert after["traces"] > 0
    assert after["map_calls"] == 1
    assert after["keras_python_steps"] < 4


KERAS_CALL = """
import tensorflow as tf


class Repeat(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)

    def call(self, x):
        for _ in tf.range(3):
            x = x * 2.0
        return self.dense(x)


model = Repeat()
model.compile(optimizer="sgd", loss="mse")
model.fit(tf.ones([4, 2]), tf.ones([4, 1]), verbose=0)
"""


def test_hyb206_no_tf_range_fix_in_a_keras_call_because_keras_3_does_not_convert_it(tmp_path):
    """Why HYB206 offers no fix in a Keras layer's `call`: Keras 3 runs it without AutoGraph, so `tf.range` fails."""
    path = write(tmp_path / "keras", KERAS_CALL)
    completed = subprocess.run([sys.executable, str(path)], cwd=path.parent, capture_output=True, text=True,
                               env={**os.environ, **PROGRAM_ENV}, timeout=TIMEOUT)
    assert completed.returncode != 0
    assert "Iterating over a symbolic `tf.Tensor` is not allowed" in completed.stderr
