"""Mirrors jax2tf call_tf.make_call.callable_flat_tf (call_tf.py:153-191).

The tf.function writes `nonlocal res_treedef, res_tf_flat` to record the pytree
structure of the TF results.  The write runs once per trace only, but the output
structure is a property of the trace (it cannot change between calls of the same
concrete function), and make_call reads it right after the first (tracing) call.
Prints: number of Python executions vs calls, and that the recorded structure is
the structure every call returns.
"""
import tensorflow as tf

res_treedef = None
runs = 0


def callable_tf(x):
    return {"a": x + 1.0, "b": (x * 2.0,)}


def callable_flat_tf(x):
    global res_treedef, runs
    runs += 1
    res = callable_tf(x)
    res_treedef = tf.nest.map_structure(lambda _: None, res)
    return tf.nest.flatten(res)


f = tf.function(callable_flat_tf, autograph=False)
outs = [f(tf.constant(float(i))) for i in range(5)]
print("calls=5 python runs (traces)=", runs)
print("recorded structure:", res_treedef)
print("every call matches recorded structure:",
      all(len(o) == len(tf.nest.flatten(res_treedef)) for o in outs))
print("unflattened with recorded structure:",
      tf.nest.pack_sequence_as(res_treedef, [t.numpy() for t in outs[3]]))
