"""Backs deepdanbooru/deepdanbooru/data/dataset_wrapper.py:26:5:HYB302.
train_project.py builds a NEW DatasetWrapper (holding Python lists of paths/tags) on every loop
iteration and calls get_dataset once on it. get_dataset only builds a tf.data pipeline: the map
functions are already traced by tf.data. Decorated with tf.function, every new instance is a new
trace (the method is bound per instance) and the Python lists become graph constants: each call is
a trace, so the decoration cannot pay; it only adds tracing. Shows trace count == calls and timings."""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf
tf.get_logger().setLevel("ERROR")

class DatasetWrapper:
    def __init__(self, inputs):
        self.inputs = inputs
    def get_dataset(self, bs):
        ds = tf.data.Dataset.from_tensor_slices(self.inputs)
        ds = ds.map(self.load, num_parallel_calls=tf.data.AUTOTUNE)
        ds = ds.map(self.tr, num_parallel_calls=tf.data.AUTOTUNE)
        return ds.batch(bs).prefetch(tf.data.AUTOTUNE)
    def load(self, p, t):
        return tf.strings.length(p), t
    def tr(self, x, t):
        return tf.cast(x, tf.float32) * 2.0, tf.strings.split(t)

TRACES = [0]
class Decorated(DatasetWrapper):
    @tf.function
    def get_dataset(self, bs):
        TRACES[0] += 1  # Python code: runs once per trace
        return DatasetWrapper.get_dataset(self, bs)

def run(cls, n=8):
    t0 = time.perf_counter(); traces = 0
    for i in range(n):
        w = cls(([f"img{i}_{j}.png" for j in range(16)], ["a b c"] * 16))
        ds = w.get_dataset(4)
        for _ in ds:
            pass
    return time.perf_counter() - t0, TRACES[0]

try:
    print("eager    : %.3fs" % run(DatasetWrapper)[0])
    dt, tr = run(Decorated)
    print("decorated: %.3fs, traces: %s (8 calls, 8 new instances)" % (dt, tr))
except Exception as e:
    print("decorated get_dataset fails:", type(e).__name__, str(e)[:300])
