"""Retracing advice (HYB201) at calls that run only while another graph traces.

A tf.function called with a new Python value traces again, but when its caller runs only inside
another tf.function (or a Keras ``train_step``, which ``fit`` traces), that happens while the outer
function traces, once per outer trace: not per call (``bench/precision/scripts/D6_kdens_slice_traces.py``:
5 slices, 5 traces after fit, evaluate and 20 more calls).
"""

from __future__ import annotations

from project_helpers import lint

RETRACING = 'select = ["HYB201"]\n'

SLICES = """
import tensorflow as tf


@tf.function
def member_slice(inputs, i):
    return inputs[:, i]


def stacked(inputs, members):
    return tf.stack([members[i](member_slice(inputs, i)) for i in range(len(members))], axis=1)


@tf.function
def predict(inputs, members):
    return stacked(inputs, members)


def run(batches, members):
    return [predict(batch, members) for batch in batches]
"""


def test_a_helper_only_a_tf_function_runs_retraces_only_with_it(tmp_path):
    assert lint(tmp_path, {"ensemble.py": SLICES}, RETRACING) == set()


def test_the_same_helper_called_eagerly_retraces_per_value(tmp_path):
    eager = SLICES + "\n\ndef run_eagerly(batches, members):\n    return [stacked(b, members) for b in batches]\n"
    assert lint(tmp_path, {"ensemble.py": eager}, RETRACING) == {("ensemble.py", 10, "HYB201")}


KERAS_STEP = """
import tensorflow as tf


@tf.function
def member_slice(inputs, i):
    return inputs[:, i]


class Ensemble(tf.keras.Model):
    def __init__(self, members):
        super().__init__()
        self.members = members

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            outs = [self.members[i](member_slice(x, i)) for i in range(len(self.members))]
            loss = tf.add_n([tf.reduce_mean((o - y) ** 2) for o in outs])
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}
"""


def test_a_keras_train_step_only_fit_runs_is_traced(tmp_path):
    assert lint(tmp_path, {"ensemble.py": KERAS_STEP}, RETRACING) == set()


def test_a_train_step_the_project_calls_eagerly_retraces_per_value(tmp_path):
    eager = KERAS_STEP + ("\n\ndef train(members, batches):\n    model = Ensemble(members)\n"
                          "    for batch in batches:\n        model.train_step(batch)\n")
    assert lint(tmp_path, {"ensemble.py": eager}, RETRACING) == {("ensemble.py", 17, "HYB201")}
