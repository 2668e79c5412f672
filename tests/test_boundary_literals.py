"""Python literals at the hybridization boundary (issue 12, "retracing that cannot happen").

A constant written out at the call in the step loop (``render(voxels, 256, 256, size=(8, 8, 8))``)
is the same at every iteration: a graph of the callee traces once, so it is no obstacle to
suggesting it. A count (``range``) or a name the loop rebinds is: every new value retraces. And a
value computed from something unknown (``array.numpy() * 2 / 3``) is not a Python literal at all.
"""

from __future__ import annotations

import json

from hybridize_lint.cli import main
from project_helpers import lint, write_project

STEP_LOOP = """
import numpy as np
import tensorflow as tf


def render(voxels, height, width, size=(8, 8, 8)):
    grid = tf.ones(size) * tf.reduce_mean(voxels)
    grid = tf.nn.relu(tf.math.log1p(tf.abs(grid)) - tf.reduce_min(grid))
    grid = tf.transpose(tf.sqrt(grid + 1.0), [2, 1, 0])
    return tf.reduce_sum(grid) * height * width


def main():
    voxels = np.ones((4, 4, 4), dtype=np.float32)
    for step in range(100):
        out = render(voxels, ARGUMENTS)
        tf.print(out)


if __name__ == "__main__":
    main()
"""

SUGGEST = 'select = ["HYB301"]\n'
SUGGEST_ALL = 'select = ["HYB301", "HYB302"]\n'


def test_constants_written_at_the_call_in_the_loop_trace_once(tmp_path):
    program = STEP_LOOP.replace("ARGUMENTS", "256, 256, size=(4, 4, 4)")
    assert lint(tmp_path, {"render.py": program}, SUGGEST) == {("render.py", 5, "HYB301")}


def test_a_negative_constant_and_a_list_of_constants_are_constants_too(tmp_path):
    program = STEP_LOOP.replace("ARGUMENTS", "-1, 2.5, size=[4, 4, 4]")
    assert lint(tmp_path, {"render.py": program}, SUGGEST) == {("render.py", 5, "HYB301")}


def test_a_loop_counter_passed_at_the_call_retraces_every_iteration(tmp_path):
    program = STEP_LOOP.replace("ARGUMENTS", "step, 256")
    assert lint(tmp_path, {"render.py": program}, SUGGEST) == set()


def test_a_name_the_loop_rebinds_retraces_every_iteration(tmp_path):
    program = STEP_LOOP.replace("ARGUMENTS", "height, 256").replace(
        "        out = render(", "        height = 2 * step + 1\n        out = render(")
    assert lint(tmp_path, {"render.py": program}, SUGGEST) == set()


def test_the_papers_every_function_mode_still_counts_every_literal(tmp_path):
    program = STEP_LOOP.replace("ARGUMENTS", "256, 256, size=(4, 4, 4)")
    settings = 'hybridization = "every-function"\nselect = ["HYB301"]\n'
    assert ("render.py", 5, "HYB301") not in lint(tmp_path, {"render.py": program}, settings)


def test_arithmetic_on_an_unknown_value_is_not_a_python_literal(tmp_path, capsys):
    program = STEP_LOOP.replace("ARGUMENTS", "256, 256, size=(4, 4, 4)").replace(
        "def main():", "def place(voxels, offset):\n    return voxels + tf.reduce_sum(offset)\n\n\ndef main():"
    ).replace("        tf.print(out)", "        moved = place(voxels, out.numpy() * 2.0 / (3.0 * 0.5))\n"
                                       "        tf.print(out, moved)")
    path = write_project(tmp_path, {"render.py": program}, SUGGEST) / "render.py"
    assert main(["explain", "--output-format", "json", str(path)]) == 0
    place = next(item for item in json.loads(capsys.readouterr().out) if item["function"] == "place")
    assert place["literal_parameters"] == {}
    assert any("`offset` receives a value of unknown type" in reason for reason in place["reasons"]), place


# -- a Python list the loop grows through the callee's own results ---------------------------------------

GROWING_LIST = """
import tensorflow as tf


def boost(mass, momenta):
    angle = 2.0 * tf.random.uniform([1000], dtype="float64") - 1.0
    p = tf.stack([mass * angle, tf.sin(angle), tf.cos(angle)], axis=-1)
    boosted = [tf.nn.softmax(p * mass)]
    for previous in momenta:
        boosted.append(tf.tanh(previous + p) * tf.exp(-mass))
    return boosted


def main():
    masses = tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64)
    for _ in range(100):
        STATE
        for i in range(4):
            momenta = boost(masses[i], momenta)
        tf.print(tf.add_n([tf.reduce_sum(p) for p in momenta]))


if __name__ == "__main__":
    main()
"""


def test_a_list_grown_from_the_callees_results_retraces_every_call(tmp_path):
    # `momenta` is [], then one tensor, then two...: a new structure, so a new trace, at every call
    # (as tfpwa's `generate_momentum_i`).
    assert lint(tmp_path, {"gen.py": GROWING_LIST.replace("STATE", "momenta = []")}, SUGGEST) == set()


def test_a_structure_fed_back_with_its_shape_kept_traces_once(tmp_path):
    # A state that starts as tensors keeps its structure from call to call (an unrolled cell's state).
    fixed = GROWING_LIST.replace("STATE", "momenta = [tf.zeros([1000, 3], tf.float64)]") \
        .replace("    for previous in momenta:\n        boosted.append(", "    boosted.append(") \
        .replace("boosted = [tf.nn.softmax(p * mass)]\n", "boosted = []\n") \
        .replace("tf.tanh(previous + p)", "tf.tanh(momenta[0] + p)")
    assert lint(tmp_path, {"gen.py": fixed}, SUGGEST) == {("gen.py", 4, "HYB301")}


CLUSTERS = """
import tensorflow as tf


def match(averages, detection):
    ious = tf.reduce_sum(tf.stack(averages) * detection, axis=-1)
    ious = tf.nn.softmax(tf.math.log1p(tf.abs(ious)) - tf.reduce_min(ious))
    best = tf.argmax(tf.sqrt(ious + 1.0))
    return tf.cast(best, tf.int32) + tf.cast(tf.reduce_max(ious) < 0.5, tf.int32) * -100


def ensemble(detections):
    averages = [tf.zeros([4])]
    for detection in detections:
        index = match(averages, detection)
        GROW
    return averages


if __name__ == "__main__":
    for _ in range(10):
        ensemble(tf.random.uniform([20, 4]))
"""


def test_a_list_the_loop_appends_to_beside_the_call_retraces_every_call(tmp_path):
    # As tflite-model-maker's weighted box fusion: a new length, a new trace, per detection.
    grown = CLUSTERS.replace("averages = [tf.zeros([4])]", "averages = [tf.zeros([4])]\n    averages = []") \
        .replace("GROW", "averages.append(detection)")
    assert lint(tmp_path, {"fuse.py": grown}, SUGGEST_ALL) == set()


def test_a_list_passed_unchanged_in_the_loop_traces_once(tmp_path):
    kept = CLUSTERS.replace("GROW", "tf.print(index)")
    assert lint(tmp_path, {"fuse.py": kept}, SUGGEST_ALL) == {("fuse.py", 4, "HYB301")}
