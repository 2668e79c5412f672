"""Classes of wrong findings met on the corpus4 packages (``bench/precision/false-classes.md``, corpus4
round), mended in a later session: each has a negative case (no longer reported) and a positive one (the
hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

WITH_SWITCHES = 'select = ["HYB1", "HYB303", "HYB501"]\n'

# -- G6: a build-once guard that tests a property of the flag the block's setter sets ------------------

GUARD_THROUGH_A_PROPERTY = """
import warnings

import tensorflow as tf


class Gan(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)
        self._batch = None

    def set_batch(self, batch):
        self._batch = batch

    @property
    def batch(self):
        return self._batch

    @tf.function
    def train_step(self, data):
        if self.batch is None:
            warnings.warn("global batch size not set")
            self.set_batch(data.shape[0])
        return tf.reduce_sum(self.dense(data)) / self.batch
"""


def test_a_guard_on_a_property_its_setter_sets_runs_once(tmp_path):
    # Eagerly the block runs on the first call only, as in the first trace: nothing is lost per call.
    assert lint(tmp_path, {"gan.py": GUARD_THROUGH_A_PROPERTY}) == set()


def test_a_property_the_block_never_sets_still_guards_a_per_call_effect(tmp_path):
    files = {"gan.py": GUARD_THROUGH_A_PROPERTY.replace("return self._batch", "return self._other")}
    assert lint(tmp_path, files) == {("gan.py", 23, "HYB110")}


# -- G7: a model class whose own compile forces run_eagerly=True ----------------------------------------

EAGER_BY_DESIGN = """
import tensorflow as tf


class SolverModel(tf.keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def call(self, inputs):
        return self.model(inputs)

    def compile(self, optimizer="sgd", loss="mse", **kwargs):
        super().compile(optimizer=optimizer, loss=loss, run_eagerly=True)

    def train_step(self, data):
        x, y = data
        loss = tf.reduce_mean(tf.square(self(x) - y))
        self.stop_training = bool(loss.numpy() < 1e-3)
        return {"loss": loss.numpy().item()}


def train(x, y):
    model = SolverModel(tf.keras.Sequential([tf.keras.layers.Dense(1)]))
    model.compile()
    model.fit(x, y, epochs=3)
    return model
"""


def test_steps_of_a_model_whose_own_compile_forces_eager_are_not_graph_code(tmp_path):
    # The class's compile always passes run_eagerly=True: fit runs train_step as Python, so .numpy()
    # and the attribute write work per step (as eagerly), and the keyword is no debug switch left in.
    assert lint(tmp_path, {"solver.py": EAGER_BY_DESIGN}, WITH_SWITCHES) == set()


def test_the_same_steps_without_the_forced_switch_are_graph_code(tmp_path):
    files = {"solver.py": EAGER_BY_DESIGN.replace("run_eagerly=True)", "run_eagerly=False)")}
    assert lint(tmp_path, files, WITH_SWITCHES) == {
        ("solver.py", 18, "HYB104"), ("solver.py", 18, "HYB501"), ("solver.py", 19, "HYB501")}


def test_run_eagerly_a_user_passes_to_compile_is_still_a_debug_switch(tmp_path):
    files = {"solver.py": EAGER_BY_DESIGN.replace("def compile(", "def unused_compile(").replace(
        "model.compile()", "model.compile(run_eagerly=True)")}
    assert lint(tmp_path, files, WITH_SWITCHES) >= {("solver.py", 24, "HYB303")}
