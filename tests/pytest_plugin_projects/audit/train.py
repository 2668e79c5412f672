"""Sample project for the pytest plugin's audit tests: tf.functions that retrace and have trace-time effects."""

import logging

import tensorflow as tf

history = []
calls = 0


@tf.function
def scale(x, k):
    return x * k


@tf.function
def noisy_step(x):
    global calls
    print("tracing noisy_step")  # marker: print
    history.append(x)  # marker: append
    calls += 1  # marker: global
    logging.getLogger("train").info("step")  # marker: logging
    return x + 1.0


def log_value(x):
    print("value", x)  # marker: helper print


@tf.function
def outer(x):
    log_value(x)  # marker: helper call
    return x * 2.0


@tf.function(autograph=False)
def unconverted(x):
    print("tracing unconverted")  # marker: unconverted print
    return x * 3.0


@tf.function
def eager_print(x):
    tf.py_function(lambda t: print("every call", t), [x], [])
    return x


class Regressor(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)


model = Regressor()
optimizer = tf.keras.optimizers.SGD(0.01)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


def fit(features, targets, batch_size):
    dataset = tf.data.Dataset.from_tensor_slices((features, targets)).batch(batch_size)
    losses = []
    for x, y in dataset:
        losses.append(train_step(x, y))  # marker: train call
    return losses
