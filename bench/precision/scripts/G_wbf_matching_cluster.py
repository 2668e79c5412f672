"""corpus3 (tflite-model-maker efficientdet/keras/wbf.py:39, HYB302): find_matching_cluster(clusters,
detection) gets a Python list of cluster tensors that grows as detections are clustered, and returns
the Python int -1 on one tensor-dependent branch and a tensor on the other. As a tf.function it traces
again for every new list length, and the mixed return breaks AutoGraph's tensor `if`."""
import tensorflow as tf


def vectorized_iou(clusters, detection):
    return tf.reduce_sum(tf.minimum(clusters, detection), axis=-1) / tf.reduce_sum(tf.maximum(clusters, detection), axis=-1)


def find_matching_cluster(clusters, detection):
    if not clusters:
        return -1
    ious = vectorized_iou(tf.stack(clusters), detection)
    ious = tf.reshape(ious, [len(clusters)])
    if tf.math.reduce_max(ious) < 0.55:
        return -1
    return tf.argmax(ious)


graph = tf.function(find_matching_cluster)
detections = tf.random.uniform([6, 4])
clusters = []
try:
    for d in detections:
        index = graph(clusters, d)
        clusters.append(d)
    print("traces:", graph.experimental_get_tracing_count(), "for", len(detections), "calls")
except Exception as error:  # noqa: BLE001
    print(f"as a tf.function: {type(error).__name__}: {[l for l in str(error).splitlines() if l.strip()][-1].strip()[:200]}")
    print("traces before the failure:", graph.experimental_get_tracing_count())
