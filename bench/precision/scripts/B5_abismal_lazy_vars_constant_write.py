"""abismal/merging/merging.py:232 writes `self.optimizer.lazy_vars = [v._unique_id for v in q_vars]`
inside the @tf.function train_step. The write does run once per trace only, but the value is the
same on every call (ids of a fixed set of variables; the CLI already passes the same list to the
optimizer constructor, abismal/command_line/abismal.py:236), and the optimizer reads it at trace time
(`var_key in self.lazy_vars`, abismal/optimizers/adam.py:49) right after the write, in the same trace.

This mimics that pattern and runs it (a) as a graph and (b) eagerly (run_functions_eagerly),
printing: whether the written list is identical on every eager call, the number of traces, and
whether the final variables agree between graph and eager runs (expected: True / 1 / True).
"""
import numpy as np
import tensorflow as tf


class LazyOpt:
    def __init__(self, lazy_vars=None):
        self.lazy_vars = lazy_vars

    def apply(self, grads_and_vars):
        for g, v in grads_and_vars:
            if self.lazy_vars is not None and v._unique_id in self.lazy_vars:  # read at trace
                v.assign_sub(tf.where(g != 0.0, 0.1 * g, 0.0))
            else:
                v.assign_sub(0.1 * g)


def run(eager):
    tf.config.run_functions_eagerly(eager)
    q = tf.Variable(np.ones(5, np.float32))
    s = tf.Variable(np.ones(3, np.float32))
    opt = LazyOpt()
    seen, traces = [], [0]

    @tf.function
    def train_step(x):
        traces[0] += 1
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(q * x[:5]) ** 2 + tf.reduce_sum(s * x[5:]) ** 2
        q_vars = [q]
        opt.lazy_vars = [v._unique_id for v in q_vars]   # the flagged write
        seen.append(tuple(opt.lazy_vars))
        grads = tape.gradient(loss, [s, q])
        opt.apply(zip(grads, [s, q]))

    rng = np.random.default_rng(0)
    for _ in range(30):
        x = rng.normal(size=8).astype(np.float32)
        x[rng.integers(0, 5)] = 0.0
        train_step(tf.constant(x))
    tf.config.run_functions_eagerly(False)
    return q.numpy(), s.numpy(), seen, traces[0]


qg, sg, _, ntr = run(False)
qe, se, seen_e, _ = run(True)
print("written list identical on all eager calls:", len(set(seen_e)) == 1)
print("graph traces:", ntr)
print("graph and eager final variables agree:", np.allclose(qg, qe) and np.allclose(sg, se))
