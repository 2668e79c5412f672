"""Backs drlgeb/drlgeb/ac/a2c.py:94:5:HYB301 (AgentMaster.count_returns).
count_returns(new_values, memory) reads memory.rewards / memory.masks, Python lists of NumPy arrays
held by ONE Memory object that learn() clears and refills every iteration. Decorated with
tf.function, the Memory argument is keyed by identity: the second call reuses the first trace, in
which the first iteration's rewards/masks are graph constants. Shows the decorated version returns
stale returns (silently wrong), i.e. the suggested fix breaks the program."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import numpy as np
import tensorflow as tf

class Memory:
    def __init__(self):
        self.rewards, self.masks = [], []
    def clear(self):
        self.rewards, self.masks = [], []

class Agent:
    gamma = 0.99
    def count_returns(self, new_values, memory):
        R = new_values
        out = []
        for step in reversed(range(len(memory.rewards))):
            R = memory.rewards[step] + self.gamma * R * memory.masks[step]
            out.insert(0, R)
        return out
    hyb = tf.function(count_returns)

a, mem = Agent(), Memory()
for it in range(3):
    mem.clear()
    for _ in range(5):
        mem.rewards.append(np.full((2, 1), float(it + 1)))
        mem.masks.append(np.ones((2, 1), np.int32))
    v = tf.constant([[0.5], [0.5]])
    eager = np.concatenate(a.count_returns(v, mem))
    graph = np.concatenate(a.hyb(v, mem))
    print(f"iter {it}: eager R0={eager[0,0]:.3f}  tf.function R0={graph[0,0]:.3f}  same={np.allclose(eager, graph)}")
