"""Pattern of official/nlp/modeling/ops/sampling_module.py: with
padded_decode=False, `generate` runs a tf.while_loop whose state
(alive/finished sequences) grows by one column per step. Run eagerly, the
loop body calls `_get_new_finished_state(state, new_seq, ...)` once per step
with a new shape each time. Count traces if that helper is decorated."""
import tensorflow as tf

TRACES = [0]


@tf.function
def get_new_finished_state(finished_seq, new_seq, new_flags, batch_size):
  TRACES[0] += 1
  finished_seq = tf.concat([finished_seq, tf.zeros([batch_size, 1], tf.int32)], -1)
  return finished_seq + new_seq * tf.cast(new_flags, tf.int32)


def decode(steps=8, batch=2):
  b = tf.shape(tf.zeros([batch, 1]))[0]
  def cond(i, alive, fin):
    return i < steps
  def body(i, alive, fin):
    alive = tf.concat([alive, tf.ones([batch, 1], tf.int32)], -1)
    fin = get_new_finished_state(fin, alive, tf.zeros([batch, 1], tf.bool), b)
    return i + 1, alive, fin
  return tf.while_loop(cond, body, [tf.constant(0), tf.zeros([batch, 1], tf.int32),
                                    tf.zeros([batch, 1], tf.int32)],
                       shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, None]),
                                         tf.TensorShape([None, None])])


decode()
print("eager generate, 8 decoding steps ->", TRACES[0], "traces of the decorated helper")
TRACES[0] = 0
tf.function(decode)()
print("generate under tf.function      ->", TRACES[0], "trace(s) (helper already graph code)")
