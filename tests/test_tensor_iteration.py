"""A tensor walked as a Python sequence: ``b, h, w, c = tf.shape(x)``, ``zip(tf.math.l2_normalize(grads), vs)``,
``enumerate``, ``list(...)``, a comprehension over it.

Eager tensors iterate; a symbolic one raises OperatorNotAllowedInGraphError, so a function doing this cannot
become a tf.function, nor can what calls it (keras-cv-attention-models' filter visualiser normalises the gradient
list into one tensor and zips over it). A plain ``for row in t`` is a graph loop AutoGraph makes, and a list of
tensors (``tape.gradient`` of a list) iterates in graphs too: neither stops a suggestion.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from project_helpers import lint, source

HYB3 = 'select = ["HYB3"]\n'

TRAINING = """
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(4)])
optimizer = tf.keras.optimizers.SGD(0.1)


def train_step(images, labels):
    BODY
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(images) - labels))
    grads = tape.gradient(loss, model.trainable_variables)
    GRADIENTS
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def main():
    data = tf.data.Dataset.from_tensor_slices((tf.ones([64, 8]), tf.ones([64, 4]))).batch(8)
    for epoch in range(3):
        for images, labels in data:
            train_step(images, labels)


if __name__ == "__main__":
    main()
"""


def program(body: str = "pass", gradients: str = "pass") -> str:
    return TRAINING.replace("BODY", body).replace("GRADIENTS", gradients)


def test_a_step_zipping_the_list_of_gradients_is_suggested(tmp_path):
    assert lint(tmp_path, {"train.py": program()}, HYB3) == {("train.py", 7, "HYB301")}


def test_the_static_shape_unpacks_in_a_graph_too(tmp_path):
    static = program("batch, features = images.shape")
    assert lint(tmp_path, {"train.py": static}, HYB3) == {("train.py", 7, "HYB301")}


@pytest.mark.parametrize("rebound", ["for sizes in [(8, 8)]:\n        pass",
                                     "with tf.name_scope('sizes') as sizes:\n        pass"])
def test_a_name_rebound_since_is_no_longer_known_to_be_one_tensor(tmp_path, rebound):
    body = f"sizes = tf.shape(images)\n    {rebound}\n    batch, features = sizes"
    assert lint(tmp_path, {"train.py": program(body)}, HYB3) == {("train.py", 7, "HYB301")}


def test_a_plain_for_over_a_tensor_is_a_graph_loop(tmp_path):
    rows = program("for row in tf.reshape(images, [-1]):\n        tf.debugging.check_numerics(row, 'x')")
    assert lint(tmp_path, {"train.py": rows}, HYB3) == {("train.py", 7, "HYB301")}


@pytest.mark.parametrize("body", [
    "batch, features = tf.shape(images)",
    "height, width = tf.shape(images)[0:2]",
    "sizes = tf.shape(images)\n    batch, features = sizes",
    "scales = [s * 2 for s in tf.shape(images)]",
    "total = sum(tf.shape(images))",
])
def test_unpacking_or_walking_the_dynamic_shape_is_no_suggestion(tmp_path, body):
    assert lint(tmp_path, {"train.py": program(body)}, HYB3) == set()


def test_zipping_one_normalised_tensor_is_no_suggestion(tmp_path):
    normalised = program(gradients="grads = tf.math.l2_normalize(grads) * -1")
    assert lint(tmp_path, {"train.py": normalised}, HYB3) == set()


def test_a_helper_that_unpacks_the_shape_stops_its_caller_too(tmp_path):
    helper = program("batch = batch_size(images)") + source("""

    def batch_size(images):
        batch, features = tf.shape(images)
        return batch
    """)
    assert lint(tmp_path, {"train.py": helper}, HYB3) == set()


@pytest.mark.tensorflow
@pytest.mark.skipif(os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1", reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_tensorflow_refuses_the_walks_it_allows_eagerly(tmp_path):
    if importlib.util.find_spec("tensorflow") is None:
        pytest.fail("TensorFlow is not installed: `pip install '.[test]'`", pytrace=False)
    script = source("""
    import json
    import tensorflow as tf

    def unpack(x):
        batch, features = tf.shape(x)
        return tf.zeros([batch, features])

    def zipped(x):
        return [a * b for a, b in zip(tf.math.l2_normalize([x, x]) * -1, [x, x])]

    def listed(x):
        return tf.add_n([row * 2.0 for row in x])

    def looped(x):
        total = tf.zeros([3])
        for row in x:
            total += row
        return total

    v = [tf.Variable(tf.ones([3])), tf.Variable(tf.ones([3]))]

    def gradient_list(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v[0] * x) + tf.reduce_sum(v[1])
        return [g * w for g, w in zip(tape.gradient(loss, v), v)]

    x, outcome = tf.ones([2, 3]), {}
    for f in (unpack, zipped, listed, looped, gradient_list):
        f(x)
        try:
            tf.function(f)(x)
            outcome[f.__name__] = "graph"
        except tf.errors.OperatorNotAllowedInGraphError:
            outcome[f.__name__] = "refused"
    print(json.dumps(outcome))
    """)
    path = tmp_path / "walks.py"
    path.write_text(script, encoding="utf-8")
    completed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=600,
                               env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "-1"})
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == {
        "unpack": "refused", "zipped": "refused", "listed": "refused", "looped": "graph", "gradient_list": "graph"}
