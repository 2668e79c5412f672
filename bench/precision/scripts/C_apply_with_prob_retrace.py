"""tf-models augment._apply_func_with_prob(func, image, args, prob): func is a Python callable,
prob a Python float and args a tuple of Python values from the policy table. Decorated, every
distinct (func, prob, args) is a new trace; AutoAugment.distort calls it once per policy op,
inside a tf.cond branch that runs inside dataset.map -> graph code already."""
import tensorflow as tf

def color(image, factor):
    return tf.cast(tf.clip_by_value(tf.cast(image, tf.float32) * factor, 0, 255), tf.uint8)
def solarize(image, threshold=128):
    return tf.where(image < threshold, image, 255 - image)
def posterize(image, bits):
    return tf.bitwise.left_shift(tf.bitwise.right_shift(image, 8 - bits), 8 - bits)

def _apply_func_with_prob(func, image, args, prob):
    assert isinstance(args, tuple)
    should = tf.cast(tf.floor(tf.random.uniform([], dtype=tf.float32) + prob), tf.bool)
    return tf.cond(should, lambda: func(image, *args), lambda: image)

hyb = tf.function(_apply_func_with_prob)
# a small slice of AutoAugment policy_v0 after _parse_policy_info: (func, prob, args)
policy = [(color, 0.4, (1.72,)), (solarize, 0.8, (76,)), (color, 0.6, (0.28,)),
          (posterize, 0.4, (2,)), (solarize, 0.6, (204,)), (color, 0.8, (1.18,))]

def distort(image):
    for func, prob, args in policy:
        image = hyb(func, image, args, prob)
    return image

ds = tf.data.Dataset.from_tensors(tf.zeros([8, 8, 3], tf.uint8)).repeat(20).map(distort)
for _ in ds:
    pass
print("calls per image:", len(policy), "| images:", 20,
      "| traces of decorated _apply_func_with_prob:", hyb.experimental_get_tracing_count())
