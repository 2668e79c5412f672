"""drlgeb ac/a2c.py AgentMaster.count_returns(new_values, memory): `memory` is one Memory object that learn()
clears and refills per rollout. tf.function keys a plain Python object by identity, so it traces once and then
returns the first rollout's returns (prints `0 True 1`, then `1 False 1`, `2 False 1`: wrong from the 2nd call,
one trace)."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import numpy as np, tensorflow as tf
class Memory:
    def __init__(self): self.rewards = []
    def store(self, r): self.rewards.append(r)
    def clear(self): self.rewards = []
def discounted(values, memory):
    returns = values
    for step in reversed(range(len(memory.rewards))):
        returns = memory.rewards[step] + 0.99 * returns
    return returns
graph = tf.function(discounted)
memory = Memory()
rng = np.random.default_rng(0)
for i in range(3):
    memory.clear()
    for _ in range(5):
        memory.store(rng.random(4).astype(np.float32))
    e = discounted(tf.ones([4]), memory).numpy(); g = graph(tf.ones([4]), memory).numpy()
    print(i, np.allclose(e, g), graph.experimental_get_tracing_count())
