"""corpus3 (xagents acer/agent.py:381, HYB106): `for _ in range(np.random.poisson(self.replay_ratio))`
inside the `@tf.function` train_step draws the number of replay updates once, at trace time: every
later step replays that same number of batches instead of a fresh Poisson draw."""
import numpy as np
import tensorflow as tf

np.random.seed(1)
updates = tf.Variable(0)


@tf.function
def train_step(replay_ratio):
    updates.assign(0)
    for _ in range(np.random.poisson(replay_ratio)):
        updates.assign_add(1)
    return updates.read_value()


counts = [int(train_step(4)) for _ in range(10)]
print("graph:", counts)
assert len(set(counts)) == 1
np.random.seed(1)
print("eager:", [int(train_step.python_function(4)) for _ in range(10)])
