"""Backs the HYB104 findings on tensorflow-decision-forests keras/core.py:760/818/844/987
(CoreModel.collect_data_step) and biggan/biggan/model.py:174 (HYB110, BigGAN.train_step ->
set_global_batch_size), all labelled false.

Shape of the code: a tf.function writes to `self` values that are facts of the trace
(is a weight tensor present, the sorted feature keys, a constant True) or a build-once
value behind `if attr is None:` (BigGAN's global batch size from the static batch dim).
Shows: after many calls, the object state of the traced run equals that of a run where
the same Python body executes eagerly on every call -- the "once per trace, not on every
call" difference has no observable effect; the Python list of keys is read by Python code
afterwards, so a tf.Variable (the suggested fix) is not a fit.
"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf


class Collector(tf.Module):
    def __init__(self):
        self._weighted_training = False
        self._has_validation_dataset = False
        self._normalized_input_feature_keys = None
        self._global_batch_size = None

    def step(self, data, is_training_example):
        x, y, w = data
        if self._global_batch_size is None:           # BigGAN: build-once guard
            self._global_batch_size = y.shape[0]
        self._weighted_training = w is not None       # TF-DF core.py:760
        if not is_training_example:
            self._has_validation_dataset = True       # TF-DF core.py:818
        if is_training_example:
            self._normalized_input_feature_keys = sorted(x.keys())   # core.py:844/987
        return tf.reduce_sum(y) * self._global_batch_size


def run(graph):
    c = Collector()
    fn = tf.function(c.step) if graph else c.step
    train = [({"b": tf.ones([4]), "a": tf.ones([4])}, tf.ones([4]), tf.ones([4]))] * 5
    valid = [({"b": tf.ones([4]), "a": tf.ones([4])}, tf.ones([4]), tf.ones([4]))] * 3
    out = [float(fn(d, True)) for d in train] + [float(fn(d, False)) for d in valid]
    return out, (c._weighted_training, c._has_validation_dataset,
                 list(c._normalized_input_feature_keys), c._global_batch_size)


eager, graph = run(False), run(True)
print("eager:", eager[1]); print("graph:", graph[1])
assert eager == graph
print("same outputs and same object state after 8 calls")
