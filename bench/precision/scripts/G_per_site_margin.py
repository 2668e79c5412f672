"""corpus3 (histomics-detect boxes/transforms.py:188, HYB402): filter_edge_boxes(boxes, w, h, margin)
gets margin as a literal that is constant per call site (32 in the per-image evaluation loop, 0 for
anchors, the model's fixed margin): a few traces, each reused. Called per image from an eager loop, the
tf.function is faster than the eager body, so 'remove tf.function' would slow it down."""
import time

import tensorflow as tf


def _unstack(boxes):
    return [tf.gather(boxes, i, axis=1) for i in range(4)]


def filter_edge_boxes(boxes, width, height, margin=32.0, centroids=tf.constant(True, tf.bool)):
    margin = tf.cast(margin, tf.float32)
    width = tf.cast(width, tf.float32)
    height = tf.cast(height, tf.float32)
    x, y, w, h = _unstack(boxes)

    def box(x, y, w, h):
        return tf.logical_and(tf.logical_and(x >= margin, y >= margin),
                              tf.logical_and(x + w <= width - margin, y + h <= height - margin))

    def centroid(x, y, w, h):
        return tf.logical_and(tf.logical_and(x + w / 2 >= margin, y + h / 2 >= margin),
                              tf.logical_and(x + w / 2 <= width - margin, y + h / 2 <= height - margin))

    mask = tf.cond(centroids, lambda: centroid(x, y, w, h), lambda: box(x, y, w, h))
    return tf.boolean_mask(boxes, mask), mask


graph = tf.function(filter_edge_boxes)
images = [(tf.random.uniform([100, 4], 0, 200), tf.constant(256), tf.constant(256)) for _ in range(200)]
for name, fn in (("eager", filter_edge_boxes), ("tf.function", graph)):
    fn(*images[0], 32, tf.constant(False))
    start = time.perf_counter()
    for boxes, w, h in images:
        fn(boxes, w, h, 32, tf.constant(False))  # the evaluation loop's call: margin always 32
    print(f"{name}: {(time.perf_counter() - start) / len(images) * 1e3:.3f} ms per image")
for margin in (0, 32, 16):  # the three sites' values
    graph(images[0][0], 256, 256, margin, tf.constant(False))
print("traces:", graph.experimental_get_tracing_count())
