"""The motivating example of the "Hybridize Functions" paper: a Keras model of 100 small Dense layers.

`SequentialModel.call` runs eagerly, op by op, on every call of the model in the loop below:
hybridize-lint should add `@tf.function` to it.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import hashlib  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
# Grappler's arithmetic optimizer rewrites graph arithmetic into forms that round differently from the
# eager ops (e.g. in sigmoid cross-entropy), so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})

NUM_CALLS = 20


class SequentialModel(tf.keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.flatten = tf.keras.layers.Flatten()
        num_layers = 100
        # He initialisation keeps the signal alive through 100 ReLU layers, so the outputs compared by
        # the tests are not all zero.
        self.my_layers = [tf.keras.layers.Dense(64, activation="relu", kernel_initializer="he_normal")
                          for n in range(num_layers)]
        self.dropout = tf.keras.layers.Dropout(0.2, seed=1)
        self.dense_2 = tf.keras.layers.Dense(10)

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
    rng = np.random.RandomState(7)
    batches = [tf.constant(rng.uniform(size=(16, 28, 28)).astype(np.float32)) for _ in range(NUM_CALLS)]
    model = SequentialModel()
    sums, digest = [], hashlib.sha256()
    start = time.perf_counter()
    for input_data in batches:
        result = model(input_data)
        sums.append(float(tf.reduce_sum(result)))
        digest.update(result.numpy().tobytes())
    seconds = time.perf_counter() - start
    print(json.dumps({
        "results": {"sums": sums, "last_output": result.numpy().tolist(), "sha256": digest.hexdigest(),
                    "weights_sha256": hashlib.sha256(b"".join(
                        v.numpy().tobytes() for v in model.trainable_variables)).hexdigest()},
        "trace_counts": {"SequentialModel.call": tracing_count(model.call)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
