"""neural-compressor static_quant/keras.py:399 `model.compile(run_eagerly=True)` before calibration
("run eagerly to fetch the numpy min/max"). The calibration layers park
`self.act_min_value = tf.math.reduce_min(inputs)` on themselves in `call`
(tensorflow/keras/layers/conv2d.py:110, dense.py:91) and `_calibrate` reads
`layer.act_min_value.numpy()` after each `predict_on_batch`.

This mimics it with one such layer and prints, for run_eagerly=True and False, whether the
calibration read-back works (expected: True -> min value printed; False -> error: the attribute
holds a symbolic tensor from the trace). So the switch is required, not a debug leftover.
"""
import numpy as np
import tensorflow as tf


class QDense(tf.keras.layers.Dense):
    def call(self, inputs):
        self.act_min_value = tf.math.reduce_min(inputs)
        self.act_max_value = tf.math.reduce_max(inputs)
        return super().call(inputs)


for run_eagerly in (True, False):
    model = tf.keras.Sequential([tf.keras.Input((4,)), QDense(3)])
    model.compile(run_eagerly=run_eagerly)
    mins = []
    try:
        for i in range(3):
            model.predict_on_batch(np.full((2, 4), -float(i), np.float32))
            mins.append(float(model.layers[0].act_min_value.numpy()))
        print(f"run_eagerly={run_eagerly}: calibration mins {mins}")
    except Exception as e:  # noqa: BLE001
        print(f"run_eagerly={run_eagerly}: FAILS: {type(e).__name__}: {str(e).splitlines()[0][:120]}")
