"""Per-level loss helpers (tf-models detection RpnScoreLoss._rpn_score_loss, RetinanetClassLoss.class_loss, ...)
run inside the executor's @tf.function train_step. Decorating the helper too: no speedup (it is
inlined into the already-compiled step) and one trace per pyramid level (each level has its own shape)."""
import timeit
import tensorflow as tf

def level_loss(outputs, targets, normalizer=1.0):
    mask = tf.cast(tf.not_equal(targets, 0.0), tf.float32)
    d = tf.abs(tf.expand_dims(outputs, -1) - tf.expand_dims(targets, -1))
    l = tf.where(d < 0.1, 0.5 * d * d / 0.1, d - 0.05)
    return tf.reduce_sum(l * tf.expand_dims(mask, -1)) / (normalizer * (tf.reduce_sum(mask) + 0.01))

hyb_helper = tf.function(level_loss)
levels = {l: (tf.random.uniform([2, 2 ** (8 - l), 2 ** (8 - l), 12]),
              tf.random.uniform([2, 2 ** (8 - l), 2 ** (8 - l), 12])) for l in range(3, 8)}

def make_step(helper):
    @tf.function
    def train_step():
        return tf.add_n([helper(o, t) for o, t in levels.values()])
    return train_step

plain, nested = make_step(level_loss), make_step(hyb_helper)
plain(); nested()
n = 200
tp = min(timeit.repeat(plain, number=n, repeat=5)) / n * 1e6
tn = min(timeit.repeat(nested, number=n, repeat=5)) / n * 1e6
print(f"step with eager-written helper {tp:.0f} us, with @tf.function helper {tn:.0f} us ({tp/tn:.2f}x)")
print("traces of decorated helper (5 levels):", hyb_helper.experimental_get_tracing_count())
