"""Classes of wrong HYB301/HYB302 suggestions met on real packages (bench/precision/false-classes.md, the
corpus3 round): each has a negative case (no longer suggested) and a positive one (a true suggestion
outside the pattern, still made), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

HYB3 = 'select = ["HYB3"]\nextend-select = ["HYB302"]\n'

# -- F25: a function a tf.function cannot run: it builds and returns an object -------------------------

NODE_BUILDER = """
import tensorflow as tf


class Node:
    def __init__(self, name):
        self.name = name
        self.scale = None


def build_node(source):
    node = Node(source.name + "_acc")
    node.scale = tf.reduce_sum(tf.stack([tf.sqrt(tf.abs(source.value)), tf.exp(source.value),
                                         tf.sin(source.value), tf.cos(source.value)]) * 2.0 + 1.0)
    return node


def main(sources):
    for _ in range(100):
        nodes = [build_node(s) for s in sources]
    return nodes


if __name__ == "__main__":
    main([])
"""


def test_a_builder_returning_the_object_it_made_is_not_suggested(tmp_path):
    # `node = Node(...); ...; return node`: a tf.function may return only tensors (TypeError at the first call).
    assert lint(tmp_path, {"build.py": NODE_BUILDER}, HYB3) == set()


def test_a_builder_returning_what_it_computed_is_still_suggested(tmp_path):
    computed = NODE_BUILDER.replace("    return node\n", "    return node.scale\n")
    assert lint(tmp_path, {"build.py": computed}, HYB3) == {("build.py", 10, "HYB301")}


CRITIC_STEP = """
import numpy as np
import tensorflow as tf


class Learner:
    def __init__(self):
        self.critic = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        self.opt = tf.keras.optimizers.SGD(0.1)

    def c_train(self, target, s):
        target = np.array(target, dtype=np.float32)
        with tf.GradientTape() as tape:
            v = self.critic(s)
            loss = tf.reduce_mean(tf.square(target - v)) + tf.reduce_sum(tf.abs(v)) * 0.1
        grads = tape.gradient(loss, self.critic.trainable_weights)
        self.opt.apply_gradients(zip(grads, self.critic.trainable_weights))

    def learn(self, batches):
        for r, s in batches:
            self.c_train(r, s)


if __name__ == "__main__":
    Learner().learn([])
"""


def test_numpy_on_a_parameter_nothing_is_known_of_is_not_suggested(tmp_path):
    # The batches are NumPy arrays or tensors: traced, `np.array` of one fails (symbolic tensor).
    assert lint(tmp_path, {"learner.py": CRITIC_STEP}, HYB3) == set()


def test_the_same_step_converting_with_tensorflow_is_still_suggested(tmp_path):
    converted = CRITIC_STEP.replace("np.array(target, dtype=np.float32)", "tf.convert_to_tensor(target, tf.float32)")
    assert lint(tmp_path, {"learner.py": converted}, HYB3) == {("learner.py", 10, "HYB301")}


# -- F19: a method of an object whose class the analysis cannot resolve may have side effects ----------

REPLAY_LEARNER = """
import tensorflow as tf
from agents import *


class Learner:
    def __init__(self, batch_size=32):
        self.model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        self.optimizer = tf.keras.optimizers.SGD(0.01)
        self.replay_buffer = ReplayBuffer(batch_size=batch_size)

    def learn(self):
        states, targets = self.replay_buffer.sample()
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((self.model(states) - targets) ** 2) + tf.reduce_sum(tf.abs(targets))
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))

    def train(self, steps):
        for _ in range(steps):
            self.learn()
"""


def test_a_method_of_an_object_of_an_unresolved_class_is_not_taken_as_pure(tmp_path):
    # `ReplayBuffer` comes from nowhere the analysis sees: `sample()` may draw with NumPy (frozen in a graph).
    assert lint(tmp_path, {"learner.py": REPLAY_LEARNER}, HYB3) == set()


def test_calling_an_object_of_an_unresolved_class_is_still_a_forward_pass(tmp_path):
    # `self.model(states)` on a model of an unresolved class: a forward pass, as for a Keras model.
    called = REPLAY_LEARNER.replace("tf.keras.Sequential([tf.keras.layers.Dense(2)])", "Actor()") \
        .replace("self.replay_buffer = ReplayBuffer(batch_size=batch_size)", "self.batch_size = batch_size") \
        .replace("self.replay_buffer.sample()", "tf.ones([4, 3]), tf.ones([4, 2])")
    assert lint(tmp_path, {"learner.py": called}, HYB3) == {("learner.py", 11, "HYB302")}


# -- F18: code that is not TensorFlow, reaching it only through what it calls ---------------------------

TF_BACKEND = """
import tensorflow as tf


def evolve(state):
    for _ in range(4):
        state = tf.sin(state) * 2.0 + tf.cos(state) - tf.sqrt(tf.abs(state)) + tf.exp(-state)
    return state
"""

DISPATCHING_CIRCUIT = """
from backends import numpy_backend, tf_backend


def simulate(state):
    return tf_backend.evolve(state)


def run(state, steps):
    for _ in range(steps):
        state = simulate(state)
    return state
"""


def test_a_module_without_tensorflow_dispatching_to_a_backend_is_not_suggested(tmp_path):
    files = {"backends/__init__.py": "", "backends/tf_backend.py": TF_BACKEND,
             "backends/numpy_backend.py": TF_BACKEND.replace("import tensorflow as tf", "import numpy as tf"),
             "circuit.py": DISPATCHING_CIRCUIT}
    assert not {key for key in lint(tmp_path, files, HYB3) if key[0] == "circuit.py"}


def test_a_tensorflow_module_calling_its_helpers_is_still_suggested(tmp_path):
    files = {"backends/__init__.py": "", "backends/tf_backend.py": TF_BACKEND,
             "circuit.py": "import tensorflow as tf\n" + DISPATCHING_CIRCUIT}
    assert ("circuit.py", 6, "HYB302") in lint(tmp_path, files, HYB3)


# -- F22/N3: a barren tf.function passed as a value: callers unknown, graph consumers inline it --------

DEHYBRIDIZE = 'select = ["HYB4"]\n'

PASSED_AS_VALUES = """
import collections

