"""A two-layer perceptron as a lazily built Keras `Model` subclass, after aymericdamien's TF2 "neural network" example.

Written the way TensorFlow-Examples v2 writes it: `NeuralNet.call(x, is_training=False)` applies softmax
unless training, `run_optimization(x, y)` runs the forward pass under a `GradientTape` and only then reads
`neural_net.trainable_variables` (the model builds its layers on its first call, inside the tape), small
helpers `cross_entropy_loss` and `accuracy` are called from it and from the display branch, and the
batches come from a repeated, shuffled `tf.data` pipeline. The function worth hybridizing is
`run_optimization`; decorating `NeuralNet.call` instead breaks the program (Keras 3 builds the layers
inside the traced `call`, and the tape then sees no gradients).
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
num_classes = 10
num_features = 64

# Training parameters.
learning_rate = 0.1
training_steps = 200
batch_size = 64
display_step = 50

# Network parameters.
n_hidden_1 = 64
n_hidden_2 = 32

# Synthetic 8x8 "digits": ten prototypes plus noise, intensities in [0, 1].
rng = np.random.RandomState(21)
prototypes = rng.uniform(size=(num_classes, num_features))
y_train = rng.randint(num_classes, size=2048)
x_train = np.clip(prototypes[y_train] + rng.normal(scale=0.4, size=(2048, num_features)), 0, 1).astype(np.float32)
y_test = rng.randint(num_classes, size=512)
x_test = np.clip(prototypes[y_test] + rng.normal(scale=0.4, size=(512, num_features)), 0, 1).astype(np.float32)

# Use tf.data API to shuffle and batch data.
train_data = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_data = train_data.repeat().shuffle(2048, seed=22).batch(batch_size).prefetch(1).with_options(DATA_OPTIONS)


# Create TF Model.
class NeuralNet(Model):
    # Set layers.
    def __init__(self):
        super(NeuralNet, self).__init__()
        # First fully-connected hidden layer.
        self.fc1 = layers.Dense(n_hidden_1, activation=tf.nn.relu)
        # Second fully-connected hidden layer.
        self.fc2 = layers.Dense(n_hidden_2, activation=tf.nn.relu)
        # Final output layer.
        self.out = layers.Dense(num_classes)

    # Set forward pass.
    def call(self, x, is_training=False):
        x = self.fc1(x)
        x = self.fc2(x)
        x = self.out(x)
        if not is_training:
            # tf cross entropy expects logits without softmax, so only apply softmax when not training.
            x = tf.nn.softmax(x)
        return x


# Build neural network model.
neural_net = NeuralNet()


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


# Stochastic gradient descent optimizer.
optimizer = tf.optimizers.SGD(learning_rate)


# Optimization process.
@tf.function
def run_optimization(x, y):
    # Wrap computation inside a GradientTape for automatic differentiation.
    with tf.GradientTape() as g:
        # Forward pass.
        pred = neural_net(x, is_training=True)
        # Compute loss.
        loss = cross_entropy_loss(pred, y)

    # Variables to update, i.e. trainable variables.
    trainable_variables = neural_net.trainable_variables

    # Compute gradients.
    gradients = g.gradient(loss, trainable_variables)

    # Update W and b following gradients.
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
            pred = neural_net(batch_x, is_training=True)
            loss = cross_entropy_loss(pred, batch_y)
            acc = accuracy(pred, batch_y)
            log.append([step, float(loss), float(acc)])
    # Test model on validation set.
    pred = neural_net(x_test, is_training=False)
    test_accuracy = float(accuracy(pred, y_test))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"log": log, "test_accuracy": test_accuracy,
                   "weight_sums": [float(tf.reduce_sum(v)) for v in neural_net.trainable_variables],
                   "last_kernel": neural_net.trainable_variables[-2].numpy().ravel().tolist()},
        "trace_counts": {"run_optimization": tracing_count(run_optimization),
                         "NeuralNet.call": tracing_count(neural_net.call), "accuracy": tracing_count(accuracy),
                         "cross_entropy_loss": tracing_count(cross_entropy_loss)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
