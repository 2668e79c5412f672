"""Log lines in graph code: which ones are a per-call effect lost to the trace, and which ones the
developer gated to see once (``bench/precision/false-classes.md``, session 14)."""

from __future__ import annotations

from project_helpers import lint

ONLY_EFFECTS = 'select = ["HYB1"]\n'

VERBOSE_MODEL = """
import logging

import tensorflow as tf


class Model(tf.keras.Model):
    def __init__(self, verbose=0):
        super().__init__()
        self._verbose = verbose
        self.dense = tf.keras.layers.Dense(1)

    @tf.function
    def collect(self, features, label):
        total = tf.reduce_sum(label)
        if self._verbose >= 2:
            logging.info("examples: %s total: %s", features, total)
        return self.dense(features) + total
"""


def test_a_tensor_logged_under_a_verbosity_flag_is_a_diagnostic(tmp_path):
    # The developer chose when to see the line; what it shows of a symbolic tensor is its structure, a
    # fact of the trace, so once per trace says all there is.
    assert lint(tmp_path, {"model.py": VERBOSE_MODEL}, ONLY_EFFECTS) == set()


def test_a_tensor_logged_on_every_step_is_still_an_effect(tmp_path):
    unconditional = VERBOSE_MODEL.replace("        if self._verbose >= 2:\n            logging", "        logging")
    assert lint(tmp_path, {"model.py": unconditional}, ONLY_EFFECTS) == {("model.py", 15, "HYB102")}


def test_a_tensor_logged_under_a_tensor_condition_is_still_an_effect(tmp_path):
    # AutoGraph makes the condition a graph `cond`: the line is logged once, when its branch is traced,
    # whatever the data says later.
    on_data = VERBOSE_MODEL.replace("if self._verbose >= 2:", "if total > 0:")
    assert lint(tmp_path, {"model.py": on_data}, ONLY_EFFECTS) == {("model.py", 16, "HYB102")}
