"""vdp VDP/layers.py:502/516/524/531 set `cnn_model.trainable = True/False` inside four
@tf.function closures (train/validation/test/adversarial). The write runs once per trace, but
each function sets the flag in its own trace before the only reader in that trace
(`cnn_model.trainable_weights` in train_on_batch; the others never read it), and the training loop
reads the flag nowhere else between calls (it sets it eagerly itself before the attack loops).

This mimics the epoch loop (train batches, then validation batches, 3 epochs) and runs it as
graphs and eagerly. Prints the traced count of each function and whether the trained weights are
identical between graph and eager runs (expected: 1 1 / True).
"""
import numpy as np
import tensorflow as tf


def run(eager):
    tf.config.run_functions_eagerly(eager)
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(8), tf.keras.layers.Dense(2)])
    opt = tf.keras.optimizers.SGD(0.05)
    traces = {"train": 0, "val": 0}

    @tf.function
    def train_on_batch(x, y):
        traces["train"] += 1
        with tf.GradientTape() as tape:
            out = model(x, training=True)
            model.trainable = True
            loss = tf.reduce_mean((out - y) ** 2)
        grads = tape.gradient(loss, model.trainable_weights)
        opt.apply_gradients(zip(grads, model.trainable_weights))
        return loss

    @tf.function
    def validation_on_batch(x, y):
        traces["val"] += 1
        out = model(x, training=False)
        model.trainable = False
        return tf.reduce_mean((out - y) ** 2)

    rng = np.random.default_rng(1)
    xs = rng.normal(size=(6, 16, 4)).astype(np.float32)
    ys = rng.normal(size=(6, 16, 2)).astype(np.float32)
    for epoch in range(3):
        for i in range(4):
            train_on_batch(tf.constant(xs[i]), tf.constant(ys[i]))
        for i in range(4, 6):
            validation_on_batch(tf.constant(xs[i]), tf.constant(ys[i]))
    tf.config.run_functions_eagerly(False)
    return [w.numpy() for w in model.weights], traces


wg, tr = run(False)
we, _ = run(True)
print("graph traces train/val:", tr["train"], tr["val"])
print("graph and eager weights identical:", all(np.allclose(a, b) for a, b in zip(wg, we)))
