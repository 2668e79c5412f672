"""gpflow monitor pattern: MonitorTask.__call__ -> ImageToTensorBoard.run, which
clears matplotlib axes, calls the user's plotting function and encodes a PNG in
Python. The only tf.function over it in the project is `tf.function(task)` in
tests/gpflow/test_monitor.py (a smoke test called once). Under tf.function the
Python plotting runs once per trace: the logged image is a frozen constant."""
import tensorflow as tf

class Task:
    def __init__(self):
        self.cleared = 0; self.plotted = []
    def __call__(self, step):
        self.current_step = tf.cast(step, tf.int64)
        self.run()
    def run(self):
        self.cleared += 1                     # stands for self.axes.clear()
        self.plotted.append(len(self.plotted))  # plotting callback / PNG bytes
        return tf.constant(self.plotted[-1])    # image tensor baked into the graph

task = Task()
compiled = tf.function(task)
for s in range(5):
    compiled(tf.constant(s))
print("5 compiled calls -> axes cleared", task.cleared, "time(s), images rendered", task.plotted)
assert task.cleared == 1
