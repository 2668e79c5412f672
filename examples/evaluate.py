"""Evaluation helpers: one already right, one that logs from graph code."""

import tensorflow as tf


@tf.function
def accuracy(logits, labels):
    predictions = tf.argmax(logits, axis=-1, output_type=labels.dtype)
    tf.print("batch size", tf.shape(labels)[0])
    return tf.reduce_mean(tf.cast(predictions == labels, tf.float32))


def report(value):
    print(f"accuracy = {value:.3f}")  # eager: fine
