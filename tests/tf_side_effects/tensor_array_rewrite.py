"""A Python list grown in loops over tf.range and a dataset, then stacked: tracing fails as written (HYB504)."""

import json

import tensorflow as tf


@tf.function
def squares(n):
    out = []
    for i in tf.range(n):
        out.append(tf.cast(i * i, tf.float32))
    values = []
    for x in tf.data.Dataset.range(4).map(lambda v: tf.cast(v, tf.float32)):
        values.append(x * 2.0)
    return tf.stack(out), tf.stack(values)


def main():
    try:
        first, second = squares(tf.constant(5))
        results, behaviour = {"squares": first.numpy().tolist(), "doubled": second.numpy().tolist()}, {"ok": True}
    except Exception as error:
        results, behaviour = {"squares": None, "doubled": None}, {"ok": False, "error": type(error).__name__}
    print(json.dumps({"results": results, "behaviour": behaviour}))


main()
