"""Mirrors open_spiel/python/jax/deep_cfr.py DeepCFRSolver._get_advantage_dataset
(line 499) with the @tf.function HYB301 suggests.

The method shuffles a Python list buffer (random.shuffle), builds a tf.data
pipeline from it and returns a Python iterator over NumPy batches
(iter(tfds.as_numpy(data)); here data.as_numpy_iterator(), which is what
tfds.as_numpy does for a Dataset).  Prints: eager works; under tf.function
the call fails (a Python iterator / NumPy iteration cannot be built in a graph),
and even returning the Dataset itself freezes the buffer at the first trace (new
samples added by the next CFR iteration are ignored) and the shuffle runs once.
"""
import random
import tensorflow as tf


class Solver:
    def __init__(self):
        self.data = [float(i) for i in range(4)]
        self.shuffles = 0

    def get_dataset(self, nr_steps=1):
        random.shuffle(self.data); self.shuffles += 1
        data = tf.data.Dataset.from_tensor_slices(self.data).repeat().batch(2)
        data = data.map(lambda x: x * 1.0).take(nr_steps)
        return iter(data.as_numpy_iterator())

    def get_dataset_ds(self, nr_steps=1):
        random.shuffle(self.data); self.shuffles += 1
        return tf.data.Dataset.from_tensor_slices(self.data).take(100)


s = Solver()
print("eager:", [b.tolist() for b in s.get_dataset(2)])
try:
    g = tf.function(s.get_dataset)
    print("graph:", [b for b in g(2)])
except Exception as e:  # noqa
    print("graph: FAILS ->", type(e).__name__, [l for l in str(e).splitlines() if l.strip()][-1].strip()[:150])

s2 = Solver()
g2 = tf.function(s2.get_dataset_ds)
for it in range(3):
    s2.data.append(100.0 + it)  # buffer grows between CFR iterations
    n = sum(1 for _ in g2())
    print(f"iteration {it}: buffer size={len(s2.data)} dataset size from tf.function={n}")
print("shuffles run:", s2.shuffles, "of 3 calls")
