"""A GAN learning a ring of eight 2-D Gaussians, after TF2's DCGAN tutorial (generator, discriminator, two tapes).

`train_step` draws the generator's noise with a stateless op from a seed tensor it is given (so the noise
is the same in eager and graph mode), updates both networks from two `GradientTape`s, and returns both
losses; `generate` samples from the generator. Both run eagerly: hybridize-lint should add `@tf.function`
to `train_step` and `generate` (and may to the loss functions).
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
# tf.data's autotuner makes deleting an iterator (at the end of every epoch) wait for the autotuner's next
# wake-up, which comes at doubling intervals (..., 2.56 s, 5.12 s, ...) after the pipeline starts: in loops
# this short, that stall would dominate the timings, in eager and graph mode alike.
DATA_OPTIONS = tf.data.Options()
DATA_OPTIONS.autotune.enabled = False

NOISE_DIM = 8
BATCH_SIZE = 64
STEPS = 50

rng = np.random.RandomState(16)
angles = rng.randint(8, size=4096) * (2 * np.pi / 8)
real_points = (np.stack([np.cos(angles), np.sin(angles)], axis=1) * 2.0
               + rng.normal(scale=0.05, size=(4096, 2))).astype(np.float32)

generator = tf.keras.Sequential([
    tf.keras.Input(shape=(NOISE_DIM,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(2),
])
discriminator = tf.keras.Sequential([
    tf.keras.Input(shape=(2,)),
    tf.keras.layers.Dense(32),
    tf.keras.layers.LeakyReLU(0.2),
    tf.keras.layers.Dense(32),
    tf.keras.layers.LeakyReLU(0.2),
    tf.keras.layers.Dense(1),
])
cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
generator_optimizer = tf.keras.optimizers.Adam(1e-3, beta_1=0.5)
discriminator_optimizer = tf.keras.optimizers.Adam(1e-3, beta_1=0.5)


def discriminator_loss(real_output, fake_output):
    real_loss = cross_entropy(tf.ones_like(real_output), real_output)
    fake_loss = cross_entropy(tf.zeros_like(fake_output), fake_output)
    return real_loss + fake_loss


def generator_loss(fake_output):
    return cross_entropy(tf.ones_like(fake_output), fake_output)


@tf.function
def train_step(points, seed):
    noise = tf.random.stateless_normal([BATCH_SIZE, NOISE_DIM], seed=seed)
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated = generator(noise, training=True)
        real_output = discriminator(points, training=True)
        fake_output = discriminator(generated, training=True)
        gen_loss = generator_loss(fake_output)
        disc_loss = discriminator_loss(real_output, fake_output)
    gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
    gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
    discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))
    return gen_loss, disc_loss


@tf.function
def generate(noise):
    return generator(noise, training=False)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices(real_points).shuffle(4096, seed=17).repeat().batch(BATCH_SIZE)
    seeds = tf.data.Dataset.range(STEPS).map(lambda step: tf.stack([step, tf.constant(99, tf.int64)]))
    fixed_noise = tf.random.stateless_normal([16, NOISE_DIM], seed=[7, 7])
    log = []
    start = time.perf_counter()
    for step, (points, seed) in enumerate(tf.data.Dataset.zip((dataset, seeds)).with_options(DATA_OPTIONS), 1):
        gen_loss, disc_loss = train_step(points, seed)
        if step % 10 == 0:
            log.append([step, float(gen_loss), float(disc_loss)])
    samples = generate(fixed_noise)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"log": log, "samples": samples.numpy().ravel().tolist(),
                   "generator_sums": [float(tf.reduce_sum(v)) for v in generator.trainable_variables],
                   "discriminator_sums": [float(tf.reduce_sum(v)) for v in discriminator.trainable_variables]},
        "trace_counts": {"train_step": tracing_count(train_step), "generate": tracing_count(generate)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
