"""An LSTM classifier as a lazily built Keras `Model` subclass, after aymericdamien's TF2 "recurrent network" example.

Written the way TensorFlow-Examples v2 writes it: `LSTM(Model)` wraps a Keras `layers.LSTM` and a
`Dense` read-out, `call(x, is_training=False)` applies softmax unless training, `run_optimization(x, y)`
reads `lstm_net.trainable_variables` after the forward pass, helpers `cross_entropy_loss` and `accuracy`
serve it and the display branch. Each synthetic sequence (16 steps of 4 features) belongs to the class
of the sinusoid hidden in its first feature.
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

# Dataset parameters.
num_classes = 4
num_input = 4  # features per time step
timesteps = 16

# Training parameters.
learning_rate = 0.01
training_steps = 60
batch_size = 32
display_step = 10

# Network parameters.
num_units = 16  # number of neurons for the LSTM layer

# Synthetic sequences: class k hides a sinusoid of frequency (k + 1) / 8 in the first feature.
rng = np.random.RandomState(25)
y_train = rng.randint(num_classes, size=1024)
steps = np.arange(timesteps)[None, :]
phase = rng.uniform(0, 2 * np.pi, size=(1024, 1))
x_train = rng.normal(scale=0.3, size=(1024, timesteps, num_input))
x_train[:, :, 0] += np.sin((y_train[:, None] + 1) * np.pi / 8 * steps + phase)
x_train = x_train.astype(np.float32)
x_test, y_test = x_train[896:], y_train[896:]
x_train, y_train = x_train[:896], y_train[:896]

# Use tf.data API to shuffle and batch data.
train_data = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_data = train_data.repeat().shuffle(896, seed=26).batch(batch_size).prefetch(1).with_options(DATA_OPTIONS)


# Create LSTM Model.
class LSTM(Model):
    # Set layers.
    def __init__(self):
        super(LSTM, self).__init__()
        # RNN (LSTM) hidden layer, unrolled over the 16 time steps: with a symbolic loop, the graph's
        # gradient would sum over time steps in another order than the eager tape, in the last bits.
        self.lstm_layer = layers.LSTM(units=num_units, unroll=True)
        self.out = layers.Dense(num_classes)

    # Set forward pass.
    def call(self, x, is_training=False):
        # LSTM layer.
        x = self.lstm_layer(x)
        # Output layer (num_classes).
        x = self.out(x)
        if not is_training:
            # tf cross entropy expect logits without softmax, so only
            # apply softmax when not training.
            x = tf.nn.softmax(x)
        return x


# Build LSTM model.
lstm_net = LSTM()


# Cross-Entropy Loss.
# Note that this will apply 'softmax' to the logits.
def cross_entropy_loss(x, y):
    # Convert labels to int 64 for tf cross-entropy function.
    y = tf.cast(y, tf.int64)
    # Apply softmax to logits and compute cross-entropy.
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)
    # Average loss across the batch.
    return tf.reduce_mean(loss)


# Accuracy metric.
def accuracy(y_pred, y_true):
    # Predicted class is the index of highest score in prediction vector (i.e. argmax).
    correct_prediction = tf.equal(tf.argmax(y_pred, 1), tf.cast(y_true, tf.int64))
    return tf.reduce_mean(tf.cast(correct_prediction, tf.float32), axis=-1)


# Adam optimizer.
optimizer = tf.optimizers.Adam(learning_rate)


# Optimization process.
def run_optimization(x, y):
    # Wrap computation inside a GradientTape for automatic differentiation.
    with tf.GradientTape() as g:
        # Forward pass.
        pred = lstm_net(x, is_training=True)
        # Compute loss.
        loss = cross_entropy_loss(pred, y)

    # Variables to update, i.e. trainable variables.
    trainable_variables = lstm_net.trainable_variables

    # Compute gradients.
    gradients = g.gradient(loss, trainable_variables)

    # Update weights following gradients.
    optimizer.apply_gradients(zip(gradients, trainable_variables))


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    log = []
    start = time.perf_counter()
    # Run training for the given number of steps.
    for step, (batch_x, batch_y) in enumerate(train_data.take(training_steps), 1):
        # Run the optimization to update W and b values.
        run_optimization(batch_x, batch_y)

        if step % display_step == 0:
            pred = lstm_net(batch_x, is_training=True)
            loss = cross_entropy_loss(pred, batch_y)
            acc = accuracy(pred, batch_y)
            log.append([step, float(loss), float(acc)])
    test_accuracy = float(accuracy(lstm_net(x_test), y_test))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"log": log, "test_accuracy": test_accuracy,
                   "weight_sums": [float(tf.reduce_sum(v)) for v in lstm_net.trainable_variables]},
        "trace_counts": {"run_optimization": tracing_count(run_optimization),
                         "LSTM.call": tracing_count(lstm_net.call), "accuracy": tracing_count(accuracy),
                         "cross_entropy_loss": tracing_count(cross_entropy_loss)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
