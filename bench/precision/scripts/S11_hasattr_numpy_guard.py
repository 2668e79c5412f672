"""`hasattr(x, "numpy")` is false for a symbolic tensor: code under it runs only eagerly, so a `.numpy()`
there never fails in a graph (nextgen-wireless-dl-demos' `_to_int`). TF 2.21."""

import tensorflow as tf


def to_int(x):
    return int(x.numpy()) if hasattr(x, "numpy") else x


@tf.function
def zeros_of(n):
    print("hasattr(n, 'numpy') while tracing:", hasattr(n, "numpy"))
    return tf.zeros([to_int(n)])


print("eager:", hasattr(tf.constant(3), "numpy"), to_int(tf.constant(3)))
print("graph result shape:", zeros_of(tf.constant(3)).shape)
