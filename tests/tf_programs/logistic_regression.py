"""Binary logistic regression trained with a Keras optimizer and a GradientTape training step.

`loss_fn`, `train_step` and `accuracy` run eagerly: hybridize-lint should add `@tf.function` to each.
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

EPOCHS = 15

rng = np.random.RandomState(1)
features = rng.normal(size=(300, 4)).astype(np.float32)
true_logits = features @ np.array([[1.5], [-2.0], [0.7], [0.0]], dtype=np.float32) + 0.3
labels = (true_logits + rng.normal(scale=0.5, size=(300, 1)) > 0).astype(np.float32)

w = tf.Variable(tf.zeros((4, 1)), name="w")
b = tf.Variable(tf.zeros((1,)), name="b")
optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)


def loss_fn(labels, logits):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))


def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = tf.matmul(x, w) + b
        loss = loss_fn(y, logits)
    gradients = tape.gradient(loss, [w, b])
    optimizer.apply_gradients(zip(gradients, [w, b]))
    return loss


def accuracy(x, y):
    predictions = tf.cast(tf.matmul(x, w) + b > 0.0, tf.float32)
    return tf.reduce_mean(tf.cast(tf.equal(predictions, y), tf.float32))


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(300, seed=7).batch(50)
    all_x, all_y = tf.constant(features), tf.constant(labels)
    losses, accuracies = [], []
    start = time.perf_counter()
    for epoch in range(EPOCHS):
        for x, y in dataset:
            losses.append(float(train_step(x, y)))
        accuracies.append(float(accuracy(all_x, all_y)))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"losses": losses, "accuracies": accuracies, "w": w.numpy().tolist(), "b": b.numpy().tolist()},
        "trace_counts": {name: tracing_count(function) for name, function in
                         [("loss_fn", loss_fn), ("train_step", train_step), ("accuracy", accuracy)]},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
