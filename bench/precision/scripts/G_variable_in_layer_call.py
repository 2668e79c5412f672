"""corpus3 (imageai Detection/Custom/__init__.py:21, HYB303): imageai's training module switches every
tf.function of the process to eager at import. Its YOLO loss layer creates `tf.Variable(0.)` on every
`call` (`batch_seen`); in graph mode that fails as soon as Keras traces the train step, so the switch is
what makes training run: removing it, as HYB303 advises, breaks imageai's trainer."""

import tensorflow as tf


class YoloLoss(tf.keras.layers.Layer):
    def call(self, x):
        batch_seen = tf.Variable(0.)  # as imageai's YoloLayer.call does
        return tf.reduce_sum(x, axis=-1, keepdims=True) + batch_seen


def train(eager):
    tf.config.run_functions_eagerly(eager)
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(inputs, YoloLoss()(tf.keras.layers.Dense(4)(inputs)))
    model.compile(optimizer="sgd", loss=lambda y_true, y_pred: tf.reduce_mean(y_pred))
    model.fit(tf.ones([8, 3]), tf.zeros([8, 1]), epochs=2, verbose=0)


for eager in (True, False):
    try:
        train(eager)
        print(f"run_functions_eagerly({eager}): trains")
    except Exception as error:  # noqa: BLE001
        print(f"run_functions_eagerly({eager}): {type(error).__name__}: {str(error).splitlines()[0][:160]}")
