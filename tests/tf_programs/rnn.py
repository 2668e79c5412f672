"""A small recurrent network (Keras SimpleRNN) learning a running sum, with a custom GradientTape loop.

`train_step` runs eagerly: hybridize-lint should add `@tf.function` to it.
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

EPOCHS = 4
TIMESTEPS = 10

rng = np.random.RandomState(4)
sequences = rng.normal(size=(128, TIMESTEPS, 2)).astype(np.float32)
targets = (sequences[:, :, 0].sum(axis=1, keepdims=True) * 0.3).astype(np.float32)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(TIMESTEPS, 2)),
    # Unrolled: a symbolic tf.while_loop sums the per-step gradients of the shared weights in another
    # order than eager mode's tape, which changes the last bits.
    tf.keras.layers.SimpleRNN(8, unroll=True),
    tf.keras.layers.Dense(1),
])
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)


def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = tf.reduce_mean(tf.square(predictions - y))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices((sequences, targets)).batch(32)
    losses = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        for x, y in dataset:
            losses.append(float(train_step(x, y)))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"losses": losses, "weights": [v.numpy().tolist() for v in model.trainable_variables]},
        "trace_counts": {"train_step": tracing_count(train_step)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
