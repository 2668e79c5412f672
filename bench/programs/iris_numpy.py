"""A classifier fed NumPy batches, after tensorflow.org's "Custom training: walkthrough" (the iris example).

The walkthrough's functions: `loss(model, x, y, training)` and `grad(model, inputs, targets)`, which
returns the loss and the gradients from a `GradientTape`; the loop applies the gradients, updates a
`Mean` and a `SparseCategoricalAccuracy` metric, and keeps the epoch's loss and accuracy. As many users
do, the batches are slices of NumPy arrays (one shape every step), passed as they are, without
`tf.constant`. Synthetic "flowers": three classes of four measurements.
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

BATCH_SIZE = 32
NUM_EPOCHS = 6

# Three classes around their own centres, four measurements each (float32, as `astype("float32")` gives).
rng = np.random.RandomState(30)
centres = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])
labels = rng.randint(3, size=960)
features = (centres[labels] + rng.normal(scale=0.45, size=(960, 4))).astype("float32")
labels = labels.astype("int32")

model = tf.keras.Sequential([
    tf.keras.Input(shape=(4,)),
    tf.keras.layers.Dense(10, activation=tf.nn.relu),
    tf.keras.layers.Dense(10, activation=tf.nn.relu),
    tf.keras.layers.Dense(3),
])

loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)


def loss(model, x, y, training):
    # training=training is needed only if there are layers with different
    # behavior during training versus inference (e.g. Dropout).
    y_ = model(x, training=training)

    return loss_object(y_true=y, y_pred=y_)


def grad(model, inputs, targets):
    with tf.GradientTape() as tape:
        loss_value = loss(model, inputs, targets, training=True)
    return loss_value, tape.gradient(loss_value, model.trainable_variables)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    train_loss_results = []
    train_accuracy_results = []
    start = time.perf_counter()
    for epoch in range(NUM_EPOCHS):
        epoch_loss_avg = tf.keras.metrics.Mean()
        epoch_accuracy = tf.keras.metrics.SparseCategoricalAccuracy()

        # Training loop - using batches of 32
        for i in range(0, len(features), BATCH_SIZE):
            x, y = features[i:i + BATCH_SIZE], labels[i:i + BATCH_SIZE]
            # Optimize the model
            loss_value, grads = grad(model, x, y)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))

            # Track progress
            epoch_loss_avg.update_state(loss_value)  # Add current batch loss
            # Compare predicted label to actual label
            # training=True is needed only if there are layers with different
            # behavior during training versus inference (e.g. Dropout).
            epoch_accuracy.update_state(y, model(x, training=True))

        # End epoch
        train_loss_results.append(float(epoch_loss_avg.result()))
        train_accuracy_results.append(float(epoch_accuracy.result()))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"losses": train_loss_results, "accuracies": train_accuracy_results,
                   "weights": [v.numpy().ravel().tolist() for v in model.trainable_variables]},
        "trace_counts": {"grad": tracing_count(grad), "loss": tracing_count(loss)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
