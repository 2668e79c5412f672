""""Barren" `tf.function`s: no tensor computation, called on every step.

Graph mode cannot speed up `barren` (it only returns a Python constant) or `as_batch` (its tensor
parameters only pass through); it only adds tracing and dispatch overhead, so hybridize-lint should
remove their `tf.function`. `train_step` does real tensor work
on tensor arguments and should stay a `tf.function`.
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

STEPS = 30

rng = np.random.RandomState(9)
features = tf.constant(rng.normal(size=(64, 2)).astype(np.float32))
targets = tf.constant((features.numpy() @ np.array([[2.0], [-1.0]], dtype=np.float32)) + 0.5)
w = tf.Variable(tf.zeros((2, 1)))
b = tf.Variable(tf.zeros((1,)))


@tf.function
def barren():
    return 42


@tf.function
def as_batch(x, y):
    return {"x": x, "y": y}


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(0.1 * dw)
    b.assign_sub(0.1 * db)
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    answers, losses = [], []
    start = time.perf_counter()
    for step in range(STEPS):
        answers.append(int(barren()))
        batch = as_batch(features, targets)
        losses.append(float(train_step(batch["x"], batch["y"])))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"answers": answers, "losses": losses, "w": w.numpy().tolist(), "b": b.numpy().tolist(),
                    "barren_calls": len(answers)},
        "trace_counts": {"barren": tracing_count(barren), "as_batch": tracing_count(as_batch),
                         "train_step": tracing_count(train_step)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
