"""A `tf.function` called with a different Python float literal on each call, so it retraces every time.

`scale` gains nothing from graph mode (one multiplication) and is traced anew for each literal `factor`:
hybridize-lint should remove its `tf.function`. `normalize` is called with tensors only, traces once and
should stay a `tf.function`.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
# Grappler's arithmetic optimizer rewrites graph arithmetic into forms that round differently from the
# eager ops (e.g. in sigmoid cross-entropy), so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})


@tf.function
def scale(x, factor):
    return x * factor


@tf.function
def normalize(x):
    mean, variance = tf.nn.moments(x, axes=[0])
    return (x - mean) / tf.sqrt(variance + 1e-6)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    rng = np.random.RandomState(8)
    x = normalize(tf.constant(rng.normal(loc=2.0, scale=3.0, size=(6, 4)).astype(np.float32)))
    start = time.perf_counter()
    outputs = [scale(x, 0.5), scale(x, 1.5), scale(x, 2.0), scale(x, 2.5), scale(x, 3.0), scale(x, 10.0)]
    for factor in (0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.4):
        outputs.append(scale(x, factor))
    calls = len(outputs)
    for _ in range(5):
        x = normalize(scale(x, 1.5) + 1.0)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"outputs": [output.numpy().tolist() for output in outputs], "x": x.numpy().tolist(),
                    "scale_calls": calls + 5},
        "trace_counts": {"scale": tracing_count(scale), "normalize": tracing_count(normalize)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
