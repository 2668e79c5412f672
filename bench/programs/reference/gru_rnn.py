"""A hand-written GRU cell unrolled over a sequence, trained with a custom loop (RNN-from-scratch style).

The task: read a noisy sine wave of 12 steps and predict the next value. The GRU's weights are plain
`tf.Variable`s in a `tf.Module`; `GRU.__call__` loops over the time steps in Python, `train_step`
takes one Adam step under a `GradientTape`, `predict` runs the model. All eager: hybridize-lint should
add `@tf.function` to `train_step` and `predict` (and may to the functions they call).
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
# tf.data's autotuner makes deleting an iterator (at the end of every epoch) wait for the autotuner's next
# wake-up, which comes at doubling intervals (..., 2.56 s, 5.12 s, ...) after the pipeline starts: in loops
# this short, that stall would dominate the timings, in eager and graph mode alike.
DATA_OPTIONS = tf.data.Options()
DATA_OPTIONS.autotune.enabled = False

TIMESTEPS = 12
HIDDEN = 24
BATCH_SIZE = 32
EPOCHS = 3

rng = np.random.RandomState(14)
phases = rng.uniform(0, 2 * np.pi, size=(512, 1))
frequencies = rng.uniform(0.2, 0.6, size=(512, 1))
t = np.arange(TIMESTEPS + 1)[None, :]
waves = np.sin(frequencies * t + phases) + rng.normal(scale=0.05, size=(512, TIMESTEPS + 1))
sequences = waves[:, :TIMESTEPS, None].astype(np.float32)  # (batch, time, 1)
next_values = waves[:, TIMESTEPS:].astype(np.float32)  # (batch, 1)


def glorot(shape, seed):
    limit = np.sqrt(6.0 / sum(shape))
    return tf.random.stateless_uniform(shape, seed=[seed, 0], minval=-limit, maxval=limit)


class GRU(tf.Module):
    """A single GRU layer followed by a linear read-out of the last hidden state."""

    def __init__(self, input_size, hidden_size, **kwargs):
        super().__init__(**kwargs)
        self.hidden_size = hidden_size
        self.w_z = tf.Variable(glorot((input_size + hidden_size, hidden_size), 1), name="w_z")
        self.w_r = tf.Variable(glorot((input_size + hidden_size, hidden_size), 2), name="w_r")
        self.w_h = tf.Variable(glorot((input_size + hidden_size, hidden_size), 3), name="w_h")
        self.b_z = tf.Variable(tf.zeros(hidden_size), name="b_z")
        self.b_r = tf.Variable(tf.zeros(hidden_size), name="b_r")
        self.b_h = tf.Variable(tf.zeros(hidden_size), name="b_h")
        self.w_out = tf.Variable(glorot((hidden_size, 1), 4), name="w_out")
        self.b_out = tf.Variable(tf.zeros(1), name="b_out")

    def cell(self, x_t, h):
        xh = tf.concat([x_t, h], axis=1)
        z = tf.sigmoid(tf.matmul(xh, self.w_z) + self.b_z)
        r = tf.sigmoid(tf.matmul(xh, self.w_r) + self.b_r)
        h_tilde = tf.tanh(tf.matmul(tf.concat([x_t, r * h], axis=1), self.w_h) + self.b_h)
        return (1.0 - z) * h + z * h_tilde

    def __call__(self, inputs):
        h = tf.zeros([tf.shape(inputs)[0], self.hidden_size])
        for step in range(TIMESTEPS):
            h = self.cell(inputs[:, step, :], h)
        return tf.matmul(h, self.w_out) + self.b_out


model = GRU(1, HIDDEN)
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


@tf.function
def predict(x):
    return model(x)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices((sequences, next_values)).shuffle(512, seed=15).batch(BATCH_SIZE)
    dataset = dataset.with_options(DATA_OPTIONS)
    epoch_losses = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        total = 0.0
        for x, y in dataset:
            total += float(train_step(x, y))
        epoch_losses.append(total / len(dataset))
    predictions = predict(tf.constant(sequences[:8]))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"epoch_losses": epoch_losses, "predictions": predictions.numpy().ravel().tolist(),
                   "weight_sums": [float(tf.reduce_sum(v)) for v in model.trainable_variables]},
        "trace_counts": {"train_step": tracing_count(train_step), "predict": tracing_count(predict)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
