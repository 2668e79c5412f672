"""tf-neural-style-transfer execute.py pattern: a notebook-style script defines and traces a
first `train_step` (not reading `total_variation_weight`), then assigns
`total_variation_weight=30` once, then *redefines* `train_step` (a new tf.function) that reads it.
HYB108 claims the graph keeps a stale value; but the only assignment precedes the definition
(and first trace) of the function that reads it.

Prints the value the second train_step's graph uses (30.0 = the module value, not stale) and
how many times it traced.
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

image = tf.Variable(1.0)
traces = {"n": 0}


@tf.function()
def train_step(image):
    image.assign_add(1.0)


for _ in range(3):
    train_step(image)

total_variation_weight = 30


@tf.function()
def train_step(image):  # noqa: F811  (redefinition, as in the package)
    traces["n"] += 1
    return total_variation_weight * tf.ones_like(image)


vals = [float(train_step(image)) for _ in range(5)]
print("second train_step results:", vals, "traces:", traces["n"], "module value:", total_variation_weight)
