"""The project model matches what Python and TensorFlow do: which code is traced, and what runs.

Each class of imprecision found on real TF2 code has a positive test (still reported) and a
negative one of the same shape (no longer reported): wrappers of ``tf.function``, method dispatch
on a known receiver class, Keras models only ever run eagerly, functions defined twice, and one
project root for every command.
"""

from __future__ import annotations

import json

from hybridize_lint.cli import main
from project_helpers import lint, run, write_project

# -- Keras: `call` is graph code only on Keras' compiled paths --------------------

EAGER_PREDICT_MODEL = """
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return self.dense(x)

    def predict(self, batches):
        return [self(batch) for batch in batches]
"""


def test_model_run_through_its_own_predict_override_is_eager(tmp_path):
    """``net.predict`` is the project's own loop calling ``self(x)``: ``call`` runs eagerly each time."""
    files = {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            outputs = net.predict([tf.ones((2, 3))] * 3)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_model_fitted_by_keras_is_graph_code(tmp_path):
    files = {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((8, 3)), tf.ones((8, 4)))
            """,
    }
    assert lint(tmp_path, files) == {("model.py", 11, "HYB104")}


def test_predict_override_delegating_to_keras_predict_is_graph_code(tmp_path):
    """``super().predict(...)`` is Keras' compiled predict loop: it traces ``call``."""
    model = EAGER_PREDICT_MODEL.replace("return [self(batch) for batch in batches]",
                                        "return super().predict(batches)")
    files = {
        "model.py": model,
        "main.py": """
            import tensorflow as tf

            from model import Net

            outputs = Net().predict(tf.ones((8, 3)))
            """,
    }
    assert lint(tmp_path, files) == {("model.py", 11, "HYB104")}


def test_explain_names_the_tracer_of_a_keras_step(tmp_path, capsys):
    """No tf.function anywhere: explain must not say the function is "wrapped with tf.function"."""
    root = write_project(tmp_path, {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((8, 3)), tf.ones((8, 4)))
            """,
    })
    assert main(["explain", "--output-format", "json", f"{root / 'model.py'}::Net.call"]) == 0
    reasons = json.loads(capsys.readouterr().out)[0]["reasons"]
    assert "is already traced as graph code (Keras fit)" in reasons
    assert not any("wrapped with tf.function" in reason for reason in reasons)
