"""Pattern of official/vision/ops/augment.py: NAME_TO_FUNC dispatch inspects
the op's argspec (`'bboxes' in inspect.getfullargspec(func)[0]`, and
`_apply_func_with_prob` asserts `getfullargspec(func)[0][1] == 'bboxes'`).
Does decorating the ops with tf.function keep that working, and what does
decorating `_apply_func_with_prob` itself cost when policies are rebuilt
(new bbox_wrapper closures) on every distort() call?"""
import inspect
import tensorflow as tf


def translate_y_only_bboxes(image: tf.Tensor, bboxes: tf.Tensor, prob: float,
                            pixels: int, replace):
  return image + tf.cast(pixels, image.dtype) * prob, bboxes


def color(image: tf.Tensor, factor: float) -> tf.Tensor:
  g = tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(image))
  return g + factor * (image - g)


dec_tyob = tf.function(translate_y_only_bboxes)
dec_color = tf.function(color)
print("argspec plain  :", inspect.getfullargspec(translate_y_only_bboxes)[0])
print("argspec tf.fn  :", inspect.getfullargspec(dec_tyob)[0])
print("color tf.fn    :", inspect.getfullargspec(dec_color)[0])


def bbox_wrapper(func):
  def wrapper(images, bboxes, *args, **kwargs):
    return (func(images, *args, **kwargs), bboxes)
  return wrapper


TRACES = [0]


@tf.function
def _apply_func_with_prob(func, image, bboxes, args, prob):
  TRACES[0] += 1
  assert inspect.getfullargspec(func)[0][1] == 'bboxes'
  should = tf.cast(tf.floor(tf.random.uniform([]) + prob), tf.bool)
  return tf.cond(should, lambda: func(image, bboxes, *args),
                 lambda: (image, bboxes))


def make_policies():  # rebuilt on every distort() call, as in augment.py
  return [(bbox_wrapper(color), 0.6, (1.2,)), (bbox_wrapper(color), 0.4, (0.8,))]


def distort(image):
  for func, prob, args in make_policies():
    image, _ = _apply_func_with_prob(func, image, tf.zeros([1, 4]), args, prob)
  return image


img = tf.random.uniform([8, 8, 3])
for _ in range(6):
  distort(img)
print("decorated _apply_func_with_prob: 12 calls ->", TRACES[0], "traces")
