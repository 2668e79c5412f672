"""Backs lidbox HYB401 findings (lidbox/features/__init__.py:106 load_tensor_from_kaldi_archive,
and by the same mechanism :79 window_normalization_numpy).

A @tf.function whose body is only `tf.numpy_function(...)`, called (as lidbox does) from a
function passed to `dataset.map`. Shows: the decorated and undecorated versions give the same
elements, the wrapper is traced once when the map function is traced, and per-element time is
the same within noise: the decorator neither helps nor costs anything that matters
(the claim "adds only tracing overhead" is right, but the overhead is one trace at pipeline build).
"""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import numpy as np
import tensorflow as tf

traces = {"n": 0}
def _load(key):
    return np.full((4, 3), len(key), np.float32)

@tf.function
def load_dec(k):
    traces["n"] += 1
    return tf.numpy_function(_load, [k], tf.float32)

def load_plain(k):
    return tf.numpy_function(_load, [k], tf.float32)

keys = tf.data.Dataset.from_tensor_slices([b"utt%d" % i for i in range(3000)])
def run(fn):
    ds = keys.map(lambda k: {"input": fn(k)})
    t = time.perf_counter(); s = 0.0
    for x in ds: s += float(tf.reduce_sum(x["input"]))
    return s, time.perf_counter() - t
for fn in (load_dec, load_plain, load_dec, load_plain):
    s, dt = run(fn)
    print(fn.__name__ if hasattr(fn, "__name__") else fn, "sum", s, "time %.3fs" % dt)
print("traces of decorated wrapper:", traces["n"])
