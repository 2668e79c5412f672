"""gpflow.monitor: MonitorTask.__call__ does `self.current_step = tf.cast(step, tf.int64)` then
`self.run()`, whose tf.summary ops read `self.current_step` in the SAME trace. Compiled with
tf.function (as gpflow's tests and ModelToTensorBoard's error message intend), the attribute write
happens once per trace, but the value it carries is a graph tensor recomputed on every call: each call
logs its own step. (Replica of gpflow/monitor/base.py + tensorboard.py, gpflow not installed.)
"""
import os, tempfile, glob
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

class MonitorTask:
    def __call__(self, step, **kwargs):
        self.current_step = tf.cast(step, tf.int64)
        self.run(**kwargs)

class ScalarToTensorBoard(MonitorTask):
    def __init__(self, log_dir, callback, name):
        self.file_writer = tf.summary.create_file_writer(log_dir)
        self.callback, self.name = callback, name
    def __call__(self, step, **kwargs):
        with self.file_writer.as_default():
            super().__call__(step, **kwargs)
        self.file_writer.flush()
    def run(self, **kwargs):
        tf.summary.write(self.name, self.callback(**kwargs), step=self.current_step)  # gpflow: tf.summary.scalar (TensorBoard not installed here)

v = tf.Variable(0.0)
log_dir = tempfile.mkdtemp()
task = ScalarToTensorBoard(log_dir, lambda: v * 1.0, "v")
compiled = tf.function(task)
for step in tf.range(5):
    v.assign(float(step) * 10)
    compiled(step)
task.file_writer.close()
events = []
for path in glob.glob(log_dir + "/events*"):
    for e in tf.compat.v1.train.summary_iterator(path):
        for val in e.summary.value:
            events.append((e.step, float(tf.make_ndarray(val.tensor))))
print("traces:", compiled.experimental_get_tracing_count(), "logged (step, value):", events)
