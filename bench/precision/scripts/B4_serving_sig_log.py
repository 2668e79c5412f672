"""Backs the 20 tfx HYB102 findings (serve_tf_examples_fn / transform_features_fn
`logging.info('..._features = %s', features)` in input_signature serving signatures).

Shows: (1) the log line runs once, at trace/export time, and what it logs is the
symbolic structure (tensor names, shapes, dtypes), never values; (2) after
tf.saved_model.save / load, calling the exported signature never runs the Python
log line at all (serving has no Python), so "per-call logging" was never on offer:
the line is intended export-time structure logging.
"""
import os, tempfile, logging
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

records = []
class H(logging.Handler):
    def emit(self, r): records.append(r.getMessage())
log = logging.getLogger("b4"); log.addHandler(H()); log.setLevel(logging.INFO)

m = tf.Module()
m.w = tf.Variable(2.0)
spec = {"a": tf.io.FixedLenFeature([], tf.float32)}

@tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="examples")])
def serve(ser):
    feats = tf.io.parse_example(ser, spec)
    log.info("serve_transformed_features = %s", feats)
    return {"outputs": feats["a"] * m.w}

ex = tf.train.Example(features=tf.train.Features(feature={
    "a": tf.train.Feature(float_list=tf.train.FloatList(value=[3.0]))})).SerializeToString()
for _ in range(3):
    serve(tf.constant([ex]))
print("eager-side calls: 3, log lines:", len(records))
print("logged text:", records[0])
d = tempfile.mkdtemp()
tf.saved_model.save(m, d, signatures={"serving_default": serve})
n = len(records)
loaded = tf.saved_model.load(d)
f = loaded.signatures["serving_default"]
for _ in range(3):
    out = f(examples=tf.constant([ex]))
print("loaded-signature calls: 3, new log lines:", len(records) - n, "output:", out["outputs"].numpy())
