"""Backs tfaip/tfaip/util/math/shape_utils.py:43:1:HYB302 (combined_static_and_dynamic_shape).
The helper returns the static dims as Python ints and only unknown dims as tensors (one tf.shape and
a slice per unknown dim), so callers can reshape with static shapes. Shows what a tf.function
version returns: every dim becomes a tensor, losing the static shape it exists to keep (a reshape
with it loses static shape information), and the per-call cost is higher than eager."""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

def combined_static_and_dynamic_shape(tensor):
    static_tensor_shape = tensor.shape.as_list()
    dynamic_tensor_shape = tf.shape(tensor)
    out = []
    for index, dim in enumerate(static_tensor_shape):
        out.append(dim if dim is not None else dynamic_tensor_shape[index])
    return out

hyb = tf.function(combined_static_and_dynamic_shape)
x = tf.zeros([2, 8, 8, 3])
print("plain     :", [type(d).__name__ for d in combined_static_and_dynamic_shape(x)])
print("tf.function:", [type(d).__name__ for d in hyb(x)])

@tf.function(input_signature=[tf.TensorSpec([None, 8, 8, 3])])
def user(t):
    s1 = combined_static_and_dynamic_shape(t)
    s2 = hyb(t)
    return tf.reshape(t, [s1[0], s1[1] * s1[2], s1[3]]), tf.reshape(t, [s2[0], s2[1] * s2[2], s2[3]])
cf = user.get_concrete_function()
print("static shape of a reshape inside a model graph: plain", cf.outputs[0].shape, "| decorated", cf.outputs[1].shape)
for name, f in (("plain", combined_static_and_dynamic_shape), ("tf.function", hyb)):
    t0 = time.perf_counter()
    for _ in range(300):
        f(x)
    print(f"{name}: {(time.perf_counter() - t0) / 300 * 1e6:.0f} us per eager call")
