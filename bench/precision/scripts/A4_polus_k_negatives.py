"""Backs polus/polus/training.py:157:26:HYB110 (no-value).

polus' EfficientDenseRetrievalTrainer.forward_without_grads sets
`self.k_negatives = negative_doc["input_ids"].shape[1]` while BaseTrainer.train_step
(a plain @tf.function) traces. Shows: (1) the outer train_step retraces for every new
static shape, so the trace-time write always holds the shape of the concrete function
being run -- nothing per call is lost for train_step itself; (2) the separate hazard is
that the nested tf.function with an input_signature traces only once and keeps the first
k_negatives (range(self.k_negatives) frozen), which the finding does not describe.
"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf


class Trainer(tf.Module):
    def __init__(self):
        self.k_negatives = 0
        self.seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def inner(self, neg):
        return tf.stack([neg[:, i] for i in range(self.k_negatives)], axis=0)

    def forward_without_grads(self, neg):
        self.k_negatives = neg.shape[1]
        return self.inner(neg)

    @tf.function
    def train_step(self, neg):
        out = self.forward_without_grads(neg)
        self.seen.append(self.k_negatives)
        return tf.shape(out)[0]


t = Trainer()
for k in (2, 2, 3, 3):
    r = int(t.train_step(tf.ones([4, k])))
    print(f"k={k} attr={t.k_negatives} rows used by inner={r}")
print("outer traces saw k_negatives =", t.seen)
