"""sionna.mimo.utils (List2LLR-style layer call): `tf.function(tf.reduce_any, jit_compile=True)(b0, axis=-2)`
builds a new XLA-compiled function on every call of the layer. Run eagerly (sionna layers are also
used eagerly), each call traces and compiles again; hoisted into __init__ it compiles once. Inside an
outer tf.function the creation happens once per outer trace only."""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

x = tf.random.uniform([64, 16, 8, 4]) > 0.5
def per_call(b):
    return tf.function(tf.reduce_any, jit_compile=True)(b, axis=-2)
hoisted_fn = tf.function(tf.reduce_any, jit_compile=True)
def hoisted(b):
    return hoisted_fn(b, axis=-2)
for fn, label in ((per_call, "created per call"), (hoisted, "created once")):
    fn(x); t = time.perf_counter()
    for _ in range(20):
        fn(x)
    print(f"eager caller, {label}: {(time.perf_counter() - t) / 20 * 1e3:.2f} ms/call")
outer = tf.function(per_call); outer(x); t = time.perf_counter()
for _ in range(20):
    outer(x)
print(f"inside an outer tf.function, created per call: {(time.perf_counter() - t) / 20 * 1e3:.2f} ms/call")
