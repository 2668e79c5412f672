"""A multilayer perceptron (Keras layers) trained with a custom GradientTape loop over a tf.data.Dataset.

`train_step` runs eagerly: hybridize-lint should add `@tf.function` to it. `test_step` is already a
`tf.function`, written with two mistakes that hybridize-lint fixes: the deprecated
`experimental_relax_shapes` (HYB204, renamed to `reduce_retracing`) and a `print` that runs only while
tracing (HYB101, turned into `tf.print`, which prints to stderr on every call).
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

EPOCHS = 5
NUM_CLASSES = 3

rng = np.random.RandomState(2)
features = rng.normal(size=(200, 8)).astype(np.float32)
labels = np.argmax(features @ rng.normal(size=(8, NUM_CLASSES)), axis=1).astype(np.int32)
test_features = rng.normal(size=(64, 8)).astype(np.float32)
test_labels = np.argmax(test_features @ rng.normal(size=(8, NUM_CLASSES)), axis=1).astype(np.int32)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(8,)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(NUM_CLASSES),
])
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)


def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = loss_object(y, logits)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


@tf.function(experimental_relax_shapes=True)
def test_step(x, y):
    logits = model(x, training=False)
    loss = loss_object(y, logits)
    print("test loss:", loss)
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    train_ds = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(200, seed=3).batch(32)
    test_ds = tf.data.Dataset.from_tensor_slices((test_features, test_labels)).batch(32)
    losses, test_losses = [], []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        for x, y in train_ds:
            losses.append(float(train_step(x, y)))
        for x, y in test_ds:
            test_losses.append(float(test_step(x, y)))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {
            "losses": losses,
            "test_losses": test_losses,
            "weights": [v.numpy().tolist() for v in model.trainable_variables],
        },
        "trace_counts": {"train_step": tracing_count(train_step), "test_step": tracing_count(test_step)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
