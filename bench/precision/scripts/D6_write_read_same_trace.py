"""tftokenizers 0.1.x tokenizer.py (TFAutoTokenizer.tokenize writes self.max_length / self.padding from its Python
arguments, then truncate()/pad() read them in the same trace) and deepregressionensembles models.py
(RidgeEnsemble.train writes self.output_reg_dim / output_big_cov / init_dim from x's static shape, then
train_output_layer reads them in the same trace): HYB104 says the writes happen once per trace.  True, and
harmless: the value is a function of what keys the trace (a Python argument, a static shape), so every graph bakes
the value it needs.  Pattern, bodies trimmed: results equal the eager ones for every call."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf


class Tok(tf.Module):
    @tf.function
    def tokenize(self, ids, max_length=None):
        self.max_length = 4 if max_length is None else max_length  # write, keyed by the Python argument
        return self.truncate(ids)

    def truncate(self, ids):
        return ids[:, :self.max_length]                            # read in the same trace


class Ridge(tf.Module):
    @tf.function
    def train(self, x):
        self.output_reg_dim = min(x.shape[0], 6)                   # write, from the static shape
        return self.out(x)

    def out(self, x):
        return tf.reduce_sum(x[: self.output_reg_dim], axis=0)     # read in the same trace


t, r = Tok(), Ridge()
ids = tf.reshape(tf.range(20), [2, 10])
calls = [None, 8, None, 3, 8, None]
got = [t.tokenize(ids, m).shape[1] for m in calls]
want = [ids[:, : (4 if m is None else m)].shape[1] for m in calls]
print("tokenize widths graph", got, "eager", want, "| traces", t.tokenize.experimental_get_tracing_count())
xs = [tf.ones([n, 2]) for n in (3, 10, 3, 10)]
print("train graph", [r.train(x).numpy().tolist() for x in xs], "eager",
      [Ridge.train.python_function(r, x).numpy().tolist() for x in xs], "| traces", r.train.experimental_get_tracing_count())

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   tokenize widths graph [4, 8, 4, 3, 8, 4] eager [4, 8, 4, 3, 8, 4] | traces 3
#   train graph [[3.0, 3.0], [6.0, 6.0], [3.0, 3.0], [6.0, 6.0]] eager [[3.0, 3.0], [6.0, 6.0], [3.0, 3.0], [6.0, 6.0]] | traces 2
