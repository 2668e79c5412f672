"""tf-models grad_utils._filter_grads / xlnet _replicated_step pattern: a Python
logging call whose condition/content depends only on trace-time facts (which
variables have a None gradient, variable names, Python config). Under tf.function
it logs once per trace; the condition cannot change between calls of one
concrete function, so no per-call information is lost."""
import logging, tensorflow as tf
logging.basicConfig(level=logging.INFO, format="%(message)s")
log = []
class H(logging.Handler):
    def emit(self, r): log.append(r.getMessage())
logging.getLogger().addHandler(H())

v_used, v_unused = tf.Variable(1.0, name="used"), tf.Variable(2.0, name="unused")

def filter_grads(gv):
    gv = tuple(gv)
    empty = [v.name for g, v in gv if g is None]
    if empty:                                    # decided at trace time
        logging.warning("Gradients do not exist for variables %s", empty)
    return [(g, v) for g, v in gv if g is not None]

@tf.function
def train_step(x):
    with tf.GradientTape() as t:
        loss = v_used * x
    grads = t.gradient(loss, [v_used, v_unused])
    for g, v in filter_grads(zip(grads, [v_used, v_unused])):
        v.assign_sub(0.1 * g)
    return loss

for i in range(5):
    train_step(tf.constant(float(i)))
n = sum("Gradients do not exist" in m for m in log)
print("calls=5 warnings:", n, "| None-ness of grads is fixed per concrete function:",
      train_step.experimental_get_tracing_count(), "trace(s)")
assert n == 1 and train_step.experimental_get_tracing_count() == 1
