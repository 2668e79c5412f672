"""A denoising autoencoder (Keras encoder and decoder) trained with a custom GradientTape loop.

The noise comes from a seeded `tf.random.Generator`, so it is the same stream in eager and graph mode.
`train_step` and `reconstruction_error` run eagerly: hybridize-lint should add `@tf.function` to both.
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

EPOCHS = 6

rng = np.random.RandomState(5)
# 16-dimensional data on a 3-dimensional subspace.
data = (rng.normal(size=(160, 3)) @ rng.normal(size=(3, 16))).astype(np.float32)

encoder = tf.keras.Sequential([
    tf.keras.Input(shape=(16,)),
    tf.keras.layers.Dense(8, activation="relu"),
    tf.keras.layers.Dense(3),
])
decoder = tf.keras.Sequential([
    tf.keras.Input(shape=(3,)),
    tf.keras.layers.Dense(8, activation="relu"),
    tf.keras.layers.Dense(16),
])
optimizer = tf.keras.optimizers.Adam(learning_rate=0.005)
noise = tf.random.Generator.from_seed(11)


def train_step(x):
    noisy = x + 0.1 * noise.normal(tf.shape(x))
    with tf.GradientTape() as tape:
        reconstruction = decoder(encoder(noisy, training=True), training=True)
        loss = tf.reduce_mean(tf.square(reconstruction - x))
    variables = encoder.trainable_variables + decoder.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss


def reconstruction_error(x):
    reconstruction = decoder(encoder(x, training=False), training=False)
    return tf.reduce_mean(tf.square(reconstruction - x), axis=1)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices(data).shuffle(160, seed=5).batch(32)
    losses = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        for x in dataset:
            losses.append(float(train_step(x)))
    errors = reconstruction_error(tf.constant(data[:8]))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"losses": losses, "errors": errors.numpy().tolist(),
                    "weights": [v.numpy().tolist() for v in encoder.trainable_variables + decoder.trainable_variables]},
        "trace_counts": {"train_step": tracing_count(train_step),
                         "reconstruction_error": tracing_count(reconstruction_error)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
