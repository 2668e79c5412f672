"""A training loop that wraps its step in a new `tf.function` on every iteration.

Each new wrapper starts with an empty trace cache, so every batch pays for a full trace. hybridize-lint
should move `step = tf.function(train_step)` before the loop (HYB202's fix): one wrapper, one trace,
identical results.
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
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})

weights = tf.Variable(tf.zeros([4, 1]), name="weights")
optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)


def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, weights) - y))
    optimizer.apply_gradients([(tape.gradient(loss, weights), weights)])
    return loss


def train(batches):
    wrappers = {}
    losses = []
    for x, y in batches:
        step = tf.function(train_step)
        wrappers[id(step)] = step
        losses.append(float(step(x, y)))
    traces = sum(wrapper.experimental_get_tracing_count() for wrapper in wrappers.values())
    return losses, traces


def main():
    rng = np.random.RandomState(3)
    true_weights = rng.normal(size=(4, 1)).astype(np.float32)
    batches = []
    for _ in range(12):
        x = rng.normal(size=(16, 4)).astype(np.float32)
        batches.append((tf.constant(x), tf.constant(x @ true_weights)))
    start = time.perf_counter()
    losses, traces = train(batches)
    print(json.dumps({
        "results": {"losses": losses, "weights": weights.numpy().tolist()},
        "trace_counts": {"train_step": traces},
        "seconds": time.perf_counter() - start,
    }))


if __name__ == "__main__":
    main()
