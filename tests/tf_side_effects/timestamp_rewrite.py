"""A clock read in a tf.function: the same timestamp on every call as written (HYB106)."""

import json
import time

import tensorflow as tf


@tf.function
def stamped(x):
    started = time.time()
    return x + 1.0, started


def main():
    first_value, first = stamped(tf.constant(1.0))
    time.sleep(0.05)
    second_value, second = stamped(tf.constant(1.0))
    print(json.dumps({"results": {"values": [float(first_value), float(second_value)]},
                      "behaviour": {"advances": float(second) - float(first) >= 0.04,
                                    "plausible": abs(float(second) - time.time()) < 60}}))


main()
