"""Mirrors sparseml tensorflow_v1 create_op_pruning_no_update (mask_pruning.py:166)
with the @tf.function HYB302 suggests.

The function is TF1 graph construction: it receives a tf.Operation and its input
tensor from a tf.Graph, creates a mask variable with get_variable, builds the
masked tensor, registers it in a graph collection and returns a namedtuple that
contains the Operation.  It is run once per prunable op at graph-build time
(sensitivity_pruning.py:90 loops over ops, not over steps).  Prints: plain call
builds the ops and fills the outer graph's collection; the tf.function version
fails (or, if it got that far, would register things in its own FuncGraph).
"""
import collections
import tensorflow as tf

v1 = tf.compat.v1
PruningOpVars = collections.namedtuple("PruningOpVars", ["op", "op_input", "mask", "masked"])


def create_op_pruning_no_update(op, op_input, ks_group):
    with v1.variable_scope(op.name + "_ks", reuse=v1.AUTO_REUSE):
        mask = v1.get_variable("mask", op_input.get_shape(), initializer=v1.ones_initializer(),
                               trainable=False, dtype=op_input.dtype)
    v1.add_to_collection("nm_ks_" + ks_group + "_mask", mask)
    masked = tf.multiply(mask, op_input, name="masked")
    v1.add_to_collection("nm_ks_" + ks_group + "_masked", masked)
    return PruningOpVars(op, op_input, mask, masked)


for label, fn in [("plain", create_op_pruning_no_update),
                  ("tf.function", tf.function(create_op_pruning_no_update))]:
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, (None, 3))
        w = v1.get_variable("w", (3, 2))
        y = tf.matmul(x, w)
        try:
            res = fn(y.op, w, "g")
            print(label, ": ok, masked =", res.masked.name,
                  "| outer collection size:", len(g.get_collection("nm_ks_g_masked")))
        except Exception as e:  # noqa
            print(label, ": FAILS ->", type(e).__name__,
                  [l for l in str(e).splitlines() if l.strip()][-1].strip()[:160])
