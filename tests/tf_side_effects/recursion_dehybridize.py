"""A recursive tf.function: cannot be traced (HYB503)."""

import json

import tensorflow as tf


@tf.function
def total(n):
    if n > 0:
        return n + total(n - 1)
    return tf.constant(0)


def main():
    try:
        value = int(total(tf.constant(4)))
        behaviour = {"ok": True}
        results = {"total": value}
    except Exception as error:  # the bug: tracing recurses without end
        behaviour = {"ok": False, "error": type(error).__name__}
        results = {"total": None}
    print(json.dumps({"results": results, "behaviour": behaviour}))


main()
