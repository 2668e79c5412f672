"""A helper taking callables, like TFP's prefer_static.cond(pred, true_fn, false_fn), decorated with
tf.function: every new lambda a call passes is a new trace, and a static branch's Python result comes
back as a tensor (its static value is lost). TF 2.21."""

import tensorflow as tf

traces = 0


def cond(pred, true_fn=None, false_fn=None):
    global traces
    traces += 1
    static = tf.get_static_value(pred)
    if static is not None:
        return true_fn() if static else false_fn()
    return tf.cond(pred, true_fn, false_fn)


graph_cond = tf.function(cond)
for rank in range(5):  # as move_dimension does, per parameter: a fresh lambda each call
    result = graph_cond(True, lambda: rank + 1, lambda: 0)
print("traces for 5 calls:", traces)
print("eager result type:", type(cond(True, lambda: 3, lambda: 0)).__name__,
      "| graph result type:", type(graph_cond(True, lambda: 3, lambda: 0)).__name__)
