"""A tf.Variable made on every call of a tf.function: fails on the first call as written (HYB502)."""

import json

import tensorflow as tf

created = []


def counting(next_creator, **kwargs):
    created.append(kwargs.get("name"))
    return next_creator(**kwargs)


@tf.function
def accumulate(x):
    total = tf.Variable(0.0)
    total.assign_add(x)
    return total.read_value()


def main():
    with tf.variable_creator_scope(counting):
        try:
            values = [float(accumulate(tf.constant(float(i)))) for i in range(1, 4)]
            behaviour = {"ok": True}
        except Exception as error:
            values, behaviour = None, {"ok": False, "error": type(error).__name__}
    print(json.dumps({"results": {"values": values}, "behaviour": behaviour,
                      "facts": {"variables_created": len(created)}}))


main()
