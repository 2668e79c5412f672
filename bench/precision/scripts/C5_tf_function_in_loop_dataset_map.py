"""keras-neural-processes knp/data.py:114 pattern: a @tf.function defined inside a loop over
classes and passed straight to Dataset.map (once per class, at dataset construction).

Prints the number of Python traces of the map function for K classes, (a) created per
iteration as in the package, (b) hoisted out of the loop as HYB202 suggests, and (c) a plain
Python function (no decorator), plus how many extra traces happen while iterating the
dataset (none: tracing is a one-off construction cost bounded by the number of classes).
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

K = 4
table = tf.range(100, dtype=tf.float32)
traces = {"n": 0}


def body(index):
    traces["n"] += 1
    return table[index] * 2.0


def build(mode):
    traces["n"] = 0
    hoisted = tf.function(body)
    dss = []
    for k in range(K):
        if mode == "per-iteration":
            fn = tf.function(body)
        elif mode == "hoisted":
            fn = hoisted
        else:
            fn = body
        dss.append(tf.data.Dataset.from_tensor_slices(tf.range(k, 100, K)).repeat().map(fn).batch(2))
    ds = tf.data.Dataset.zip(tuple(dss))
    at_build = traces["n"]
    for _ in ds.take(50):
        pass
    return at_build, traces["n"] - at_build


for mode in ("per-iteration", "hoisted", "plain python"):
    b, it = build(mode)
    print(f"{mode:14s}: traces at construction={b} (K={K}), extra traces while iterating 50 batches={it}")
