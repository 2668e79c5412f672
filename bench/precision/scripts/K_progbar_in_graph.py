"""tensorcro slcro.py TensorCro._fit: `tf.keras.utils.Progbar(max_iter)` updated on every iteration of a Python
loop. In a tf.function the updates run while tracing only: the bar is drawn during the first call and never
again (prints the number of Progbar.update calls seen during three calls of each version: eager 3 x 5 = 15,
graph 5, all at the first call's trace)."""
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

calls = []


class CountingProgbar(tf.keras.utils.Progbar):
    def update(self, current, values=None, finalize=None):
        calls.append(current)
        super().update(current, values, finalize)


def fit(x, max_iter=5):
    bar = CountingProgbar(max_iter, verbose=0)
    for step in range(max_iter):
        bar.update(step)
        x = tf.tanh(x) * 0.9
    return x


graph_fit = tf.function(fit)
for name, version in (("eager", fit), ("graph", graph_fit)):
    calls.clear()
    for _ in range(3):
        version(tf.ones([4]))
    print(f"{name}: {len(calls)} Progbar.update calls")
