"""A DCGAN-lite of subclassed Keras models on 8x8 images, after aymericdamien's TF2 "DCGAN" example.

Written the way TensorFlow-Examples v2 writes it: `Generator(Model)` (dense, batch normalisation,
two transposed convolutions) and `Discriminator(Model)` (two strided convolutions, dense), both with
`call(x, is_training=False)`, loss helpers, two Adam optimizers, and one `run_optimization(real_images)`
per batch that updates the discriminator, then the generator, each under its own tape. The example draws
its noise with `np.random.normal` inside the step, which a `tf.function` would freeze at trace time; here
it comes from a module-level `tf.random.Generator`, whose state is a variable, so eager and graph runs
draw the same numbers. Real "images": blurred diagonal strokes.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.keras import Model, layers  # noqa: E402

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
# Grappler's arithmetic optimizer rewrites graph arithmetic into forms that round differently from the
# eager ops, so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})
# tf.data's autotuner makes deleting an iterator wait for the autotuner's next wake-up (doubling
# intervals after the pipeline starts): in loops this short, that stall would dominate the timings.
DATA_OPTIONS = tf.data.Options()
DATA_OPTIONS.autotune.enabled = False

# Training parameters.
lr_generator = 0.0002
lr_discriminator = 0.0002
training_steps = 30
batch_size = 32
display_step = 10

# Network parameters.
noise_dim = 16  # Noise data points.

# Synthetic 8x8 images in [0, 1]: a diagonal stroke at a random offset.
rng = np.random.RandomState(27)
offsets = rng.randint(-3, 4, size=1024)
rows, cols = np.meshgrid(np.arange(8), np.arange(8), indexing="ij")
x_train = np.exp(-np.square(cols[None] - rows[None] - offsets[:, None, None]) / 1.5)
x_train = (x_train + rng.normal(scale=0.05, size=x_train.shape)).clip(0, 1)[..., None].astype(np.float32)

# Use tf.data API to shuffle and batch data.
train_data = tf.data.Dataset.from_tensor_slices(x_train)
train_data = train_data.repeat().shuffle(1024, seed=28).batch(batch_size).prefetch(1).with_options(DATA_OPTIONS)

# Noise for the generator; a tf.random.Generator's state is a variable, so graph code draws the next numbers.
noise_generator = tf.random.Generator.from_seed(29)


# Generator Network
# Input: Noise, Output: Image
class Generator(Model):
    # Set layers.
    def __init__(self):
        super(Generator, self).__init__()
        self.fc1 = layers.Dense(2 * 2 * 32)
        self.bn1 = layers.BatchNormalization()
        self.conv2tr1 = layers.Conv2DTranspose(16, 3, strides=2, padding="SAME")
        self.bn2 = layers.BatchNormalization()
        self.conv2tr2 = layers.Conv2DTranspose(1, 3, strides=2, padding="SAME")

    # Set forward pass.
    def call(self, x, is_training=False):
        x = self.fc1(x)
        x = self.bn1(x, training=is_training)
        x = tf.nn.leaky_relu(x)
        # Reshape to a 4-D array of images: (batch, height, width, channels)
        x = tf.reshape(x, shape=[-1, 2, 2, 32])
        x = self.conv2tr1(x)
        x = self.bn2(x, training=is_training)
        x = tf.nn.leaky_relu(x)
        x = self.conv2tr2(x)
        x = tf.nn.tanh(x)
        return x


# Discriminator Network
# Input: Image, Output: Prediction Real/Fake Image
class Discriminator(Model):
    # Set layers.
    def __init__(self):
        super(Discriminator, self).__init__()
        self.conv1 = layers.Conv2D(16, 3, strides=2, padding="SAME")
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(32, 3, strides=2, padding="SAME")
        self.bn2 = layers.BatchNormalization()
        self.flatten = layers.Flatten()
        self.fc1 = layers.Dense(64)
        self.bn3 = layers.BatchNormalization()
        self.fc2 = layers.Dense(2)

    # Set forward pass.
    def call(self, x, is_training=False):
        x = tf.reshape(x, [-1, 8, 8, 1])
        x = self.conv1(x)
        x = self.bn1(x, training=is_training)
        x = tf.nn.leaky_relu(x)
        x = self.conv2(x)
        x = self.bn2(x, training=is_training)
        x = tf.nn.leaky_relu(x)
        x = self.flatten(x)
        x = self.fc1(x)
        x = self.bn3(x, training=is_training)
        x = tf.nn.leaky_relu(x)
        return self.fc2(x)


# Build neural network model.
generator = Generator()
discriminator = Discriminator()


# Losses.
def generator_loss(reconstructed_image):
    gen_loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        logits=reconstructed_image, labels=tf.ones([batch_size], dtype=tf.int32))
    return tf.reduce_mean(gen_loss)


def discriminator_loss(disc_fake, disc_real):
    disc_loss_real = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        logits=disc_real, labels=tf.ones([batch_size], dtype=tf.int32)))
    disc_loss_fake = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        logits=disc_fake, labels=tf.zeros([batch_size], dtype=tf.int32)))
    return disc_loss_real + disc_loss_fake


# Optimizers.
optimizer_gen = tf.optimizers.Adam(learning_rate=lr_generator, beta_1=0.5)
optimizer_disc = tf.optimizers.Adam(learning_rate=lr_discriminator, beta_1=0.5)


# Optimization process. Inputs: real image and noise.
@tf.function
def run_optimization(real_images):
    # Rescale to [-1, 1], the expected value range of the discriminator.
    real_images = real_images * 2. - 1.

    # Generate noise.
    noise = noise_generator.normal([batch_size, noise_dim])

    with tf.GradientTape() as g:
        fake_images = generator(noise, is_training=True)
        disc_fake = discriminator(fake_images, is_training=True)
        disc_real = discriminator(real_images, is_training=True)

        disc_loss = discriminator_loss(disc_fake, disc_real)

    # Training Variables for each optimizer
    gradients_disc = g.gradient(disc_loss, discriminator.trainable_variables)
    optimizer_disc.apply_gradients(zip(gradients_disc, discriminator.trainable_variables))

    # Generate noise.
    noise = noise_generator.normal([batch_size, noise_dim])

    with tf.GradientTape() as g:
        fake_images = generator(noise, is_training=True)
        disc_fake = discriminator(fake_images, is_training=True)

        gen_loss = generator_loss(disc_fake)

    gradients_gen = g.gradient(gen_loss, generator.trainable_variables)
    optimizer_gen.apply_gradients(zip(gradients_gen, generator.trainable_variables))

    return gen_loss, disc_loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    log = []
    start = time.perf_counter()
    # Run training for the given number of steps.
    for step, batch_x in enumerate(train_data.take(training_steps), 1):
        # Run the optimization.
        gen_loss, disc_loss = run_optimization(batch_x)

        if step % display_step == 0:
            log.append([step, float(gen_loss), float(disc_loss)])
    samples = generator(noise_generator.normal([4, noise_dim]), is_training=False)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"log": log, "samples": samples.numpy().ravel().tolist(),
                   "generator_sums": [float(tf.reduce_sum(v)) for v in generator.variables],
                   "discriminator_sums": [float(tf.reduce_sum(v)) for v in discriminator.variables]},
        "trace_counts": {"run_optimization": tracing_count(run_optimization),
                         "Generator.call": tracing_count(generator.call),
                         "Discriminator.call": tracing_count(discriminator.call)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