import tensorflow as tf


@tf.function
def identity(x):
    return x


@tf.function
def empty_state():
    return collections.OrderedDict()


@tf.function
def keep(waveform, label):
    return waveform, label


class Model:
    def __init__(self, fns):
        self._init, self._update = fns


def build(ds):
    layer = tf.keras.layers.Lambda(identity)
    model = Model(fns=(empty_state, identity))
    return layer, model, ds.map(keep)
"""


def test_a_barren_tf_function_passed_as_a_value_is_not_dehybridized(tmp_path):
    """`Lambda(f)`, `dataset.map(f)` and a tuple of callbacks: the consumer decides how it runs (graph code
    that calls it inlines it), and an API may expect a tf.function there."""
    assert lint(tmp_path, {"m.py": PASSED_AS_VALUES}, DEHYBRIDIZE) == set()


def test_a_barren_tf_function_also_called_eagerly_is_still_dehybridized(tmp_path):
    source = PASSED_AS_VALUES + """

for step in range(100):
    print(identity(step))
"""
    assert lint(tmp_path, {"m.py": source}, DEHYBRIDIZE) == {("m.py", 7, "HYB401")}


# -- a wrapper whose work is an existing tf.function (tf2-gnn `_run_step` → `_fast_run_step`) ----------

WRAPS_A_GRAPH = """
import tensorflow as tf

weights = [tf.Variable(tf.random.normal([8, 8])) for _ in range(6)]


@tf.function
def fast_step(features, labels):
    x = features
    for w in weights:
        x = tf.nn.relu(tf.matmul(x, w) + 0.1)
        x = x - tf.reduce_mean(x, axis=0, keepdims=True)
    return tf.reduce_mean(tf.square(x - labels))


def run_step(batch):
    features, labels = batch["features"], batch["labels"]
    return fast_step(features, labels)


def main():
    for _ in range(100):
        run_step({"features": tf.random.normal([4, 8]), "labels": tf.random.normal([4, 8])})


main()
"""


def test_a_wrapper_whose_work_is_a_tf_function_already_is_not_suggested(tmp_path):
    """The operations of `fast_step` run in its own graph already: a graph around `run_step` saves only
    the dict lookups."""
    assert lint(tmp_path, {"m.py": WRAPS_A_GRAPH}, HYB3) == set()


def test_the_same_wrapper_over_an_eager_step_is_suggested(tmp_path):
    eager = WRAPS_A_GRAPH.replace("@tf.function\ndef fast_step", "def fast_step")
    assert lint(tmp_path, {"m.py": eager}, HYB3) == {("m.py", 14, "HYB301")}


# -- corpus4 (copynet, nncf): the same constant at every call is one trace ------------------------------

ONE_CONSTANT = """
import tensorflow as tf


@tf.function
def gather_scores(scores, indices, axis):
    return tf.gather(scores, indices, axis=axis, batch_dims=1)


train_scores = gather_scores(tf.ones([2, 3]), tf.zeros([2, 1], tf.int32), 1)
eval_scores = gather_scores(tf.ones([4, 3]), tf.zeros([4, 1], tf.int32), 1)
"""


def test_the_same_constant_at_every_call_is_no_retracing(tmp_path):
    assert lint(tmp_path, {"m.py": ONE_CONSTANT}, DEHYBRIDIZE) == set()


def test_two_constants_at_two_calls_still_retrace(tmp_path):
    source = ONE_CONSTANT.replace("eval_scores = gather_scores(tf.ones([4, 3]), tf.zeros([4, 1], tf.int32), 1)",
                                  "eval_scores = gather_scores(tf.ones([4, 3]), tf.zeros([4, 1], tf.int32), 2)")
    assert lint(tmp_path, {"m.py": source}, DEHYBRIDIZE) == {("m.py", 5, "HYB402")}


def test_the_same_keyword_constant_at_every_call_is_no_varying_scalar(tmp_path):
    """HYB201 agrees with HYB402: `axis=1` at every call, in any file, is one value."""
    files = {"util.py": ONE_CONSTANT.split("\n\ntrain_scores")[0] + "\n",
             "decoder.py": "import tensorflow as tf\n\nfrom util import gather_scores\n\n\n"
                           "def decode(scores, indices):\n    return gather_scores(scores, indices, axis=1)\n\n\n"
                           "def rescore(scores, indices):\n    return gather_scores(scores, indices, axis=1)\n\n\n"
                           "for _ in range(10):\n    decode(tf.ones([2, 3]), tf.zeros([2, 1], tf.int32))\n"
                           "    rescore(tf.ones([2, 3]), tf.zeros([2, 1], tf.int32))\n",
             "beam.py": "from util import gather_scores\n\n\ndef top(scores, indices):\n"
                        "    return gather_scores(scores, indices, axis=1)\n"}
    assert lint(tmp_path, files, 'select = ["HYB201", "HYB402"]\n') == set()
    files["decoder.py"] = files["decoder.py"].replace("return gather_scores(scores, indices, axis=1)\n\n\nfor",
                                                      "return gather_scores(scores, indices, axis=0)\n\n\nfor")
    assert lint(tmp_path / "two", files, 'select = ["HYB201", "HYB402"]\n') != set()
