"""Linear regression with two raw variables and a zero-argument `run_optimization()`, after aymericdamien's TF2 example.

Written the way TensorFlow-Examples v2 writes it: module-level `tf.Variable`s `W` and `b`, NumPy
training data `X` and `Y` (float64, as `np.array` of Python floats gives), helpers
`linear_regression(x)` and `mean_square(y_pred, y_true)` called from `run_optimization()` and from the
display branch, a module-level SGD optimizer, and the training loop at module level. The function worth
hybridizing is `run_optimization()`: it takes no argument, but every step's tensor work happens in it.
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

# Parameters.
learning_rate = 0.01
training_steps = 500
display_step = 50

# Training data: 64 noisy points around a line.
rng = np.random.RandomState(20)
X = rng.uniform(0.0, 10.0, size=64)
Y = 0.4 * X + 1.5 + rng.normal(scale=0.5, size=64)

# Weight and bias, initialised randomly.
W = tf.Variable(rng.randn(), name="weight")
b = tf.Variable(rng.randn(), name="bias")


# Linear regression (Wx + b).
def linear_regression(x):
    return W * x + b


# Mean square error.
def mean_square(y_pred, y_true):
    return tf.reduce_mean(tf.square(y_pred - y_true))


# Stochastic Gradient Descent Optimizer.
optimizer = tf.optimizers.SGD(learning_rate)


# Optimization process.
@tf.function
def run_optimization():
    # Wrap computation inside a GradientTape for automatic differentiation.
    with tf.GradientTape() as g:
        pred = linear_regression(X)
        loss = mean_square(pred, Y)

    # Compute gradients.
    gradients = g.gradient(loss, [W, b])

    # Update W and b following gradients.
    optimizer.apply_gradients(zip(gradients, [W, b]))


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


# Run training for the given number of steps.
log = []
start = time.perf_counter()
for step in range(1, training_steps + 1):
    # Run the optimization to update W and b values.
    run_optimization()

    if step % display_step == 0:
        pred = linear_regression(X)
        loss = mean_square(pred, Y)
        log.append([step, float(loss), float(W.numpy()), float(b.numpy())])
seconds = time.perf_counter() - start

print(json.dumps({
    "result": {"log": log, "W": float(W.numpy()), "b": float(b.numpy())},
    "trace_counts": {"run_optimization": tracing_count(run_optimization),
                     "linear_regression": tracing_count(linear_regression), "mean_square": tracing_count(mean_square)},
    "seconds": seconds,
}))
