"""Tiny helpers flagged by HYB302 (e.g. WOD2dDetectionEvaluator._remove_padding,
centernet flatten_spatial_dimensions): time per call eager vs decorated, and
inside an outer tf.function (the framework's train/eval step) where the
decoration changes nothing."""
import time
import tensorflow as tf


def remove_padding(tensor_dict, num_valid):
  out = {}
  idx = tf.range(num_valid)
  for k, v in tensor_dict.items():
    out[k] = tf.tile([v], [num_valid]) if 'frame_id' in k else tf.gather(v, idx)
  return out


def flatten_spatial_dimensions(x):
  b, h, w, c = x.shape
  return tf.reshape(x, [b, h * w, c])


def bench(f, *a, n=300):
  f(*a)
  t = time.perf_counter()
  for _ in range(n):
    f(*a)
  return (time.perf_counter() - t) / n * 1e6


d = {'frame_id': tf.constant(7, tf.int64), 'bbox': tf.random.uniform([100, 4]),
     'type': tf.zeros([100], tf.uint8), 'score': tf.random.uniform([100])}
nv = tf.constant(37)
x = tf.random.uniform([4, 32, 32, 8])
for name, f, args in [('remove_padding', remove_padding, (d, nv)),
                      ('flatten_spatial_dimensions', flatten_spatial_dimensions, (x,))]:
  e = bench(f, *args)
  g = bench(tf.function(f), *args)
  print(f"{name:28s} eager {e:7.1f} us/call   tf.function {g:7.1f} us/call   ratio {e/g:4.2f}x")

# inside an outer graph (orbit train_step / tf.data map), decoration is inlined
plain = tf.function(lambda x: flatten_spatial_dimensions(x) * 2.0)
dec_inner = tf.function(flatten_spatial_dimensions)
nested = tf.function(lambda x: dec_inner(x) * 2.0)
print(f"outer graph, helper plain     {bench(plain, x):7.1f} us/call")
print(f"outer graph, helper decorated {bench(nested, x):7.1f} us/call")
