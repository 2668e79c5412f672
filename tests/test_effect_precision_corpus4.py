"""Classes of wrong findings met on the corpus4 packages (``bench/precision/false-classes.md``, corpus4
round), mended in a later session: each has a negative case (no longer reported) and a positive one (the
hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

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
