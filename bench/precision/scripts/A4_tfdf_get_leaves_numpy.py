"""Backs tensorflow-decision-forests keras/core_inference.py:825:26:HYB501 (false).

Mimics InferenceCoreModel.call_get_leaves / predict_get_leaves / _ensure_model_get_leaves_ready:
call_get_leaves (a tf.function) first does `assert len(self._models_get_leaves) == 1`, then
calls _ensure_model_get_leaves_ready, whose `.numpy()` sits under
`if self._models_get_leaves is None:`. Shows: (1) on the public route predict_get_leaves
builds the leaves model eagerly first, so the traced call never takes the `.numpy()` branch
and works; (2) a direct call before that fails on len(None) (TypeError) at the assert, before
the `.numpy()` line -- the failure the finding describes never happens.
"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf


class Model(tf.Module):
    def __init__(self):
        self._models_get_leaves = None
        self.numpy_in_graph = 0

    @tf.function(input_signature=[])
    def yggdrasil_model_path_tensor(self):
        return tf.constant("/tmp/model")

    def _ensure_model_get_leaves_ready(self):
        if self._models_get_leaves is None:
            path = self.yggdrasil_model_path_tensor()
            if not tf.executing_eagerly():
                self.numpy_in_graph += 1
            self._models_get_leaves = [path.numpy().decode("utf-8")]

    @tf.function(reduce_retracing=True)
    def call_get_leaves(self, x):
        assert len(self._models_get_leaves) == 1
        self._ensure_model_get_leaves_ready()
        return x * 2

    def predict_get_leaves(self, rows):
        self._ensure_model_get_leaves_ready()
        return tf.concat([self.call_get_leaves(r) for r in rows], 0).numpy()


m = Model()
print("predict_get_leaves:", m.predict_get_leaves([tf.ones([2]), tf.ones([2])]),
      "| .numpy() reached in graph:", m.numpy_in_graph)
fresh = Model()
try:
    fresh.call_get_leaves(tf.ones([2]))
except Exception as e:  # noqa: BLE001
    print("direct call on a fresh model:", type(e).__name__, str(e).splitlines()[0][:80],
          "| .numpy() reached in graph:", fresh.numpy_in_graph)
