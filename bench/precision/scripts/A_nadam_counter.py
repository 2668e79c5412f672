"""tf-keras Nadam keeps `self._u_product_counter` as a Python int, incremented inside a tf.cond branch of
`update_step`. Under tf.function (as in `model.fit`'s train_function) the increment happens at trace
time only, so the graph compares against frozen constants and recomputes u_product once per variable
from the second step on: results differ from eager.

Needs tf-keras 2.21 (pip install --no-deps --target /tmp/A_tfk tf-keras==2.21.*).
"""
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
sys.path.insert(0, "/tmp/A_tfk")
import tensorflow as tf
from tf_keras.src.optimizers.nadam import Nadam

def run(graph, steps=4):
    vs = [tf.Variable([1.0, 2.0]), tf.Variable([3.0]), tf.Variable([-1.0, 0.5, 2.0])]
    opt = Nadam(learning_rate=0.1, jit_compile=False)
    def step():
        grads = [v * 0.5 + 1.0 for v in vs]
        opt.apply_gradients(zip(grads, vs))
    f = tf.function(step) if graph else step
    for _ in range(steps):
        f()
    return float(opt._u_product.numpy()), [v.numpy().round(6).tolist() for v in vs]

e, g = run(False), run(True)
print("eager u_product:", e[0], "vars:", e[1])
print("graph u_product:", g[0], "vars:", g[1])
print("SAME" if e == g else "DIFFERENT: the Python counter is frozen at trace time")
