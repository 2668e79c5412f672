"""keras-genetic's Breeder.fully_random_weight_set / CompletelyRandomBreeder.offspring
(reproduced in miniature): pure NumPy code (np.random.normal per weight, .flatten(),
np.array(...).reshape) that returns a plain Python `Individual` object.

Prints: eager offspring differ from one another; under @tf.function the call fails because
the function returns a non-Tensor Python object; and even with the object stripped (returning
the arrays as tensors) the NumPy random draw is frozen at trace time, so all "offspring" are
identical -- a graph would change results, not speed them up.
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf


class Individual:
    def __init__(self, weights, model=None):
        self.weights = weights
        self.model = model


def fully_random_weight_set(mother):
    out = []
    for m in mother.weights:
        shape = m.shape
        m = m.flatten()
        out.append(np.array([np.random.normal(0, 10) for _ in range(m.shape[0])]).reshape(shape))
    return Individual(out, model=mother.model)


mother = Individual([np.zeros((2, 3)), np.zeros((3,))])
a, b = fully_random_weight_set(mother), fully_random_weight_set(mother)
print("eager offspring differ:", not np.allclose(a.weights[0], b.weights[0]))

g = tf.function(fully_random_weight_set)
try:
    g(mother)
    print("tf.function offspring: no error")
except Exception as e:  # noqa
    print("tf.function offspring fails:", type(e).__name__, str(e).splitlines()[0][:110])

g2 = tf.function(lambda mother: [tf.constant(w) for w in fully_random_weight_set(mother).weights])
x, y = g2(mother), g2(mother)
print("tf.function (arrays only) offspring identical:", np.allclose(x[0].numpy(), y[0].numpy()))
