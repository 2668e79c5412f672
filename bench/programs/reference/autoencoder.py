"""A dense autoencoder (Keras `Model` subclass of an encoder and a decoder), after TF2's "Intro to autoencoders".

It compresses synthetic 64-pixel images that lie near an 8-dimensional subspace to a 4-dimensional code.
`train_step` takes one Adam step under a `GradientTape`; `reconstruction_loss` is the per-example error of a
batch. Both run eagerly: hybridize-lint should add `@tf.function` to both.
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

LATENT_DIM = 4
PIXELS = 64
BATCH_SIZE = 32
EPOCHS = 4

rng = np.random.RandomState(15)
basis = rng.normal(size=(8, PIXELS))
codes = rng.normal(size=(640, 8))
images = 1.0 / (1.0 + np.exp(-(codes @ basis) / 3.0))  # pixel intensities in (0, 1)
x_train, x_test = images[:512].astype(np.float32), images[512:].astype(np.float32)


class Autoencoder(tf.keras.Model):
    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential([
            tf.keras.Input(shape=(PIXELS,)),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(latent_dim, activation="relu"),
        ])
        self.decoder = tf.keras.Sequential([
            tf.keras.Input(shape=(latent_dim,)),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(PIXELS, activation="sigmoid"),
        ])

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


autoencoder = Autoencoder(LATENT_DIM)
optimizer = tf.keras.optimizers.Adam(learning_rate=3e-3)


@tf.function
def train_step(x):
    with tf.GradientTape() as tape:
        reconstructed = autoencoder(x, training=True)
        loss = tf.reduce_mean(tf.square(x - reconstructed))
    gradients = tape.gradient(loss, autoencoder.trainable_variables)
    optimizer.apply_gradients(zip(gradients, autoencoder.trainable_variables))
    return loss


@tf.function
def reconstruction_loss(x):
    reconstructed = autoencoder(x, training=False)
    return tf.reduce_mean(tf.square(x - reconstructed), axis=1)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices(x_train).shuffle(512, seed=16).batch(BATCH_SIZE)
    dataset = dataset.with_options(DATA_OPTIONS)
    test_batch = tf.constant(x_test)
    history = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        losses = [train_step(x) for x in dataset]
        history.append([float(tf.reduce_mean(losses)), float(tf.reduce_mean(reconstruction_loss(test_batch)))])
    errors = reconstruction_loss(test_batch)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"history": history, "test_errors": errors.numpy().tolist(),
                   "weight_sums": [float(tf.reduce_sum(v)) for v in autoencoder.trainable_variables]},
        "trace_counts": {"train_step": tracing_count(train_step),
                         "reconstruction_loss": tracing_count(reconstruction_loss)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
