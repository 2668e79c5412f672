"""Sample project for the pytest plugin's verify tests: two HYB301 proposals, one the tests refute.

`score_step` reaches `SCORER.reduce` through an object whose class is chosen by a dictionary lookup at run
time; the static analysis cannot see that it is `NumpyScorer`, whose `.numpy()` fails in a graph.
"""

import tensorflow as tf

w = tf.Variable([[1.0], [2.0]])


def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    grad = tape.gradient(loss, [w])
    w.assign_sub(0.1 * grad[0])
    return loss


def fit(batches):
    losses = []
    for x, y in batches:
        losses.append(train_step(x, y))
    return losses


class Scorer:
    def reduce(self, t):
        return tf.reduce_sum(t)


class NumpyScorer(Scorer):
    def reduce(self, t):
        return float(t.numpy().sum())


def make_scorer(kind):
    return {"tf": Scorer, "np": NumpyScorer}[kind]()


SCORER = make_scorer("np")


def score_step(x):
    h = tf.tanh(tf.matmul(x, w) * 2.0 + 1.0)
    h = tf.nn.relu(h - tf.reduce_mean(h)) * tf.sigmoid(h)
    h = tf.square(h) + tf.exp(-h)
    return SCORER.reduce(h)


def score_all(batches):
    scores = []
    for x, _ in batches:
        scores.append(score_step(x))
    return scores


def make_batches(count):
    return [(tf.ones((4, 2)) * i, tf.ones((4, 1))) for i in range(count)]


def main():
    fit(make_batches(20))
    score_all(make_batches(20))


if __name__ == "__main__":
    main()
