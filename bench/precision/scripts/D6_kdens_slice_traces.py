"""kdeepensemble 0.3.2 kdens/kdens.py: HYB201 x4 on `_model_slice_inputs(x, i)` (a @tf.function) called with
i in range(self.nmodels) from DeepEnsemble.train_step / test_step / full_call, and HYB503 on its recursion over a
tuple of inputs.  Run the real DeepEnsemble (tf_keras, as the package targets) with nmodels=5: traces of
_model_slice_inputs after fit + evaluate + eager calls; the recursive call on a tuple input."""
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"
sys.path[:0] = ["/work/corpus6/site/kdens", "/work/corpus6/site/deps"]
import numpy as np
import tensorflow as tf
import kdens
from kdens import kdens as K

def build():
    return tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(2, activation="softplus")])

rng = np.random.default_rng(0)
x = rng.normal(size=(256, 5, 4)).astype("float32")  # [batch, nmodels, features], as the package's resample() gives
y = x[:, 0, :].sum(-1, keepdims=True).astype("float32")
m = K.DeepEnsemble(build, nmodels=5)
m.compile(loss=K.neg_ll, optimizer="adam")
m.fit(x, y, epochs=4, batch_size=32, verbose=0)
print("after fit (4 epochs x 8 steps):", K._model_slice_inputs.experimental_get_tracing_count(), "traces")
m.evaluate(x, y, verbose=0)
print("after evaluate:", K._model_slice_inputs.experimental_get_tracing_count())
for _ in range(20):
    m.full_call(tf.constant(x[:32]))  # eager full_call, 20 times
print("after 20 eager full_call (5 slices each):", K._model_slice_inputs.experimental_get_tracing_count())
a, b = tf.ones([3, 5, 2]), tf.zeros([3, 5])
out = K._model_slice_inputs((a, b), 2)
print("recursive call on a tuple works:", [tuple(t.shape) for t in out])

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   after fit (4 epochs x 8 steps): 5 traces
#   after evaluate: 5
#   after 20 eager full_call (5 slices each): 5
#   recursive call on a tuple works: [(3, 2), (3,)]
