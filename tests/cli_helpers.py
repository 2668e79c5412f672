"""Inputs shared by the CLI, config and bad-input tests."""

TRAIN = """\
import tensorflow as tf


@tf.function(experimental_relax_shapes=True)
def train_step(x, y):
    loss = x + y
    print("loss:", loss)
    return loss
"""
SAFE_FIXED = TRAIN.replace("experimental_relax_shapes", "reduce_retracing")
RUFF_JSON_KEYS = {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row", "url"}
