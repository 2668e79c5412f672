"""Two tf.functions toggle `disc.trainable` (GAN style) and read trainable_variables in the same trace;
eager code also flips the flag between calls. Compare weights after graph and eager runs."""
import numpy as np
import tensorflow as tf


def run(eager):
    tf.config.run_functions_eagerly(eager)
    tf.keras.utils.set_random_seed(0)
    gen = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(4)])
    disc = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    opt_g, opt_d = tf.keras.optimizers.SGD(0.05), tf.keras.optimizers.SGD(0.05)

    @tf.function
    def d_step(real, z):
        disc.trainable = True
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(disc(gen(z))) - tf.reduce_mean(disc(real))
        vs = disc.trainable_variables
        opt_d.apply_gradients(zip(tape.gradient(loss, vs), vs))
        return loss

    @tf.function
    def g_step(z):
        disc.trainable = False
        with tf.GradientTape() as tape:
            loss = -tf.reduce_mean(disc(gen(z)))
        vs = gen.trainable_variables + disc.trainable_variables
        opt_g.apply_gradients(zip(tape.gradient(loss, vs), vs))
        return loss

    rng = np.random.default_rng(1)
    for step in range(6):
        d_step(tf.constant(rng.normal(size=(8, 4)), tf.float32), tf.constant(rng.normal(size=(8, 2)), tf.float32))
        g_step(tf.constant(rng.normal(size=(8, 2)), tf.float32))
        disc.trainable = step % 2 == 0  # eager code flipping it between calls
    tf.config.run_functions_eagerly(False)
    return [w.numpy() for w in gen.weights + disc.weights]


g, e = run(False), run(True)
print("identical:", all(np.allclose(a, b) for a, b in zip(g, e)))
