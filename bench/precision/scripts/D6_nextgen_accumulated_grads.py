"""nextgen-wireless-dl-demos pusch_autoencoder/training.py: HYB301 on compute_accumulated_grads (eager), which
calls the @tf.function compute_grads_single 16 times and sums/averages the gradient lists.  Decorating it only
moves the gradient accumulation (about 18 small ops per variable) into a graph; the 16 micro-batches are already
graphs.  Measure (a) that accumulation for a variable set shaped like the neural detector's (Conv2D 128 filters,
3x3) eager vs tf.function, and (b) a lower bound of one micro-batch: ONE 3x3x128x128 Conv2D forward+backward on
the detector's grid (batch 16, 14 OFDM symbols x 192 subcarriers); the real step has a dozen such convs plus the
5G PUSCH chain and channel."""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf

shapes = [(3, 3, 128, 128)] * 14 + [(128,)] * 14 + [(3, 3, 64, 128), (3, 3, 128, 8), (8,), (1,), (1,), (1,), (4,), (4,), (16, 16)]
vars_ = [tf.Variable(tf.random.normal(s)) for s in shapes]
grads16 = [[tf.random.normal(s) for s in shapes] for _ in range(16)]


def accumulate():
    acc = [tf.zeros_like(v) for v in vars_]
    for k in range(16):
        acc = [a + g for a, g in zip(acc, grads16[k])]
    return [g / 16 for g in acc]


graph_acc = tf.function(accumulate)
graph_acc()
for name, fn in (("eager", accumulate), ("tf.function", graph_acc)):
    t = time.perf_counter()
    for _ in range(20):
        fn()
    print(f"accumulation over {len(shapes)} variables, {name}: {(time.perf_counter() - t) / 20 * 1e3:.1f} ms/iteration")

conv = tf.keras.layers.Conv2D(128, 3, padding="same")
x = tf.random.normal([16, 14, 192, 128])


@tf.function
def one_conv_step():
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(conv(x))
    return tape.gradient(y, conv.trainable_variables)


one_conv_step()
t = time.perf_counter()
for _ in range(3):
    one_conv_step()
dt = (time.perf_counter() - t) / 3
print(f"one Conv2D(128) fwd+bwd on [16,14,192,128]: {dt * 1e3:.0f} ms; x16 micro-batches: {dt * 16:.1f} s per iteration (lower bound)")

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   accumulation over 37 variables, eager: 132.9 ms/iteration
#   accumulation over 37 variables, tf.function: 23.0 ms/iteration
#   one Conv2D(128) fwd+bwd on [16,14,192,128]: 320 ms; x16 micro-batches: 5.1 s per iteration (lower bound)
