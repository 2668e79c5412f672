"""A Keras `Model` subclass with its own `call` (residual blocks, layer normalisation, dropout), custom loop.

A regression network in the style of TF2's "Making new layers and models via subclassing" guide: a
`ResidualBlock` layer and a `ResidualRegressor` model, each with `call`. `train_step` takes one Adam step
under a `GradientTape` and updates a Keras metric, `validate` returns the validation loss. Both run
eagerly: hybridize-lint should add `@tf.function` to both. Dropout draws its masks from Keras's own seed
generator (a variable-backed stateless stream), so they are the same in eager and graph mode.
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

NUM_FEATURES = 12
BATCH_SIZE = 32
EPOCHS = 2

rng = np.random.RandomState(17)
x_all = rng.normal(size=(640, NUM_FEATURES)).astype(np.float32)
y_all = (np.sin(x_all[:, :3]).sum(axis=1, keepdims=True) + 0.5 * x_all[:, 3:4] * x_all[:, 4:5]
         + rng.normal(scale=0.05, size=(640, 1))).astype(np.float32)
x_train, y_train, x_val, y_val = x_all[:512], y_all[:512], x_all[512:], y_all[512:]


class ResidualBlock(tf.keras.layers.Layer):
    def __init__(self, units, rate, **kwargs):
        super().__init__(**kwargs)
        self.dense_1 = tf.keras.layers.Dense(units, activation="relu")
        self.dense_2 = tf.keras.layers.Dense(units)
        self.norm = tf.keras.layers.LayerNormalization()
        self.dropout = tf.keras.layers.Dropout(rate, seed=3)

    def call(self, inputs, training=False):
        x = self.dense_1(inputs)
        x = self.dropout(x, training=training)
        x = self.dense_2(x)
        return self.norm(inputs + x)


class ResidualRegressor(tf.keras.Model):
    def __init__(self, units=32, num_blocks=3, **kwargs):
        super().__init__(**kwargs)
        self.stem = tf.keras.layers.Dense(units)
        self.blocks = [ResidualBlock(units, 0.1) for _ in range(num_blocks)]
        self.head = tf.keras.layers.Dense(1)

    def call(self, inputs, training=False):
        x = self.stem(inputs)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(x)


model = ResidualRegressor()
optimizer = tf.keras.optimizers.Adam(learning_rate=2e-3)
loss_fn = tf.keras.losses.MeanSquaredError()
train_loss = tf.keras.metrics.Mean(name="train_loss")


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model(x, training=True)
        loss = loss_fn(y, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss.update_state(loss)
    return loss


@tf.function
def validate(x, y):
    return loss_fn(y, model(x, training=False))


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(512, seed=18).batch(BATCH_SIZE)
    train_ds = train_ds.with_options(DATA_OPTIONS)
    x_v, y_v = tf.constant(x_val), tf.constant(y_val)
    history = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        train_loss.reset_state()
        for x, y in train_ds:
            train_step(x, y)
        history.append([float(train_loss.result()), float(validate(x_v, y_v))])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"history": history, "predictions": model(x_v[:8]).numpy().ravel().tolist(),
                   "weight_sums": [float(tf.reduce_sum(v)) for v in model.trainable_variables]},
        "trace_counts": {"train_step": tracing_count(train_step), "validate": tracing_count(validate),
                         "ResidualRegressor.call": tracing_count(model.call)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
