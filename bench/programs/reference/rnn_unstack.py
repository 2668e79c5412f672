"""A hand-written RNN over time steps with `tf.unstack`, raw variables in dicts, and a drop-remainder `tf.data` loop.

In the style of the TF1-era "recurrent network" examples ported to TF2 (aymericdamien's raw examples,
many course notebooks): `weights` and `biases` are dicts of module-level `tf.Variable`s, `rnn_cell(x_t, h)`
is one step of an Elman cell, `rnn(x)` unstacks the batch along time and runs the cell over the 20 steps,
`loss_fn` and `accuracy` are small helpers, `train_step(x, y)` takes one RMSprop step under a tape, and the
epochs loop over `dataset.batch(64, drop_remainder=True)`. The task: tell whether a noisy sequence's running
sum ends positive.
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
# wake-up (doubling intervals after the pipeline starts): in loops this short, that stall would dominate.
DATA_OPTIONS = tf.data.Options()
DATA_OPTIONS.autotune.enabled = False

timesteps = 20
num_input = 2
num_hidden = 32
num_classes = 2
batch_size = 64
epochs = 6

rng = np.random.RandomState(31)
x_data = rng.normal(size=(1024, timesteps, num_input)).astype(np.float32)
y_data = (x_data[:, :, 0].sum(axis=1) + 0.5 * x_data[:, -5:, 1].sum(axis=1) > 0).astype(np.int32)

weights = {
    "input": tf.Variable(tf.random.stateless_normal([num_input, num_hidden], seed=[1, 1], stddev=0.3)),
    "hidden": tf.Variable(tf.random.stateless_normal([num_hidden, num_hidden], seed=[2, 2], stddev=0.1)),
    "out": tf.Variable(tf.random.stateless_normal([num_hidden, num_classes], seed=[3, 3], stddev=0.3)),
}
biases = {
    "hidden": tf.Variable(tf.zeros([num_hidden])),
    "out": tf.Variable(tf.zeros([num_classes])),
}
optimizer = tf.keras.optimizers.RMSprop(learning_rate=0.005)


def rnn_cell(x_t, h):
    return tf.tanh(tf.matmul(x_t, weights["input"]) + tf.matmul(h, weights["hidden"]) + biases["hidden"])


def rnn(x):
    # Unstack to get a list of 'timesteps' tensors of shape (batch_size, num_input).
    inputs = tf.unstack(x, timesteps, 1)
    h = tf.zeros([x.shape[0], num_hidden])
    for x_t in inputs:
        h = rnn_cell(x_t, h)
    # Linear activation, using the last hidden state.
    return tf.matmul(h, weights["out"]) + biases["out"]


def loss_fn(logits, labels):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def accuracy(logits, labels):
    correct = tf.equal(tf.argmax(logits, 1, output_type=tf.int32), labels)
    return tf.reduce_mean(tf.cast(correct, tf.float32))


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = rnn(x)
        loss = loss_fn(logits, y)
    variables = list(weights.values()) + list(biases.values())
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss, accuracy(logits, y)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    dataset = tf.data.Dataset.from_tensor_slices((x_data, y_data)).shuffle(1024, seed=32)
    dataset = dataset.batch(batch_size, drop_remainder=True).with_options(DATA_OPTIONS)
    history = []
    start = time.perf_counter()
    for epoch in range(epochs):
        losses, accuracies = [], []
        for x, y in dataset:
            loss, acc = train_step(x, y)
            losses.append(float(loss))
            accuracies.append(float(acc))
        history.append([sum(losses) / len(losses), sum(accuracies) / len(accuracies)])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"history": history, "weights": {name: float(tf.reduce_sum(v)) for name, v in weights.items()},
                   "out": weights["out"].numpy().ravel().tolist(), "biases": biases["out"].numpy().tolist()},
        "trace_counts": {"train_step": tracing_count(train_step), "rnn": tracing_count(rnn)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
