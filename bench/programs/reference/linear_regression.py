"""Linear regression with a `tf.Module`, after TF2's "Basic training loops" tutorial.

A model `y = x @ w + b` is fitted to noisy synthetic data by mini-batch gradient descent: `train_step`
computes the loss under a `GradientTape` and updates the variables with `assign_sub`. Everything runs
eagerly: hybridize-lint should add `@tf.function` to `train_step` (and may add it to the model's
`__call__` and to `mse_loss`, which it calls).
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

NUM_FEATURES = 5
NUM_EXAMPLES = 1024
BATCH_SIZE = 32
EPOCHS = 30
LEARNING_RATE = 0.01

rng = np.random.RandomState(10)
TRUE_W = rng.normal(size=(NUM_FEATURES, 1)).astype(np.float32)
TRUE_B = np.float32(2.0)
features = rng.normal(size=(NUM_EXAMPLES, NUM_FEATURES)).astype(np.float32)
targets = (features @ TRUE_W + TRUE_B + rng.normal(scale=0.3, size=(NUM_EXAMPLES, 1))).astype(np.float32)


class LinearModel(tf.Module):
    def __init__(self, num_features, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(tf.random.normal((num_features, 1), seed=1), name="w")
        self.b = tf.Variable(0.0, name="b")

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


def mse_loss(target_y, predicted_y):
    return tf.reduce_mean(tf.square(target_y - predicted_y))


model = LinearModel(NUM_FEATURES)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = mse_loss(y, model(x))
    dw, db = tape.gradient(loss, [model.w, model.b])
    model.w.assign_sub(LEARNING_RATE * dw)
    model.b.assign_sub(LEARNING_RATE * db)
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    batches = [(tf.constant(features[i:i + BATCH_SIZE]), tf.constant(targets[i:i + BATCH_SIZE]))
               for i in range(0, NUM_EXAMPLES, BATCH_SIZE)]
    epoch_losses = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        total = tf.constant(0.0)
        for x, y in batches:
            total += train_step(x, y)
        epoch_losses.append(total / len(batches))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"epoch_losses": [float(loss) for loss in epoch_losses],
                   "w": model.w.numpy().ravel().tolist(), "b": float(model.b.numpy())},
        "trace_counts": {"train_step": tracing_count(train_step)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
