"""tf-keras optimizer_v2._var_key: returns a Python str used as a dict key (no tensor ops).
Decorating it with @tf.function turns the str into a tf.string tensor -> slot lookup breaks."""
import tensorflow as tf

def _var_key(var):
    if hasattr(var, "_distributed_container"):
        var = var._distributed_container()
    if getattr(var, "_in_graph_mode", False):
        return var._shared_name
    return var._unique_id

v = tf.Variable(1.0)
k = _var_key(v)
print("eager:", type(k).__name__, repr(k))
slots = {k: {"m": 0}}
print("eager lookup ok:", _var_key(v) in slots)

hyb = tf.function(_var_key)
kh = hyb(v)
print("hybrid returns:", type(kh).__name__, kh)
try:
    slots2 = {kh: {"m": 0}}
    print("hybrid dict key ok")
except TypeError as e:
    print("hybrid dict key FAILS:", e)
print("hybrid lookup of eager key:", end=" ")
try:
    print(hyb(v) in slots)
except TypeError as e:
    print("FAILS:", e)
