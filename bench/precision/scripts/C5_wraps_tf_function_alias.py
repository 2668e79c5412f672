"""tf-tools (tf/tools/typing.py) defines
    def tf_function(f, *a, **k): return wraps(f)(tf.function(f, *a, **k))
and decorates `equal` (tf/tools/sparse/sparse.py) and tf-ocr's `encode` with `@tf_function`.
HYB302 asks to "add @tf.function" to them, but they already are tf.functions.

Prints: whether the decorated `equal` is a tf.function (has get_concrete_function / is a
GenericFunction), and how many times its Python body runs over 5 calls with same-shaped
sparse inputs (1 = graph, traced once).
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from functools import wraps
import tensorflow as tf


def tf_function(f, *args, **kwargs):
    return wraps(f)(tf.function(f, *args, **kwargs))


runs = {"n": 0}


@tf_function
def equal(xs, ys):
    runs["n"] += 1
    dx, dy = tf.sparse.to_dense(xs), tf.sparse.to_dense(ys)
    maxlen = tf.maximum(tf.shape(dx)[-1], tf.shape(dy)[-1])
    dx = tf.pad(dx, [[0, 0], [0, maxlen - tf.shape(dx)[-1]]])
    dy = tf.pad(dy, [[0, 0], [0, maxlen - tf.shape(dy)[-1]]])
    return tf.reduce_all(tf.equal(dx, dy), axis=-1)


a = tf.sparse.from_dense(tf.constant([[1, 2, 0], [3, 0, 0]]))
b = tf.sparse.from_dense(tf.constant([[1, 2, 0], [3, 4, 0]]))
print("is tf.function:", isinstance(equal, tf.types.experimental.GenericFunction),
      "has get_concrete_function:", hasattr(equal, "get_concrete_function"))
for _ in range(5):
    r = equal(a, b)
print("result:", r.numpy().tolist(), "python body runs over 5 calls:", runs["n"])
