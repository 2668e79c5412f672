"""Preprocessing helpers: one that should be a graph, one that should not."""

import tensorflow as tf


def standardize(images):
    """Runs eagerly op by op; hybridize-lint proposes @tf.function (HYB301)."""
    mean = tf.reduce_mean(images, axis=0)
    std = tf.math.reduce_std(images, axis=0)
    return (images - mean) / (std + 1e-6)


@tf.function
def learning_rate(epoch):
    """Pure Python arithmetic: tracing only adds overhead (HYB401)."""
    return 0.1 * 0.9 ** epoch


features = tf.random.uniform((128, 8))
standardize(features)
for epoch in range(3):
    learning_rate(epoch)
