"""HYB104 on state a trace writes for its own later reads.

``self.dim = x.shape[1]`` in a tf.function, read by a helper it calls afterwards, is written on every
trace before those reads: each graph bakes the value its own trace needs. Only a read that runs
outside that trace (eager code, another graph, a read before the write) can see a stale value.
"""

from __future__ import annotations

from project_helpers import lint

RIDGE = """
import tensorflow as tf


class Ridge:
    def __init__(self, penalty):
        self.penalty = penalty

    @tf.function
    def train(self, x, y):
        self.dim = x.shape[1]
        return self.solve(x, y)

    def solve(self, x, y):
        eye = tf.eye(self.dim) * self.penalty
        return tf.linalg.solve(tf.matmul(x, x, transpose_a=True) + eye, tf.matmul(x, y, transpose_a=True))
"""

CALLERS = """

def fit(batches):
    ridge = Ridge(0.1)
    return [ridge.train(x, y) for x, y in batches]
"""


def test_state_read_only_by_a_helper_after_the_write_is_not_reported(tmp_path):
    assert lint(tmp_path, {"ridge.py": RIDGE + CALLERS}) == set()


def test_state_an_eager_method_reads_is_reported(tmp_path):
    reader = RIDGE + "\n    def width(self):\n        return self.dim\n" + CALLERS
    assert lint(tmp_path, {"ridge.py": reader}) == {("ridge.py", 10, "HYB104")}


def test_state_a_helper_reads_before_the_write_is_reported(tmp_path):
    early = RIDGE.replace("        self.dim = x.shape[1]\n        return self.solve(x, y)\n",
                          "        first = self.solve(x, y)\n        self.dim = x.shape[1]\n"
                          "        return first + self.solve(x, y)\n")
    assert lint(tmp_path, {"ridge.py": early + CALLERS}) == {("ridge.py", 11, "HYB104")}


def test_state_read_by_a_nested_tf_function_is_reported(tmp_path):
    # The helper as a tf.function of its own is traced once for its arguments and reused: it keeps
    # the first trace's value when the outer function writes another.
    nested = RIDGE.replace("    def solve(self, x, y):", "    @tf.function\n    def solve(self, x, y):")
    assert lint(tmp_path, {"ridge.py": nested + CALLERS}) == {("ridge.py", 10, "HYB104")}


TREE = """
import tensorflow as tf


class Tree:
    @tf.function
    def build(self, points):
        self.points = points
        return tf.reduce_mean(points, axis=0)


def centres(batches):
    tree = Tree()
    return [tree.build(points) for points in batches]
"""


def test_state_nothing_reads_is_a_dead_store(tmp_path):
    assert lint(tmp_path, {"tree.py": TREE}) == set()
    keras = TREE.replace("class Tree:", "class Tree(tf.keras.Model):")  # Keras itself may read it
    assert lint(tmp_path / "keras", {"tree.py": keras}) == {("tree.py", 7, "HYB104")}


def test_every_function_mode_counts_a_dead_store_as_the_paper_does(tmp_path):
    settings = 'select = ["HYB1"]\nhybridization = "every-function"\n'
    assert lint(tmp_path, {"tree.py": TREE}, settings) == {("tree.py", 7, "HYB104")}


def test_a_write_under_a_condition_read_by_a_helper_is_reported(tmp_path):
    # Under a tensor condition AutoGraph traces both branches: every trace writes the flag, whatever the data,
    # while eagerly only some calls would; the helper then reads what eager calls may not have written.
    conditional = RIDGE.replace("        self.dim = x.shape[1]\n",
                                "        if tf.reduce_sum(x) > 0:\n            self.dim = x.shape[1]\n")
    assert lint(tmp_path, {"ridge.py": conditional + CALLERS}) == {("ridge.py", 11, "HYB104")}


TRAIN_BODY = "        self.dim = x.shape[1]\n        return self.solve(x, y)\n"
BY_RANK = "        if len(x.shape) == 3:\n            self.dim = x.shape[2]\n"  # a write in the first arm


