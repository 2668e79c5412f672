"""A small TF2 training script with typical graph-mode mistakes."""

import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.SGD(0.01)


@tf.function(experimental_relax_shapes=True)
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    print("loss:", loss)  # runs once, while tracing
    return loss


def main():
    x = tf.random.normal((64, 3))
    y = tf.reduce_sum(x, axis=1, keepdims=True)
    for _ in range(10):
        train_step(x, y)


if __name__ == "__main__":
    main()
