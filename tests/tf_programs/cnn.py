"""A small convolutional network on synthetic 8x8 images, trained with a custom GradientTape loop.

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

rng = np.random.RandomState(3)
images = rng.uniform(size=(96, 8, 8, 1)).astype(np.float32)
# Class 1 when the top half of the image is brighter than the bottom half.
labels = (images[:, :4].mean(axis=(1, 2, 3)) > images[:, 4:].mean(axis=(1, 2, 3))).astype(np.int32)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(8, 8, 1)),
    tf.keras.layers.Conv2D(4, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(2),
])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)


def train_step(images, labels):
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = loss_object(labels, logits)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(96, seed=4).batch(16)
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
