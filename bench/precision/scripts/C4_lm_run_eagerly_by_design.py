"""Backs tf-levenberg-marquardt/tf_levenberg_marquardt/model.py:47:13:HYB303, :74:31:HYB501,
:76:21:HYB501 and :89:9:HYB104.
ModelWrapper overrides compile() and always passes run_eagerly=True to keras.Model.compile; its
train_step calls .numpy() and sets self.stop_training, and the Trainer it calls relies on eager
try/except around the linear solve. So train_step never runs as a graph under fit: .numpy() works and
stop_training is set on every step. Shows: with the wrapper's compile, fit runs train_step eagerly
(numpy works, stop_training honoured after step 3); remove run_eagerly=True (what HYB303 suggests)
and fit fails on .numpy()."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import numpy as np
import tensorflow as tf
import keras

class Wrapper(keras.Model):
    def __init__(self, model, eager=True):
        super().__init__()
        self.model, self.eager, self.steps = model, eager, 0
    def call(self, x, training=None):
        return self.model(x, training=training)
    def compile(self, **kw):
        super().compile(optimizer="sgd", loss="mse", run_eagerly=self.eager)
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        g = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(g, self.trainable_variables))
        self.steps += 1
        logs = {"loss": loss.numpy().item()}  # like model.py:76
        self.stop_training = self.steps >= 3  # like model.py:89
        return logs

x = np.random.rand(64, 3).astype("float32"); y = x.sum(1, keepdims=True)
for eager in (True, False):
    m = Wrapper(keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]), eager)
    m.compile()
    try:
        m.fit(x, y, batch_size=8, epochs=5, verbose=0)
        print(f"run_eagerly={eager}: fit OK, train_step ran {m.steps} times (stop_training honoured)")
    except Exception as e:
        print(f"run_eagerly={eager}: fit FAILS: {type(e).__name__}: {str(e).splitlines()[0][:120]}")
