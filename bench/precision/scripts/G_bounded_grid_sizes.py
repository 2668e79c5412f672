"""corpus3 (yolov3-tf dataset.py:73, HYB201): `transform_targets_for_output(y, grid_size, ...)` gets
grid_size = size // 32, then x2, x2: three Python values, always the same three. Called per batch, it
traces three graphs once and reuses them (here 30 calls, 3 traces)."""
import tensorflow as tf

traces = 0


@tf.function
def transform_targets_for_output(y_true, grid_size, anchor_idxs):
    global traces
    traces += 1
    n = tf.shape(y_true)[0]
    return tf.zeros((n, grid_size, grid_size, tf.shape(anchor_idxs)[0], 6)) + tf.reduce_sum(y_true)


def transform_targets(y_train, masks, size):
    grid_size = size // 32
    outs = []
    for anchor_idxs in masks:
        outs.append(transform_targets_for_output(y_train, grid_size, anchor_idxs))
        grid_size *= 2
    return outs


masks = [tf.constant([6, 7, 8]), tf.constant([3, 4, 5]), tf.constant([0, 1, 2])]
for _ in range(10):
    transform_targets(tf.random.uniform([4, 100, 6]), masks, 416)
print(f"calls=30 traces={traces}")
assert traces == 3
