"""corpus3 (xl-tensorflow tfrecord.py:270/334/377, HYB110): `tf_image_augmentation` draws its gamma,
rotation angle and zoom with Python's `random.uniform`; called from a `dataset.map` parse function, it
runs once while tf.data traces the function, so every image of every epoch gets the same "random" value."""
import random

import tensorflow as tf


def tf_image_augmentation(image, adjust_gamma=(0.5, 1.5)):
    gamma = random.uniform(*adjust_gamma)
    return tf.image.adjust_gamma(image, gamma)


def parse_map_function(x):
    return tf_image_augmentation(tf.fill([2, 2, 3], x))


dataset = tf.data.Dataset.from_tensor_slices([0.5] * 8).map(parse_map_function)
gammas = {round(float(tf.math.log(tf.reduce_mean(img)) / tf.math.log(0.5)), 4) for _ in range(3) for img in dataset}
print("distinct gammas over 3 epochs x 8 images:", gammas)
assert len(gammas) == 1
