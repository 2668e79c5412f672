"""The motivating example of the "Hybridize Functions" paper: a Keras model of 100 small Dense layers.

`SequentialModel.call` chains a `Flatten`, 100 `Dense(64, relu)` layers, a `Dropout` and a final `Dense`,
and runs eagerly, op by op, on every call of the model in the inference loop below (batches of 28x28
"images"). hybridize-lint should add `@tf.function` to `SequentialModel.call`.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
# Grappler's arithmetic optimizer rewrites graph arithmetic into forms that round differently from the
# eager ops, so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})

NUM_BATCHES = 30
BATCH_SIZE = 20


class SequentialModel(tf.keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.flatten = tf.keras.layers.Flatten(input_shape=(28, 28))
        num_layers = 100
        # He initialisation keeps the signal alive through 100 ReLU layers.
        self.my_layers = [tf.keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal")
                          for n in range(num_layers)]
        self.dropout = tf.keras.layers.Dropout(0.2)
        self.dense_2 = tf.keras.layers.Dense(10)

    @tf.function
    def call(self, x):
        x = self.flatten(x)
        for layer in self.my_layers:
            x = layer(x)
        x = self.dropout(x)
        x = self.dense_2(x)
        return x


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    rng = np.random.RandomState(18)
    batches = [tf.constant(rng.uniform(size=(BATCH_SIZE, 28, 28)).astype(np.float32)) for _ in range(NUM_BATCHES)]
    model = SequentialModel()
    sums = []
    start = time.perf_counter()
    for input_data in batches:
        result = model(input_data)
        sums.append(float(tf.reduce_sum(result)))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"sums": sums, "last_output": result.numpy().ravel().tolist(),
                   "weight_sums": [float(tf.reduce_sum(v)) for v in model.trainable_variables[-4:]]},
        "trace_counts": {"SequentialModel.call": tracing_count(model.call)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
