"""auto-tensorflow tfa.py:432 pattern: a Dataset.map function `feature_engg` writes
`self._label_vocab = feats['categorical_values']` (a Python list taken from a static config);
the attribute is only read later in Python (call_wit -> set_label_vocab).

Prints: the attribute right after `dataset.map(...)` (already set: tracing happens at map()
time), how many times the write ran after iterating 3 epochs (1 = once per trace), and that
the value equals the config list -- the write is trace-invariant, so running it once is all
the code needs; a tf.Variable (the rule's advice) would be pointless for a list of labels.
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

CONFIG = {"data_schema": [{"feature": "y", "Type": "CATEGORICAL", "categorical_values": ["cat", "dog"]}]}


class AutoModel:
    def __init__(self):
        self._label_vocab = []
        self.writes = 0

    def make_input_fn(self):
        def feature_engg(features, label):
            for feats in CONFIG["data_schema"]:
                if feats["Type"] == "CATEGORICAL":
                    self._label_vocab = feats["categorical_values"]
                    self.writes += 1
                    label = tf.strings.to_number(tf.strings.regex_replace(label, "cat", "0"), tf.int32)
            return features, label

        ds = tf.data.Dataset.from_tensor_slices(({"x": [1.0, 2.0, 3.0]}, ["cat", "0", "cat"]))
        ds = ds.map(feature_engg)
        print("after map(): _label_vocab =", self._label_vocab)
        return ds


m = AutoModel()
ds = m.make_input_fn()
for _ in range(3):
    for _ in ds:
        pass
print("writes after 3 epochs (9 elements):", m.writes, "| _label_vocab:", m._label_vocab,
      "| equals config:", m._label_vocab == CONFIG["data_schema"][0]["categorical_values"])
