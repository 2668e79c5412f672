"""Linear regression on NumPy data, as in the classic TF2 examples (`W * x + b` on float64 arrays).

Eager TensorFlow converts the float64 arrays to the float32 weights' dtype at each operation. A bare
`@tf.function` would take them as float64 tensors and fail at the multiply, so hybridize-lint must add
`linear_regression`'s decorator with a float32 `input_signature`, give `total_abs` one of the arrays' own
float64 dtype, and leave `mean_square` alone: its NumPy targets meet tensors of an unknown dtype.
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
# eager ops, so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})

LEARNING_RATE = 0.01
STEPS = 60

rng = np.random
X = np.array([3.3, 4.4, 5.5, 6.71, 6.93, 4.168, 9.779, 6.182, 7.59, 2.167, 7.042, 10.791, 5.313, 7.997, 5.654])
Y = np.array([1.7, 2.76, 2.09, 3.19, 1.694, 1.573, 3.366, 2.596, 2.53, 1.221, 2.827, 3.465, 1.65, 2.904, 2.42])

W = tf.Variable(rng.randn(), name="weight")
b = tf.Variable(rng.randn(), name="bias")
optimizer = tf.optimizers.SGD(LEARNING_RATE)


def linear_regression(x):
    return W * x + b


def mean_square(y_pred, y_true):
    return tf.reduce_mean(tf.square(y_pred - y_true))


def total_abs(x):
    return tf.reduce_sum(tf.abs(x))


def run_optimization():
    with tf.GradientTape() as tape:
        loss = mean_square(linear_regression(X), Y)
    gradients = tape.gradient(loss, [W, b])
    optimizer.apply_gradients(zip(gradients, [W, b]))
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    losses, totals = [], []
    start = time.perf_counter()
    for step in range(STEPS):
        losses.append(float(run_optimization()))
        totals.append(float(total_abs(Y - step * 0.01)))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"losses": losses, "totals": totals, "W": float(W.numpy()), "b": float(b.numpy())},
        "trace_counts": {name: tracing_count(function) for name, function in [
            ("linear_regression", linear_regression), ("mean_square", mean_square), ("total_abs", total_abs),
            ("run_optimization", run_optimization)]},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
