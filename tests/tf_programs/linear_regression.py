"""Linear regression with a hand-written training step, as in TF2's "basic training loops" tutorial.

The training step runs eagerly: hybridize-lint should add `@tf.function` to `train_step`.
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

TRUE_W = np.array([[3.0], [-2.0], [0.5]], dtype=np.float32)
TRUE_B = 1.5
LEARNING_RATE = 0.1
EPOCHS = 20

rng = np.random.RandomState(0)
features = rng.normal(size=(256, 3)).astype(np.float32)
targets = (features @ TRUE_W + TRUE_B + rng.normal(scale=0.1, size=(256, 1))).astype(np.float32)

w = tf.Variable(tf.zeros((3, 1)), name="w")
b = tf.Variable(0.0, name="b")


def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = tf.matmul(x, w) + b
        loss = tf.reduce_mean(tf.square(y - predictions))
    dw, db = tape.gradient(loss, [w, b])
    w.assign_sub(LEARNING_RATE * dw)
    b.assign_sub(LEARNING_RATE * db)
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices((features, targets)).batch(64)
    losses = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        for x, y in dataset:
            loss = train_step(x, y)
            losses.append(float(loss))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"losses": losses, "w": w.numpy().tolist(), "b": float(b.numpy())},
        "trace_counts": {"train_step": tracing_count(train_step)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
