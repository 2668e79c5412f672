"""corpus3 (xagents trpo/agent.py:63/202, HYB302): TRPO.train_step (a tf.function) runs
update_actor_weights through tf.numpy_function; that body runs eagerly, calling calculate_losses and
flat_to_weights in a Python line-search loop on every training step. A tf.function called there runs as
a graph (works, and is faster than the eager ops)."""
import time

import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="tanh"), tf.keras.layers.Dense(4)])
model.build((None, 8))
states = tf.random.normal([256, 8])


def calculate_losses(states):
    logits = model(states)
    old = tf.stop_gradient(logits)
    ratio = tf.exp(tf.nn.log_softmax(logits) - tf.nn.log_softmax(old))
    return tf.reduce_mean(ratio), tf.reduce_mean(tf.reduce_sum(tf.nn.softmax(old) * (tf.nn.log_softmax(old) - tf.nn.log_softmax(logits)), -1))


graph_losses = tf.function(calculate_losses)


def line_search(losses_fn):
    def update(_):
        for _ in range(10):
            surrogate, kl = losses_fn(states)
            if not np.isfinite([surrogate, kl]).all():
                break
        return np.float32(0)
    return update


for name, fn in (("eager helper", calculate_losses), ("tf.function helper", graph_losses)):
    @tf.function
    def train_step():
        return tf.numpy_function(line_search(fn), [tf.constant(0.0)], tf.float32)

    train_step()
    start = time.perf_counter()
    for _ in range(20):
        train_step()
    print(f"{name}: {(time.perf_counter() - start) / 20 * 1000:.2f} ms per train_step")
