"""Skip-gram word2vec with negative sampling as a Keras `Model` subclass, after tensorflow.org's "word2vec" tutorial (custom loop).

The tutorial's `Word2Vec(tf.keras.Model)`: a target and a context `Embedding`, `call((target, context))`
scoring a target against its true context and four negative samples with `tf.einsum`. Instead of
`model.fit`, a custom loop: `train_step(target, context, label)` under a tape (the model builds its
embeddings on the first call, inside it), and `nearest(words)` - cosine similarities of a few words to the
whole vocabulary, after aymericdamien's word2vec `evaluate` - at every display step. The corpus is
synthetic: sentences walk a ring of 120 "words" in small steps, so neighbours on the ring co-occur.
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.keras import layers  # noqa: E402

tf.keras.utils.set_random_seed(0)
tf.config.experimental.enable_op_determinism()
# Grappler's arithmetic optimizer rewrites graph arithmetic into forms that round differently from the
# eager ops, so graph results would differ from eager ones in the last bits.
tf.config.optimizer.set_experimental_options({"arithmetic_optimization": False})
# tf.data's autotuner makes deleting an iterator wait for the autotuner's next wake-up (doubling
# intervals after the pipeline starts): in loops this short, that stall would dominate the timings.
DATA_OPTIONS = tf.data.Options()
DATA_OPTIONS.autotune.enabled = False

vocab_size = 120
embedding_dim = 16
window_size = 2
num_ns = 4
BATCH_SIZE = 128
STEPS = 200
DISPLAY_STEP = 50

# Skip-gram pairs with negative samples, prepared in NumPy as the tutorial's `generate_training_data` does.
rng = np.random.RandomState(33)
sentences = np.cumsum(rng.randint(-2, 3, size=(400, 12)), axis=1) % vocab_size
targets, contexts, labels = [], [], []
for sentence in sentences:
    for i, word in enumerate(sentence):
        for j in range(max(0, i - window_size), min(len(sentence), i + window_size + 1)):
            if i != j:
                negatives = rng.randint(vocab_size, size=num_ns)
                targets.append(word)
                contexts.append(np.concatenate([[sentence[j]], negatives]))
                labels.append([1] + [0] * num_ns)
targets = np.array(targets, dtype=np.int64)
contexts = np.array(contexts, dtype=np.int64)
labels = np.array(labels, dtype=np.float32)

dataset = tf.data.Dataset.from_tensor_slices(((targets, contexts), labels))
dataset = dataset.shuffle(len(targets), seed=34).batch(BATCH_SIZE, drop_remainder=True).repeat()
dataset = dataset.with_options(DATA_OPTIONS)


class Word2Vec(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim):
        super(Word2Vec, self).__init__()
        self.target_embedding = layers.Embedding(vocab_size, embedding_dim, name="w2v_embedding")
        self.context_embedding = layers.Embedding(vocab_size, embedding_dim)

    def call(self, pair):
        target, context = pair
        # target: (batch, dummy?)  # The dummy axis doesn't exist in TF2.7+
        # context: (batch, context)
        if len(target.shape) == 2:
            target = tf.squeeze(target, axis=1)
        # target: (batch,)
        word_emb = self.target_embedding(target)
        # word_emb: (batch, embed)
        context_emb = self.context_embedding(context)
        # context_emb: (batch, context, embed)
        dots = tf.einsum("be,bce->bc", word_emb, context_emb)
        # dots: (batch, context)
        return dots


word2vec = Word2Vec(vocab_size, embedding_dim)
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)
loss_object = tf.keras.losses.CategoricalCrossentropy(from_logits=True)


def train_step(target, context, label):
    with tf.GradientTape() as tape:
        dots = word2vec((target, context))
        loss = loss_object(label, dots)
    gradients = tape.gradient(loss, word2vec.trainable_variables)
    optimizer.apply_gradients(zip(gradients, word2vec.trainable_variables))
    return loss


def nearest(words):
    # Cosine similarity between the words' embeddings and every embedding.
    embeddings = word2vec.target_embedding.embeddings
    normalized = embeddings / tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
    similarity = tf.matmul(tf.gather(normalized, words), normalized, transpose_b=True)
    return tf.math.top_k(similarity, k=5)


def tracing_count(function):
    """How many times `function` was traced; 0 when it is a plain (eager) Python function."""
    get_count = getattr(function, "experimental_get_tracing_count", None)
    return get_count() if get_count is not None else 0


def main():
    eval_words = tf.constant([0, 30, 60, 90], dtype=tf.int64)
    log = []
    start = time.perf_counter()
    for step, ((target, context), label) in enumerate(dataset.take(STEPS), 1):
        loss = train_step(target, context, label)
        if step % DISPLAY_STEP == 0:
            top = nearest(eval_words)
            log.append([step, float(loss), top.indices.numpy().tolist(), top.values.numpy().ravel().tolist()])
    seconds = time.perf_counter() - start
    print(json.dumps({
        "result": {"log": log, "embedding_sums": [float(tf.reduce_sum(v)) for v in word2vec.trainable_variables],
                   "embedding_0": word2vec.target_embedding.embeddings[0].numpy().tolist()},
        "trace_counts": {"train_step": tracing_count(train_step), "nearest": tracing_count(nearest),
                         "Word2Vec.call": tracing_count(word2vec.call)},
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