def trained_by(body: str) -> str:
    """The ridge module, its `train` doing ``body`` instead, with its callers."""
    return RIDGE.replace(TRAIN_BODY, body) + CALLERS


def test_a_write_under_a_condition_read_in_the_same_arm_is_not_reported(tmp_path):
    # The helper runs in the write's own arm, after it: whichever arm a trace takes (both, under a tensor
    # condition), the read there follows the write, as in every eager call that takes the arm.
    arms = trained_by(BY_RANK + "            return self.solve(x[0], y[0])\n" + TRAIN_BODY)
    assert lint(tmp_path, {"ridge.py": arms}) == set()


def test_a_write_in_one_arm_read_after_the_other_is_reported(tmp_path):
    other_arm = trained_by(BY_RANK + "        else:\n            x = x + 1\n        return self.solve(x, y)\n")
    assert lint(tmp_path, {"ridge.py": other_arm}) == {("ridge.py", 11, "HYB104")}


def test_a_tensor_parked_in_the_other_arm_also_precedes_its_reads(tmp_path):
    # `self.dim = tf.shape(x)[1]` parks a tensor of the trace: no effect of its own, but the read after it
    # sees it, so the Python write in the first arm is the only one left, and it precedes its own read.
    parked = trained_by(BY_RANK + "            return self.solve(x[0], y[0])\n"
                        "        self.dim = tf.shape(x)[1]\n        return self.solve(x, y)\n")
    assert lint(tmp_path, {"ridge.py": parked}) == set()
    unparked = parked.replace("        self.dim = tf.shape(x)[1]\n", "")
    assert lint(tmp_path / "unparked", {"ridge.py": unparked}) == {("ridge.py", 11, "HYB104")}


def test_a_shape_nothing_reads_on_a_framework_object_is_a_dead_store(tmp_path):
    # Keras and tf.Module read the attributes they know (`built`, `stop_training`), and collect
    # variables and layers from any other; a plain shape under a name of the project's own is neither.
    shape = TREE.replace("class Tree:", "class Tree(tf.Module):").replace(
        "        self.points = points\n", "        self.width = points.shape[-1]\n")
    assert lint(tmp_path, {"tree.py": shape}) == set()
    known = shape.replace("self.width = points.shape[-1]", "self.stop_training = points.shape[-1] > 2")
    assert lint(tmp_path / "known", {"tree.py": known}) == {("tree.py", 7, "HYB104")}
    stored = shape.replace("self.width = points.shape[-1]", "self.width = points")  # may hold a variable
    assert lint(tmp_path / "stored", {"tree.py": stored}) == {("tree.py", 7, "HYB104")}


DECODER = """
import tensorflow as tf


class Decoder:
    def __init__(self, layer):
        self.layer = layer

    def prefill(self, x, audio):
        self.with_audio = audio is not None
        return self.layer(x)

    def step(self, h):
        return self.layer(h) * 2.0 if self.with_audio else self.layer(h)

    @tf.function
    def generate(self, x, audio=None):
        h = self.prefill(x, audio)
        return tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, self.step(h)), (0, h))[1]
"""

DECODER_CALLERS = """

def run(decoder, prompts):
    return [decoder.generate(x) for x in prompts]
"""


def test_state_a_sibling_reads_after_the_writer_returns_is_not_reported(tmp_path):
    # `prefill` sets the flag on every call, and only the loop `generate` runs next reads it: each
    # trace of `generate` writes what its own later reads need.
    assert lint(tmp_path, {"decoder.py": DECODER + DECODER_CALLERS}) == set()


def test_state_a_sibling_reads_in_another_graph_is_reported(tmp_path):
    other = DECODER + "\n    @tf.function\n    def continue_(self, h):\n        return self.step(h)\n" + DECODER_CALLERS
    assert lint(tmp_path, {"decoder.py": other}) == {("decoder.py", 17, "HYB110")}
