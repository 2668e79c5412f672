"""A small convolutional network on synthetic 16x16 RGB images, after TF2's CNN tutorial (custom loop).

Four classes of images, told apart by which quadrant holds a bright blob. `train_step` takes one Adam step
under a `GradientTape`; `evaluate` returns the loss and accuracy of a batch. Both run eagerly:
hybridize-lint should add `@tf.function` to both.
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

EPOCHS = 3
BATCH_SIZE = 32
NUM_CLASSES = 4
SIZE = 16


def make_images(rng, count):
    labels = rng.randint(NUM_CLASSES, size=count)
    images = rng.uniform(0.0, 0.5, size=(count, SIZE, SIZE, 3))
    for image, label in zip(images, labels):
        row, col = (label // 2) * (SIZE // 2), (label % 2) * (SIZE // 2)
        image[row + 2:row + 6, col + 2:col + 6, rng.randint(3)] += 0.5
    return images.astype(np.float32), labels.astype(np.int32)


rng = np.random.RandomState(13)
train_images, train_labels = make_images(rng, 512)
test_images, test_labels = make_images(rng, 128)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(SIZE, SIZE, 3)),
    tf.keras.layers.Conv2D(8, (3, 3), activation="relu"),
    tf.keras.layers.MaxPooling2D((2, 2)),
    tf.keras.layers.Conv2D(16, (3, 3), activation="relu"),
    tf.keras.layers.MaxPooling2D((2, 2)),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(NUM_CLASSES),
])
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(learning_rate=3e-3)


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        logits = model(images, training=True)
        loss = loss_fn(labels, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


@tf.function
def evaluate(images, labels):
    logits = model(images, training=False)
    loss = loss_fn(labels, logits)
    correct = tf.equal(tf.argmax(logits, axis=1, output_type=tf.int32), labels)
    return loss, tf.reduce_mean(tf.cast(correct, tf.float32))


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    train_ds = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).shuffle(512, seed=14).batch(BATCH_SIZE)
    train_ds = train_ds.with_options(DATA_OPTIONS)
    x_test, y_test = tf.constant(test_images), tf.constant(test_labels)
    history = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        losses = [train_step(images, labels) for images, labels in train_ds]
        test_loss, test_accuracy = evaluate(x_test, y_test)
        history.append([float(tf.reduce_mean(losses)), float(test_loss), float(test_accuracy)])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"history": history, "weight_sums": [float(tf.reduce_sum(v)) for v in model.trainable_variables],
                   "last_kernel": model.trainable_variables[-2].numpy().ravel().tolist()},
        "trace_counts": {"train_step": tracing_count(train_step), "evaluate": tracing_count(evaluate)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
