"""kdp 1.13.0 layers/distribution_aware_encoder_layer.py: HYB104 on `self._added_periodic_features = True` inside
add_periodic_features, the true branch of a tf.cond in DistributionAwareEncoder.call's graph-mode path.
The line's own comment says it "has no effect in graph mode, just for documentation".  tf.cond traces both
branches, so in graph mode the flag is set on every trace whatever the data; compute_output_shape reads it.
Check: non-periodic data through the layer in eager and in a tf.function; flag and compute_output_shape vs the
real output shape."""
import os, sys, importlib.util
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path[:0] = ["/work/corpus6/site/kdp", "/work/corpus6/site/deps"]
import numpy as np
import tensorflow as tf
import types
for name, path in (("kdp", "/work/corpus6/site/kdp/kdp"), ("kdp.layers", "/work/corpus6/site/kdp/kdp/layers")):
    m = types.ModuleType(name); m.__path__ = [path]; sys.modules[name] = m  # skip the package __init__s (pandas...)
import kdp.layers.distribution_aware_encoder_layer as dae
from loguru import logger
logger.remove()

x = tf.constant(np.random.default_rng(0).normal(size=(64, 1)), tf.float32)  # plainly normal, not periodic
for mode in ("eager", "tf.function"):
    layer = dae.DistributionAwareEncoder(detect_periodicity=True)
    fn = layer if mode == "eager" else tf.function(lambda t: layer(t, training=True))
    y = fn(x)
    y = fn(x)
    print(f"{mode:12s} output {tuple(y.shape)}  _added_periodic_features={layer._added_periodic_features}  "
          f"compute_output_shape={tuple(layer.compute_output_shape((64, 1)))}")

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   eager        output (64, 1)  _added_periodic_features=False  compute_output_shape=(64, 1)
#   tf.function  output (64, 1)  _added_periodic_features=True  compute_output_shape=(64, 3)
