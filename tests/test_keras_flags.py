"""A Keras flag Keras reads only while it builds or traces (``trainable``), written in graph code: the write
configures the trace it runs in, and no ``tf.Variable`` could hold it, so HYB104 has nothing to say (vdp's
four ``cnn_model.trainable = ...`` lines in its tf.function steps, all labelled no-value). Checked with
TF 2.21 on two GAN steps that toggle ``disc.trainable``, with eager flips between calls: graphs and eager
train the same weights."""

from __future__ import annotations

from project_helpers import lint

GAN_STEPS = """
import tensorflow as tf

gen = tf.keras.Sequential([tf.keras.layers.Dense(4)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.SGD(0.05)


@tf.function
def g_step(z):
    disc.FLAG = False
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(disc(gen(z)))
    variables = gen.trainable_variables + disc.trainable_variables
    opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


for step in range(10):
    g_step(tf.random.normal([8, 2]))
"""


def test_setting_trainable_in_a_step_is_no_side_effect(tmp_path):
    assert lint(tmp_path, {"gan.py": GAN_STEPS.replace("FLAG", "trainable")}) == set()


def test_another_flag_set_in_a_step_is_still_reported(tmp_path):
    # `frozen` is the project's own: eager code may read it between calls, and the graph never sets it again.
    found = lint(tmp_path, {"gan.py": GAN_STEPS.replace("FLAG", "frozen")})
    assert found == {("gan.py", 10, "HYB104")}

