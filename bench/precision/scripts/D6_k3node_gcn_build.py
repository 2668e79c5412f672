"""k3-node 1.0.0 loader/test_keras_dataset.py: HYB110 says SmallGCN.call -> GCNConv.call -> GCNConv.build
(`self.bias = self.add_weight(...)`) is a Python side effect that runs once per trace under Keras fit.
Building a layer's weights once is the intended Keras behaviour; here Keras' Layer.__call__ has already built the
layer before call, so call's `if not self.built: self.build(...)` branch does not even run.  Count build calls
from inside call vs from Keras, fit the test's model, and compare weights count."""
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["KERAS_BACKEND"] = "tensorflow"
sys.path[:0] = ["/work/corpus6/site/k3node"]
import traceback, types
base = "/work/corpus6/site/k3node/k3_node"
for name, path in (("k3_node", base), ("k3_node.layers", base + "/layers"), ("k3_node.layers.conv", base + "/layers/conv")):
    m = types.ModuleType(name); m.__path__ = [path]; sys.modules[name] = m  # skip package __init__s (scipy, sympy)
import numpy as np
import keras
from k3_node.layers.conv.gcn_conv import GCNConv

builds = []
orig_build = GCNConv.build
def counting_build(self, input_shape):
    caller = traceback.extract_stack()[-2].name
    builds.append(caller)
    return orig_build(self, input_shape)
GCNConv.build = counting_build


class SmallGCN(keras.Model):  # as in the test file
    def __init__(self):
        super().__init__()
        self.conv = GCNConv(3, 3)

    def call(self, inputs):
        x, ei = inputs
        return self.conv(x, ei)


rng = np.random.default_rng(0)
x = rng.standard_normal((30, 3)).astype("float32")
ei = rng.integers(0, 30, (2, 90)).astype("int32")
y = rng.integers(0, 3, 30)
m = SmallGCN()
m.compile(keras.optimizers.Adam(0.05), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
xs, eis = np.stack([x] * 4), np.stack([ei] * 4)
for step in range(3):
    loss = m.train_on_batch((x, ei), y)
print("build calls (caller):", builds, "| weights:", [w.path for w in m.weights], "| loss", round(float(loss), 4))

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   build calls (caller): ['build_wrapper'] | weights: ['small_gcn/gcn_conv/bias', 'small_gcn/gcn_conv/dense/kernel'] | loss 1.21
