"""tensordiffeq.optimizers.graph_lbfgs2.f (a @tf.function): `if loss_value < obj.min_loss[...]:`
then dict item assignments and `loss_value.numpy()`. Under tf.function the branch is traced
(AutoGraph tf.cond) and `.numpy()` on a symbolic tensor fails."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

best = {"l-bfgs": 1e9}
@tf.function
def f(x):
    loss_value = tf.reduce_sum(x * x)
    if loss_value < best["l-bfgs"]:
        best["l-bfgs"] = loss_value.numpy()
    return loss_value
try:
    f(tf.constant([1.0, 2.0]))
    print("ran")
except Exception as e:  # AttributeError: 'SymbolicTensor' object has no attribute 'numpy'
    print("fails:", type(e).__name__, str(e).splitlines()[0][:120])
