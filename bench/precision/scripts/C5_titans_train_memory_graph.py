"""tf-titans tf_titans/train.py: `train_memory(memory, gradients, alpha, theta)` is called eagerly
once per batch from `train()`; it does ~4 eager ops per memory variable (10 variables).

Uses the package's own Titans layer (small sizes) and prints, per training step:
  - time of train_memory eagerly vs. wrapped in tf.function (same results checked),
  - time of one whole eager training step (forward + tape.gradient + apply_gradients + train_memory)
    as in train(), so the share that a graph-compiled train_memory would save is visible,
  - the number of traces of the tf.function version over the steps (alpha/theta constant floats).
"""
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, "/work/main/.corpus/tf-titans")
import numpy as np
import tensorflow as tf
from tf_titans.titans import Titans
from tf_titans.train import train_memory, compute_loss

SEQ, V, D = 16, 100, 32


class M(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.titans = Titans(D, SEQ, 2, 64, V)

    def call(self, x):
        return self.titans(x, mask=None)


model = M()
x = tf.constant(np.random.randint(1, V, size=(8, SEQ)), tf.int32)
y = tf.constant(np.random.randint(1, V, size=(8,)), tf.int32)
model(x)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
opt = tf.keras.optimizers.Adam()
mem = model.titans.memory
traces = {"n": 0}


def counted(memory, gradients, alpha, theta):
    traces["n"] += 1
    return train_memory(memory, gradients, alpha, theta)


graph_tm = tf.function(counted)
mem_vars = set(id(v) for v in mem.trainable_variables)
print("memory variables:", len(mem.trainable_variables))


def step(tm):
    with tf.GradientTape() as tape:
        p = model(x)
        loss = compute_loss(y, p, loss_fn)
    grads = tape.gradient(loss, model.trainable_variables)
    mg, og, ov = [], [], []
    for g, v in zip(grads, model.trainable_variables):
        if g is None:
            continue
        (mg if id(v) in mem_vars else og).append(g)
        if id(v) not in mem_vars:
            ov.append(v)
    opt.apply_gradients(zip(og, ov))
    t = time.perf_counter()
    tm(mem, mg, alpha=0.5, theta=0.5)
    return time.perf_counter() - t, mg


# correctness: same update eager vs graph
_, mg = step(lambda *a, **k: None)
snap = [v.numpy() for v in mem.trainable_variables]
train_memory(mem, mg, alpha=0.5, theta=0.5)
eager_res = [v.numpy() for v in mem.trainable_variables]
for v, s in zip(mem.trainable_variables, snap):
    v.assign(s)
graph_tm(mem, mg, alpha=0.5, theta=0.5)
print("graph result == eager result:", all(np.allclose(a, v.numpy()) for a, v in zip(eager_res, mem.trainable_variables)))

for name, tm in (("eager", train_memory), ("tf.function", graph_tm)):
    for _ in range(3):
        step(tm)
    N = 20
    t0 = time.perf_counter(); tm_t = 0.0
    for _ in range(N):
        dt, _ = step(tm); tm_t += dt
    total = (time.perf_counter() - t0) / N * 1e3
    print(f"{name:12s}: train_memory {tm_t / N * 1e3:.2f} ms/step, whole step {total:.2f} ms/step")
print("traces of tf.function train_memory:", traces["n"])
