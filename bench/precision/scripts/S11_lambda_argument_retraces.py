"""A callback parameter given a lambda (or functools.partial) written at the call: as a tf.function, every
call passes a new function object and traces again; a function made once (a module-level def, a lambda
bound before the loop) traces once. TF 2.21."""

import functools
import time

import tensorflow as tf

traces = 0


def apply_twice(x, fn):
    global traces
    traces += 1
    y = fn(fn(x))
    for _ in range(3):
        y = tf.nn.relu(tf.matmul(y, y)) + tf.reduce_mean(y)
    return y


def scale_by(t, k):
    return t * k


graph = tf.function(apply_twice)
xs = [tf.ones([4, 4])] * 20
for label, make in [("lambda at the call", lambda: (lambda t: t * 2.0)),
                    ("functools.partial at the call", lambda: functools.partial(scale_by, k=2.0))]:
    traces = 0
    start = time.perf_counter()
    for x in xs:
        graph(x, make())
    print(f"{label}: {traces} traces for {len(xs)} calls, {time.perf_counter() - start:.2f} s")

once = lambda t: t * 2.0  # noqa: E731
traces = 0
start = time.perf_counter()
for x in xs:
    graph(x, once)
print(f"one function made before the loop: {traces} trace(s) for {len(xs)} calls, {time.perf_counter() - start:.2f} s")
start = time.perf_counter()
for x in xs:
    apply_twice(x, lambda t: t * 2.0)
print(f"eager with a lambda at the call: {time.perf_counter() - start:.2f} s")
