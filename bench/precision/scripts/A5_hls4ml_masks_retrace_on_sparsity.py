"""Shows that hls4ml's MaskedBackprop pattern does NOT keep stale masks.

MaskedBackprop.__call__ is a tf.function reading the Python dict self.masks; it
also takes the sparsity `s` as a Python float.  In optimize_model (hls4ml
dsp_aware_pruning/keras/__init__.py:172-228) every update_masks() is followed by
calls with a new target_sparsity (schedulers return a new value on each step), so
each new mask set comes with a new trace, which reads the new masks.
Prints the result with the new masks + new sparsity (fresh, 2 traces) and, for
contrast, what happens if sparsity were NOT changed (stale: the first mask kept).
"""
import numpy as np
import tensorflow as tf


class MaskedBackprop:
    def __init__(self):
        self.masks = {}
        self.traces = 0

    def update_masks(self, masks):
        self.masks = masks

    @tf.function
    def __call__(self, X, s):
        self.traces += 1
        return tf.reduce_sum(X * self.masks["dense"])


X = tf.ones((3,))
mb = MaskedBackprop()
# pattern of optimize_model: update masks, then train at the new sparsity
for target_sparsity, mask in [(0.1, np.array([1., 1., 1.], np.float32)),
                              (0.2, np.array([1., 1., 0.], np.float32)),
                              (0.3, np.array([1., 0., 0.], np.float32))]:
    mb.update_masks({"dense": mask})
    out = [float(mb(X, target_sparsity)) for _ in range(3)]
    print(f"sparsity={target_sparsity} expected={mask.sum()} got={out}")
print("traces (one per sparsity):", mb.traces)

mb2 = MaskedBackprop()
for mask in [np.array([1., 1., 1.], np.float32), np.array([1., 0., 0.], np.float32)]:
    mb2.update_masks({"dense": mask})
    print(f"same sparsity 0.1: expected={mask.sum()} got={float(mb2(X, 0.1))}")
