"""A global call counter and a float accumulator in a tf.function: count one trace as written (HYB103)."""

import json

import tensorflow as tf

calls = 0
total = 0.0


@tf.function
def step(x):
    global calls, total
    calls += 1
    total += tf.reduce_sum(x)
    return x * 2.0


def main():
    outputs = [step(tf.constant([float(i), 1.0])).numpy().tolist() for i in range(5)]
    try:
        total_value = round(float(total), 4)
    except TypeError:  # as written: the trace's symbolic tensor leaked into the global
        total_value = "a symbolic tensor"
    print(json.dumps({"results": {"outputs": outputs},
                      "behaviour": {"calls": calls, "total": total_value}}))


main()
