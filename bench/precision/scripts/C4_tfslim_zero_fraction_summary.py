"""Backs tf-slim/tf_slim/summaries.py:146:1:HYB302 (add_zero_fraction_summary).
The helper is TF1 graph-construction code: it names the summary from tensor.op.name and adds a v1
summary op (tensorflow.python.summary.summary.scalar) to the graph's SUMMARIES collection for a
later merge_all/Session run. Shows: eagerly it cannot even run (an EagerTensor has no .op), in a
v1 graph it adds one op to the collection, and under tf.function the summary lands in the
FuncGraph's collection (lost to the outer graph) and is named after the placeholder, not the tensor."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf
from tensorflow.python.framework import ops
from tensorflow.python.ops import nn_impl as nn
from tensorflow.python.summary import summary

def add_zero_fraction_summary(tensor, name=None):   # tf_slim/summaries.py, condensed
    name = name or tensor.op.name
    name = name + "/Fraction_of_Zero_Values"
    return summary.scalar(name=name, tensor=nn.zero_fraction(tensor))

x = tf.constant([0.0, 1.0, 0.0, 2.0])
try:
    add_zero_fraction_summary(x)
    print("eager: ok")
except Exception as e:
    print("eager: fails:", type(e).__name__, str(e)[:80])

g = tf.Graph()
with g.as_default():
    t = tf.constant([0.0, 1.0], name="conv1/act")
    add_zero_fraction_summary(t)
    print("v1 graph: SUMMARIES collection:", [op.name for op in g.get_collection(ops.GraphKeys.SUMMARIES)])

fn = tf.function(add_zero_fraction_summary)
g2 = tf.Graph()
with g2.as_default():
    t = tf.constant([0.0, 1.0], name="conv1/act")
    fn(t)
    print("v1 graph + tf.function: outer SUMMARIES collection:",
          [op.name for op in g2.get_collection(ops.GraphKeys.SUMMARIES)])
    cf = fn.get_concrete_function(tf.TensorSpec([2], tf.float32))
    print("  inside the FuncGraph:", [op.name for op in cf.graph.get_collection(ops.GraphKeys.SUMMARIES)])
