"""NumPy and Python randomness in a tf.function: frozen at trace time as written (HYB106)."""

import json
import random

import numpy as np
import tensorflow as tf


@tf.function
def noisy(x):
    noise = np.random.normal(0.0, 0.1, (3,))
    jitter = random.uniform(-1.0, 1.0)
    die = random.randint(1, 6)
    return x * 2.0, x + noise + jitter, die


def main():
    x = tf.constant([1.0, 2.0, 3.0])
    runs = [noisy(x) for _ in range(4)]
    clean = [r[0].numpy().tolist() for r in runs]
    draws = {tuple(np.round(np.asarray(r[1]), 6).tolist()) for r in runs}
    dice = [int(r[2]) for r in runs]
    print(json.dumps({"results": {"clean": clean},
                      "behaviour": {"distinct_draws": len(draws), "dice_in_range": all(1 <= d <= 6 for d in dice),
                                    "noise_near_x": all(abs(a - b) < 2.0 for r in runs
                                                        for a, b in zip(np.asarray(r[1]), [1.0, 2.0, 3.0]))}}))


main()
