"""Pattern of DeepMaskHead._get_conv_op_and_kwargs (deepmac_maskrcnn
instance_heads.py): a zero-argument builder run at layer-build time that
returns a Keras layer class and a kwargs dict of initializer objects; no
tensor work. What happens if it is decorated with tf.function?"""
import tensorflow as tf

CFG = {'use_separable_conv': False, 'num_filters': 8}


def get_conv_op_and_kwargs():
  conv_op = (tf.keras.layers.SeparableConv2D if CFG['use_separable_conv']
             else tf.keras.layers.Conv2D)
  kwargs = {'filters': CFG['num_filters'], 'kernel_size': 3, 'padding': 'same',
            'kernel_initializer': tf.keras.initializers.VarianceScaling(
                scale=2, mode='fan_out', distribution='untruncated_normal'),
            'bias_initializer': tf.zeros_initializer()}
  return conv_op, kwargs


op, kw = get_conv_op_and_kwargs()
print("eager  :", op.__name__, sorted(kw))
try:
  op, kw = tf.function(get_conv_op_and_kwargs)()
  print("tf.fn  :", op, type(kw.get('kernel_initializer')))
  layer = op(name='mask-conv_0', **kw)
  print("layer built from tf.function output:", type(layer).__name__)
except Exception as e:  # noqa
  print("tf.fn  : FAILS ->", type(e).__name__, str(e).splitlines()[0][:160])
