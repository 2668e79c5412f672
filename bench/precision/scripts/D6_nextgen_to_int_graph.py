"""nextgen-wireless-dl-demos demos/dpd/src/tx.py:_to_int under training_nn.train_step (tf.function over a
tensor batch_size): does `int(x.numpy() if hasattr(x, "numpy") else x)` fail in graph mode?"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf


def _to_int(x):  # copied from tx.py
    val = tf.get_static_value(x)
    if val is not None:
        return int(val)
    return int(x.numpy() if hasattr(x, "numpy") else x)


@tf.function(reduce_retracing=True)
def train_step(batch_size):
    B = _to_int(batch_size)
    return tf.random.uniform([B, 4])


try:
    out = train_step(tf.constant(8, dtype=tf.int32))
    print("graph call OK", out.shape)
except Exception as e:  # noqa: BLE001
    print("graph call FAILS:", type(e).__name__, str(e).splitlines()[0][:200])
# eager works
print("eager _to_int:", _to_int(tf.constant(8)))

# why: inside the trace, what does get_static_value see for the argument, and does the numpy branch run?
@tf.function
def probe(batch_size):
    print("trace: static value of the tensor argument =", tf.get_static_value(batch_size),
          "| hasattr numpy:", hasattr(batch_size, "numpy"))
    return batch_size + 1


probe(tf.constant(8, dtype=tf.int32))
probe(tf.constant(9, dtype=tf.int32))  # retrace?
print("traces of probe:", probe.experimental_get_tracing_count())
print("traces of train_step after 3 batch sizes:",
      [train_step(tf.constant(b)).shape[0] for b in (8, 16, 32)], train_step.experimental_get_tracing_count())


# a batch size with no static value at trace time (from a tensor of unknown shape)
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def dyn(x):
    return _to_int(tf.shape(x)[0])


try:
    dyn(tf.ones([5]))
    print("dyn OK")
except Exception as e:  # noqa: BLE001
    print("dyn FAILS:", type(e).__name__, str(e).splitlines()[0][:200])

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   graph call OK (8, 4)
#   eager _to_int: 8
#   trace: static value of the tensor argument = None | hasattr numpy: False   (so int(x) runs, converted by AutoGraph)
#   traces of probe: 1
#   traces of train_step after 3 batch sizes: [8, 16, 32] 1
#   dyn OK
