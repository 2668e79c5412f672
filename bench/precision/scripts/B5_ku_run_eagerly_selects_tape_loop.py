"""keras-unsupervised compiles its GAN sub-models and progressive models with run_eagerly=True
(ku/backprop/gan.py:217/229, ku/engine_ext/training.py:292/314). ModelExt.train_on_batch
(ku/engine_ext/training.py:116) takes its own eager loop (training_eager.train_on_batch) only when
`self.run_eagerly`; that loop puts a persistent GradientTape on `model.tape_handler`, which the
WGAN-GP / R1 penalty losses use, after `assert tf.executing_eagerly()` (ku/loss_ext/loss.py:124/146).

(The package itself imports tensorflow_core and cannot load on TF 2.21.) This mimics the design
with Keras 3: a model whose train_step exposes its tape, and a gradient-penalty loss that needs
eager execution. Prints for run_eagerly=True/False whether training works (expected: True works,
False fails), i.e. the switch is a requirement of the design, not a debug leftover.
"""
import numpy as np
import tensorflow as tf


class ModelExt(tf.keras.Model):
    tape_handler = None

    def train_step(self, data):
        x, y = data
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            self.tape_handler, self.assigned_inputs = tape, x
            y_pred = self(x, training=True)
            loss = gp_loss(y, y_pred, self)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}


def gp_loss(y_true, y_pred, model):
    assert tf.executing_eagerly() and model.tape_handler is not None   # as in ku/loss_ext/loss.py
    g = model.tape_handler.gradient(y_pred, model.assigned_inputs)
    return tf.reduce_mean((tf.norm(g, axis=-1) - 1.0) ** 2) + tf.reduce_mean(y_pred)


x = np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)
y = np.zeros((8, 1), np.float32)
for run_eagerly in (True, False):
    inp = tf.keras.Input((4,))
    m = ModelExt(inp, tf.keras.layers.Dense(1)(inp))
    m.compile(optimizer="sgd", run_eagerly=run_eagerly)
    try:
        m.fit(x, y, batch_size=4, epochs=1, verbose=0)
        print(f"run_eagerly={run_eagerly}: trains")
    except Exception as e:  # noqa: BLE001
        print(f"run_eagerly={run_eagerly}: FAILS: {type(e).__name__} {str(e).splitlines()[0][:100] if str(e) else ''}")
