"""tensorflow-image-models: DenseNet121/169/201.py call
`tf.config.experimental_run_functions_eagerly(True)` at module level, and the package's
__init__ imports them (via DenseNet.py), so `import tensorflow_image_models` silently turns
off graph execution for every tf.function in the process (user code, Keras fit's train step).

This script writes a tiny module doing the same, imports it, and prints: whether a
tf.function body runs eagerly (tf.executing_eagerly() inside, and how many times its Python
body runs over 3 calls), before and after the import, and the time of 200 calls of a small
op-heavy tf.function in each mode.
"""
import os, sys, tempfile, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

runs = {"n": 0}


def probe():
    @tf.function
    def f(x):
        runs["n"] += 1
        inside = tf.executing_eagerly()
        for _ in range(30):
            x = tf.tanh(x) * 1.01 + 0.1
        return x, inside

    runs["n"] = 0
    x = tf.ones([8])
    inside = None
    for _ in range(3):
        _, inside = f(x)
    body_runs = runs["n"]
    t = time.perf_counter()
    for _ in range(200):
        f(x)
    return inside, body_runs, time.perf_counter() - t


print("before import: eager inside tf.function=%s, python body runs over 3 calls=%d, 200 calls %.3fs" % probe())
d = tempfile.mkdtemp()
with open(os.path.join(d, "densenet_like.py"), "w") as fh:
    fh.write("import tensorflow as tf\ntf.config.experimental_run_functions_eagerly(True)\n")
sys.path.insert(0, d)
import densenet_like  # noqa: E402,F401
print("after import:  eager inside tf.function=%s, python body runs over 3 calls=%d, 200 calls %.3fs" % probe())
print("functions_run_eagerly() =", tf.config.functions_run_eagerly())
