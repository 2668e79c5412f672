"""`.numpy()` in a tf.function: fails while tracing (HYB501)."""

import json

import tensorflow as tf


@tf.function
def normalize(x):
    peak = tf.reduce_max(x).numpy()
    return x / peak


def main():
    try:
        values = normalize(tf.constant([1.0, 2.0, 4.0])).numpy().tolist()
        behaviour = {"ok": True}
    except Exception as error:
        values, behaviour = None, {"ok": False, "error": type(error).__name__}
    print(json.dumps({"results": {"values": values}, "behaviour": behaviour}))


main()
