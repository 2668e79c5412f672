"""NSL utils_test pattern: decay_over_time_wrapper(config) builds a NEW tf.function
each test and calls it once with the same Python scalars (global_step=5, init_value=0.1).
HYB201 claims values vary between calls and each value retraces. Count traces per
function object, with Python scalars vs tensors."""
import tensorflow as tf

traces = []

def wrapper(config):
    @tf.function
    def decay(global_step, init_value=1.0):
        traces.append(1)
        return tf.cast(init_value, tf.float32) * config ** (tf.cast(global_step, tf.float32) / 10.)
    return decay

for cfg in (0.96, 0.9, 0.8, 0.7):          # one fresh tf.function per "test"
    wrapper(cfg)(5, 0.1)
py = len(traces); traces.clear()
for cfg in (0.96, 0.9, 0.8, 0.7):
    wrapper(cfg)(tf.constant(5), tf.constant(0.1))
tn = len(traces)
print(f"4 fresh functions, python scalars: {py} traces; with tensors: {tn} traces")
assert py == tn == 4   # passing tensors saves nothing: each function object is called once
