"""A `tf.keras.Model` subclass with its own `call`, trained by a custom loop with Keras metrics.

Written after TF2's "quickstart for experts" tutorial. `train_step` and `test_step` run eagerly:
hybridize-lint should add `@tf.function` to both. It must not add one to `MyModel.call`: the model
creates its weights on its first call, inside `train_step`'s GradientTape, and under Keras 3 a
`tf.function` on `call` would then freeze the initial weights into the graph as constants (no
gradients: "No gradients provided for any variable").
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

EPOCHS = 3
NUM_CLASSES = 4

rng = np.random.RandomState(6)
train_images = rng.uniform(size=(96, 10, 10, 1)).astype(np.float32)
train_labels = np.argmax(train_images.reshape(96, 4, 25).mean(axis=2), axis=1).astype(np.int32)
test_images = rng.uniform(size=(32, 10, 10, 1)).astype(np.float32)
test_labels = np.argmax(test_images.reshape(32, 4, 25).mean(axis=2), axis=1).astype(np.int32)


class MyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = tf.keras.layers.Conv2D(4, 3, activation="relu")
        self.flatten = tf.keras.layers.Flatten()
        self.d1 = tf.keras.layers.Dense(16, activation="relu")
        self.d2 = tf.keras.layers.Dense(NUM_CLASSES)

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


model = MyModel()
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)

train_loss = tf.keras.metrics.Mean(name="train_loss")
train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
test_loss = tf.keras.metrics.Mean(name="test_loss")
test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")


def train_step(images, labels):
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = loss_object(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss(loss)
    train_accuracy(labels, predictions)


def test_step(images, labels):
    predictions = model(images, training=False)
    t_loss = loss_object(labels, predictions)
    test_loss(t_loss)
    test_accuracy(labels, predictions)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    train_ds = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).shuffle(96, seed=6).batch(32)
    test_ds = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(32)
    history = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        for metric in (train_loss, train_accuracy, test_loss, test_accuracy):
            metric.reset_state()
        for images, labels in train_ds:
            train_step(images, labels)
        for images, labels in test_ds:
            test_step(images, labels)
        history.append([float(metric.result()) for metric in (train_loss, train_accuracy, test_loss, test_accuracy)])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"history": history, "weights": [v.numpy().tolist() for v in model.trainable_variables]},
        "trace_counts": {"MyModel.call": tracing_count(model.call), "train_step": tracing_count(train_step),
                         "test_step": tracing_count(test_step)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
