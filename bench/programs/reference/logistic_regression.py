"""Multinomial logistic regression (softmax regression) on synthetic 8x8 "digits", written with raw variables.

After the classic TF2 "logistic regression" example: weights and biases are `tf.Variable`s, `logits`,
`cross_entropy` and `accuracy` are small functions of tensors, and `run_optimization` takes one step of
Keras SGD under a `GradientTape`. Everything runs eagerly: hybridize-lint should add `@tf.function` to
`run_optimization` and `accuracy` (and may to the helpers they call).
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

NUM_CLASSES = 10
NUM_FEATURES = 64
TRAINING_STEPS = 300
BATCH_SIZE = 64
DISPLAY_STEP = 50

# Ten class prototypes; each example is a noisy prototype, scaled to [0, 1] like pixel intensities.
rng = np.random.RandomState(11)
prototypes = rng.uniform(size=(NUM_CLASSES, NUM_FEATURES))
train_labels = rng.randint(NUM_CLASSES, size=2048)
train_images = np.clip(prototypes[train_labels] + rng.normal(scale=0.35, size=(2048, NUM_FEATURES)), 0, 1)
test_labels = rng.randint(NUM_CLASSES, size=512)
test_images = np.clip(prototypes[test_labels] + rng.normal(scale=0.35, size=(512, NUM_FEATURES)), 0, 1)
train_images, test_images = train_images.astype(np.float32), test_images.astype(np.float32)
train_labels, test_labels = train_labels.astype(np.int64), test_labels.astype(np.int64)

W = tf.Variable(tf.ones([NUM_FEATURES, NUM_CLASSES]) * 0.01, name="weight")
b = tf.Variable(tf.zeros([NUM_CLASSES]), name="bias")
optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)


def logistic_regression(x):
    return tf.nn.softmax(tf.matmul(x, W) + b)


def cross_entropy(y_pred, y_true):
    y_true = tf.one_hot(y_true, depth=NUM_CLASSES)
    y_pred = tf.clip_by_value(y_pred, 1e-9, 1.0)
    return tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(y_pred), axis=1))


@tf.function
def accuracy(y_pred, y_true):
    correct_prediction = tf.equal(tf.argmax(y_pred, 1), tf.cast(y_true, tf.int64))
    return tf.reduce_mean(tf.cast(correct_prediction, tf.float32))


@tf.function
def run_optimization(x, y):
    with tf.GradientTape() as g:
        pred = logistic_regression(x)
        loss = cross_entropy(pred, y)
    gradients = g.gradient(loss, [W, b])
    optimizer.apply_gradients(zip(gradients, [W, b]))
    return loss


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    train_data = tf.data.Dataset.from_tensor_slices((train_images, train_labels))
    train_data = train_data.repeat().shuffle(2048, seed=12).batch(BATCH_SIZE).prefetch(1)
    train_data = train_data.with_options(DATA_OPTIONS)
    x_test, y_test = tf.constant(test_images), tf.constant(test_labels)
    log = []
    start = time.perf_counter()
    for step, (batch_x, batch_y) in enumerate(train_data.take(TRAINING_STEPS), 1):
        loss = run_optimization(batch_x, batch_y)
        if step % DISPLAY_STEP == 0:
            acc = accuracy(logistic_regression(batch_x), batch_y)
            log.append([step, float(loss), float(acc)])
    test_accuracy = accuracy(logistic_regression(x_test), y_test)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"log": log, "test_accuracy": float(test_accuracy),
                   "W_sum": float(tf.reduce_sum(W)), "W": W.numpy().ravel().tolist(), "b": b.numpy().tolist()},
        "trace_counts": {"run_optimization": tracing_count(run_optimization), "accuracy": tracing_count(accuracy)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
