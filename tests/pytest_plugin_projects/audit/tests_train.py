import tensorflow as tf

import train


def test_python_ints():
    for k in range(4):
        train.scale(tf.constant(2.0), k)  # marker: int call


def test_floats_and_shapes():
    train.scale(tf.constant(2.0), 0.5)  # marker: float call
    train.scale(tf.constant([1.0, 2.0]), 0.5)  # marker: shape call


def test_effects():
    train.noisy_step(tf.constant(1.0))
    train.noisy_step(tf.constant(2.0))
    train.outer(tf.constant(1.0))
    train.eager_print(tf.constant(1.0))
    train.unconverted(tf.constant(1.0))
    assert train.calls == 1


def test_keras_custom_loop():
    features = tf.random.normal((10, 3), seed=1)
    targets = tf.random.normal((10, 1), seed=2)
    losses = train.fit(features, targets, batch_size=4)
    assert len(losses) == 3


def test_run_eagerly():
    tf.config.run_functions_eagerly(True)
    try:
        assert float(train.scale(tf.constant(2.0), 100)) == 200.0
    finally:
        tf.config.run_functions_eagerly(False)
