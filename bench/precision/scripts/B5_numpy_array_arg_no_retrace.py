"""Shows that passing a NumPy array built with np.zeros_like(<EagerTensor>) and then edited
in place (the vdp package's targeted-attack loop, VDP/layers.py:780 and :1041) to a
tf.function does NOT retrace per call: NumPy arrays are converted to tensors and traced by
shape/dtype, not by value.

Prints the number of traces after 20 calls with different array contents (expected: 1),
and, for contrast, the count for a genuine Python list of Python floats (expected: 20).
"""
import numpy as np
import tensorflow as tf

traces = {"n": 0}


@tf.function
def create_adversarial_pattern(input_image, input_label):
    traces["n"] += 1
    with tf.GradientTape() as tape:
        tape.watch(input_image)
        loss = tf.reduce_sum(input_image) * tf.reduce_sum(tf.cast(input_label, tf.float32))
    return tf.sign(tape.gradient(loss, input_image))


x = tf.random.uniform([4, 8, 8, 3])
y = tf.one_hot([1, 2, 3, 4], depth=10)
for target_cls in range(20):
    y_true_batch = np.zeros_like(y)          # same as the package
    y_true_batch[:, target_cls % 10] = 1.0
    create_adversarial_pattern(x, y_true_batch)
print("type of y_true_batch:", type(y_true_batch).__name__, y_true_batch.dtype)
print("traces with NumPy label arrays, 20 calls:", traces["n"])

traces["n"] = 0


@tf.function
def f(x, label):
    traces["n"] += 1
    return x * label[0]


for i in range(20):
    f(x, [float(i), 1.0])
print("traces with Python lists of floats, 20 calls:", traces["n"])
