"""cleverhans-style attack loop (tf2/utils.py clip_eta / optimize_linear beside the model's gradient): each
iteration runs the model forward and backward eagerly and then a ~15-op projection. Decorating only the
projection leaves the gradient eager; prints the time per iteration with the helper eager, with the helper as a
tf.function, and with the whole iteration as one tf.function (the boundary that pays), medians of 5 runs. TF 2.21, 2-core CPU: 9795 us, 8842 us (the helper as a
graph saves a tenth), 828 us (the iteration as a graph, 12x)."""
import os
import statistics
import time

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

tf.random.set_seed(0)
model = tf.keras.Sequential([tf.keras.layers.Dense(256, activation="relu"), tf.keras.layers.Dense(10)])
x0, y = tf.random.normal([64, 128]), tf.zeros([64], tf.int64)


def loss_gradient(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.keras.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True)
    return tape.gradient(loss, x)


def clip_eta(eta, eps):
    axis = list(range(1, len(eta.shape)))
    norm = tf.sqrt(tf.maximum(1e-12, tf.reduce_sum(tf.square(eta), axis, keepdims=True)))
    factor = tf.minimum(1.0, tf.math.divide(eps, norm))
    eta = eta * factor
    return tf.clip_by_value(eta, -eps, eps) + tf.zeros_like(eta) * tf.reduce_mean(eta)


graph_clip = tf.function(clip_eta)


@tf.function
def whole_step(adv):
    return adv + clip_eta(0.01 * tf.sign(loss_gradient(adv)), 0.3)


def run(step, n=200):
    adv = x0
    step(adv)  # trace
    start = time.perf_counter()
    for _ in range(n):
        adv = step(adv)
    return (time.perf_counter() - start) / n * 1e6


variants = {
    "eager helper": lambda adv: adv + clip_eta(0.01 * tf.sign(loss_gradient(adv)), 0.3),
    "tf.function helper": lambda adv: adv + graph_clip(0.01 * tf.sign(loss_gradient(adv)), 0.3),
    "tf.function iteration": whole_step,
}
for name, step in variants.items():
    print(f"{name}: {statistics.median(run(step) for _ in range(5)):.0f} us per iteration")
