"""Classes of wrong side-effect and retracing findings met on the corpus3 packages (``bench/precision/
false-classes.md``, corpus3 round): each has a negative case (no longer reported) and a positive one (the
hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

# -- F21: a container the same call binds to the attribute, then fills ---------------------------------

FILLS_ITS_OWN_ENDPOINTS = """
import tensorflow as tf


class Backbone(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [tf.keras.layers.Dense(4), tf.keras.layers.Dense(4)]
        self.endpoints = None

    @tf.function
    def call(self, inputs):
        self.endpoints = {"inputs": inputs}
        outputs = inputs
        for idx, block in enumerate(self.blocks):
            outputs = block(outputs)
            self.endpoints["block_%s" % idx] = outputs
        self.endpoints.update({"features": outputs})
        return outputs
"""


def test_filling_a_container_the_call_binds_first_is_no_per_trace_effect(tmp_path):
    # Every call (and every trace) starts from a new dict: nothing of an earlier call is lost.
    assert lint(tmp_path, {"m.py": FILLS_ITS_OWN_ENDPOINTS}) == set()


def test_filling_a_container_bound_only_on_some_paths_is_still_reported(tmp_path):
    # Bound only when `reset` is true: otherwise the call fills the dict an earlier call left.
    sometimes = FILLS_ITS_OWN_ENDPOINTS.replace("def call(self, inputs):", "def call(self, inputs, reset=True):") \
        .replace('        self.endpoints = {"inputs": inputs}', '        if reset:\n            self.endpoints = {"inputs": inputs}')
    assert lint(tmp_path, {"m.py": sometimes}) == {("m.py", 17, "HYB105"), ("m.py", 18, "HYB105")}


def test_filling_a_container_bound_elsewhere_is_still_reported(tmp_path):
    # The dict of `__init__`, filled once per trace instead of on every call.
    elsewhere = FILLS_ITS_OWN_ENDPOINTS.replace('        self.endpoints = {"inputs": inputs}\n', "") \
        .replace("self.endpoints = None", "self.endpoints = {}")
    assert lint(tmp_path, {"m.py": elsewhere}) == {("m.py", 15, "HYB105"), ("m.py", 16, "HYB105")}
