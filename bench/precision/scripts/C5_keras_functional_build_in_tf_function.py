"""Shows that Keras functional-model *construction* helpers (like deep-rec-kit's
build_feature_embeddings / build_embeddings, which create keras.Input and layers and
apply them to symbolic inputs) cannot usefully be wrapped in @tf.function.

Prints: the eager (plain Python) build works and gives a keras.Model; the same builder
under @tf.function fails (prints the exception type and first line), and the builder
is called only a handful of times per model build (once per embedding group), not per step.
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

CALLS = {"n": 0}

def build_feature_embeddings(names, prefix):
    CALLS["n"] += 1
    inputs = {prefix + n: tf.keras.Input(shape=(), name=prefix + n, dtype="int32") for n in names}
    embs = [tf.keras.layers.Embedding(10, 4, name=prefix + "emb_" + n)(inputs[prefix + n]) for n in names]
    return inputs, tf.keras.layers.Concatenate(axis=-1)(embs)

# plain Python: a loop over 2 groups at model build time
all_inputs, outs = {}, []
for i in range(2):
    inp, out = build_feature_embeddings(["uid", "item"], f"g{i}_")
    all_inputs.update(inp); outs.append(out)
model = tf.keras.Model(all_inputs, tf.keras.layers.Concatenate()(outs))
print("eager build ok:", type(model).__name__, "builder calls:", CALLS["n"])

graph_builder = tf.function(build_feature_embeddings)
try:
    graph_builder(["uid", "item"], "g9_")
    print("tf.function build: no error")
except Exception as e:  # noqa
    print("tf.function build fails:", type(e).__name__, str(e).splitlines()[0][:150])
