"""corpus3 (keras-cv-attention-models visualizing/visualize_filters.py:9, HYB302): the filter-visualizing
loop makes a new `image_var = [tf.Variable(image)]` on every iteration and passes it, with the optimizer,
to __gradient_ascent_step__. What happens when that step is a tf.function (as in the Keras tutorial it
was ported from, where the image variable is made once)? It fails: `zip(grads * -1, image_var)` iterates
over a tensor (l2_normalize turned the gradient list into one), fine eagerly, not allowed in a graph.
(Keras 3's optimizers refuse new variables even eagerly, so a plain SGD with tf.keras 2's
apply_gradients(pairs) behaviour stands in for the package's tf.keras optimizer.)"""
import time

import numpy as np
import tensorflow as tf


def gradient_ascent_step(feature_extractor, image_var, filter_index, optimizer):
    with tf.GradientTape() as tape:
        tape.watch(image_var)
        activation = feature_extractor(tf.expand_dims(image_var[0], 0))
        loss = tf.reduce_mean(activation[..., filter_index])
    grads = tf.math.l2_normalize(tape.gradient(loss, image_var))
    optimizer.apply_gradients(zip(grads * -1, image_var))
    return loss, image_var


inputs = tf.keras.Input((64, 64, 3))
x = inputs
for _ in range(4):
    x = tf.keras.layers.Conv2D(16, 3, activation="relu")(x)
extractor = tf.keras.Model(inputs, x)

class SGD:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def apply_gradients(self, pairs):
        for grad, var in pairs:
            var.assign_sub(self.learning_rate * grad)


for name, step in (("eager", gradient_ascent_step), ("tf.function", tf.function(gradient_ascent_step))):
    optimizer = SGD(10.0)
    image = np.random.uniform(0.4, 0.6, (64, 64, 3)).astype("float32")
    try:
        start = time.perf_counter()
        for filter_index in (0, 1):
            for _ in range(20):
                image_var = [tf.Variable(image)]  # a new variable per iteration, as the package does
                loss, image_var = step(extractor, image_var, filter_index, optimizer)
                image = image_var[0].numpy()
        traces = step.experimental_get_tracing_count() if hasattr(step, "experimental_get_tracing_count") else "-"
        print(f"{name}: {(time.perf_counter() - start) / 40 * 1e3:.1f} ms per step, traces={traces}")
    except Exception as error:  # noqa: BLE001
        print(f"{name}: {type(error).__name__}: {[l for l in str(error).splitlines() if l.strip()][-1].strip()[:200]}")
