"""tensordiffeq fit.train_op_inner: an outer @tf.function loops over minibatches in Python, sets
`obj.batch = i` and calls `obj.grad = tf.function(obj.grad)`, whose loss reads `self.batch`.
The inner tf.function is keyed on its (empty) arguments, not on the attribute: it is traced once,
with batch 0, and every later call in the unrolled loop reuses that trace. So every "minibatch" is
batch 0 (HYB104 on `obj.batch = i` is right: the value should live in a tf.Variable).
Also: `obj.variables = model.trainable_variables` (+ extend) rebuilds the same list on every call:
nothing per call is lost there.
"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import numpy as np
import tensorflow as tf

class Obj:
    def __init__(self, n_batches):
        self.data = tf.constant(np.arange(8, dtype=np.float32))
        self.n_batches, self.batch_sz = n_batches, 8 // n_batches
        self.batch = None
        self.w = tf.Variable(1.0)
        self.variables = None
    def loss(self):
        b = self.data[self.batch * self.batch_sz:(self.batch + 1) * self.batch_sz]
        return tf.reduce_sum(self.w * b)
    def grad(self):
        return self.loss()

def run(obj, graph):
    obj.grad = tf.function(obj.grad) if graph else obj.grad
    def apply_grads():
        seen = []
        for i in range(obj.n_batches):
            obj.batch = i
            obj.variables = [obj.w]
            seen.append(obj.grad())
        obj.batch = None
        return tf.stack(seen)
    f = tf.function(apply_grads) if graph else apply_grads
    return [f().numpy().tolist() for _ in range(2)]

print("eager per-batch losses:", run(Obj(4), False))
print("graph per-batch losses:", run(Obj(4), True))
