"""A Keras `Model` subclass trained by a custom loop with metric objects, after tensorflow.org's "TensorFlow 2 quickstart for experts".

The tutorial's layout: `MyModel(Model)` with a convolution, `Flatten` and two `Dense` layers (built on
its first call, inside the tape), module-level loss, optimizer and `Mean`/`SparseCategoricalAccuracy`
metrics, `train_step(images, labels)` and `test_step(images, labels)` at module level, called per batch
of shuffled `tf.data` datasets. The tutorial itself decorates both steps with `@tf.function`; here they
are written eagerly. Synthetic 12x12 "images": each class has its own bright stripe.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.keras import Model  # noqa: E402
from tensorflow.keras.layers import Conv2D, Dense, Flatten  # noqa: E402

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
# Grappler's arithmetic optimizer rewrites graph arithmetic into forms that round differently from the
# eager ops, so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})
# tf.data's autotuner makes deleting an iterator (at the end of every epoch) wait for the autotuner's next
# wake-up (doubling intervals after the pipeline starts): in loops this short, that stall would dominate.
DATA_OPTIONS = tf.data.Options()
DATA_OPTIONS.autotune.enabled = False

EPOCHS = 3
SIZE = 12

rng = np.random.RandomState(23)


def make_images(count):
    labels = rng.randint(10, size=count)
    images = rng.uniform(0.0, 0.6, size=(count, SIZE, SIZE))
    for image, label in zip(images, labels):
        image[label + 1, :] += 0.4 if label % 2 else 0.0
        image[:, label + 1] += 0.0 if label % 2 else 0.4
    return images[..., np.newaxis].astype("float32"), labels.astype("int64")


x_train, y_train = make_images(640)
x_test, y_test = make_images(128)

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(640, seed=24).batch(32)
train_ds = train_ds.with_options(DATA_OPTIONS)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(32).with_options(DATA_OPTIONS)


class MyModel(Model):
    def __init__(self):
        super().__init__()
        self.conv1 = Conv2D(8, 3, activation="relu")
        self.flatten = Flatten()
        self.d1 = Dense(32, activation="relu")
        self.d2 = Dense(10)

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


# Create an instance of the model
model = MyModel()

loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam()

train_loss = tf.keras.metrics.Mean(name="train_loss")
train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
test_loss = tf.keras.metrics.Mean(name="test_loss")
test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        # training=True is only needed if there are layers with different
        # behavior during training versus inference (e.g. Dropout).
        predictions = model(images, training=True)
        loss = loss_object(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))

    train_loss(loss)
    train_accuracy(labels, predictions)


@tf.function
def test_step(images, labels):
    # training=False is only needed if there are layers with different
    # behavior during training versus inference (e.g. Dropout).
    predictions = model(images, training=False)
    t_loss = loss_object(labels, predictions)

    test_loss(t_loss)
    test_accuracy(labels, predictions)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    history = []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        # Reset the metrics at the start of the next epoch
        train_loss.reset_state()
        train_accuracy.reset_state()
        test_loss.reset_state()
        test_accuracy.reset_state()

        for images, labels in train_ds:
            train_step(images, labels)

        for test_images, test_labels in test_ds:
            test_step(test_images, test_labels)

        history.append([float(train_loss.result()), float(train_accuracy.result()),
                        float(test_loss.result()), float(test_accuracy.result())])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"history": history, "weight_sums": [float(tf.reduce_sum(v)) for v in model.trainable_variables],
                   "last_kernel": model.trainable_variables[-2].numpy().ravel().tolist()},
        "trace_counts": {"train_step": tracing_count(train_step), "test_step": tracing_count(test_step),
                         "MyModel.call": tracing_count(model.call)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
