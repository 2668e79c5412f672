"""Backs copynet-tf/copynet_tf/util.py:5:1:HYB402, copynet-tf/copynet_tf/util.py:16:1:HYB402 and
nncf/nncf/tensorflow/functions.py:16:1:HYB402.
HYB402 says these tf.functions are "traced again for every new Python value" of a parameter that
receives a literal. In both projects that literal is ONE constant value at every call site
(copynet: axis=1 at all four calls; nncf: logit(0.99) in build, tensors elsewhere). A repeated literal
is a cache hit: calls with the same literal (and same tensor shapes) trace once. Shows trace counts
for repeated calls, eagerly and nested inside an outer tf.function (where the inner one is inlined)."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

@tf.function
def masked_log_softmax(logits, mask, axis=None, name=None):
    if mask is not None:
        logits = logits + tf.math.log(tf.cast(mask, tf.float32) + 1e-35)
    return tf.nn.log_softmax(logits, axis, name)

@tf.function
def logit(x):
    return tf.math.log(x / (1 - x))

x = tf.random.normal([4, 10]); m = tf.ones([4, 10])
for _ in range(50):
    masked_log_softmax(x, m, axis=1)
print("masked_log_softmax: 50 eager calls with axis=1 -> traces:",
      masked_log_softmax.experimental_get_tracing_count())

for _ in range(50):
    logit(0.99)
print("logit: 50 calls logit(0.99) -> traces:", logit.experimental_get_tracing_count())

@tf.function
def step(x):
    return logit(tf.clip_by_value(tf.random.uniform(tf.shape(x)), 0.01, 0.99)) + x
for _ in range(20):
    step(x)
print("outer step: 20 calls -> outer traces:", step.experimental_get_tracing_count(),
      "| logit traces total:", logit.experimental_get_tracing_count())
