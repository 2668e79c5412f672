"""trieste models/keras/sampler.py deep_ensemble_trajectory.__call__: `if not self._initialized:` (a tf.Variable)
then `self.resample()` (`self._seed += 1`) and `self._initialized.assign(True)`. Eagerly the block runs at the first
call; under tf.function AutoGraph makes it a tf.cond whose branch is traced once: the seed moves once either way and
the outputs are identical (prints `seed 1 distinct outputs 1` for both)."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

class Trajectory:
    def __init__(self):
        self._seed = 0
        self._initialized = tf.Variable(False)
        self._indices = tf.Variable(tf.zeros([0], tf.int32), shape=[None])
    def resample(self):
        self._seed += 1
        self._indices.assign(tf.random.stateless_uniform([4], [self._seed, 0], 0, 8, tf.int32))
    def call(self, x):
        if not self._initialized:
            self.resample()
            self._initialized.assign(True)
        return tf.gather(x, self._indices)

for mode in ("eager", "graph"):
    t = Trajectory()
    f = tf.function(t.call) if mode == "graph" else t.call
    outs = [f(tf.range(8)).numpy().tolist() for _ in range(10)]
    print(mode, "seed", t._seed, "distinct outputs", len({tuple(o) for o in outs}), outs[0])
