"""HYB204: `experimental_relax_shapes` still works in TF 2.21 but is deprecated in favour of
`reduce_retracing` (TensorFlow logs a deprecation warning when the function is made)."""
import io
import logging

import tensorflow as tf

stream = io.StringIO()
handler = logging.StreamHandler(stream)
tf.get_logger().addHandler(handler)


@tf.function(experimental_relax_shapes=True)
def old(x):
    return x * 2


@tf.function(reduce_retracing=True)
def new(x):
    return x * 2


for n in (2, 3, 4, 5):
    old(tf.ones([n]))
    new(tf.ones([n]))
print("deprecation logged:", "deprecated" in stream.getvalue().lower())
print("traces old/new:", old.experimental_get_tracing_count(), new.experimental_get_tracing_count())
