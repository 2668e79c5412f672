"""A global step counter, a history list and a logger in a tf.function: per-call effects (HYB103, HYB105, HYB102)."""

import json
import logging

import tensorflow as tf

steps = 0
history = []
logging.basicConfig(level=logging.INFO)
logged = []


class _Collect(logging.Handler):
    def emit(self, record):
        logged.append(record.getMessage())


logging.getLogger().addHandler(_Collect())


@tf.function
def train_step(x):
    global steps
    steps += 1
    history.append(1)
    logging.info("step")
    return x * 2.0 + 1.0


def main():
    outputs = [float(train_step(tf.constant(float(i)))) for i in range(5)]
    print(json.dumps({"results": {"outputs": outputs},
                      "behaviour": {"steps": steps, "history": len(history), "logged": len(logged)}}))


main()
