"""``self`` in a def nested in a method is the method's ``self``: the caller's object.

Nested defs are how TF2 code hands work to control flow (the ``body`` of ``tf.while_loop``): a write
to ``self.ATTR`` there changes the caller's object, once per trace, as one in the method itself would.
Calls through it, ``self.method()``, run what a call in the method itself would: the override of each
class whose objects run that method (not a sibling's that overrides the method too).
"""

from __future__ import annotations

from project_helpers import lint

COUNTER = """
import tensorflow as tf


class Counter:
    def __init__(self):
        self.calls = 0

    @tf.function
    def run(self, x):
        def body(i, acc):
            self.calls = self.calls + 1
            return i + 1, acc * 2.0
        return tf.while_loop(lambda i, acc: i < 3, body, (0, x))[1]

    def report(self):
        return self.calls
"""


def test_a_write_through_the_enclosing_self_escapes_the_trace(tmp_path):
    assert lint(tmp_path, {"counter.py": COUNTER}) == {("counter.py", 11, "HYB104")}


def test_a_nested_def_with_its_own_self_writes_its_own_object(tmp_path):
    own = COUNTER.replace("def body(i, acc):", "def body(i, acc, self=None):")
    assert lint(tmp_path, {"counter.py": own}) == set()

GENERATOR = """
import tensorflow as tf
from keras import ops


class BaseGeneration:
    def build_cache(self, token_ids, max_len):
        raise NotImplementedError

    def call_with_cache(self, tok, cache, pos):
        raise NotImplementedError

    def generate_step(self, token_ids, max_new_tokens):
        cache, logits = self.build_cache(token_ids, max_new_tokens + 4)
        return self.decode_loop(cache, logits, max_new_tokens)

    def decode_loop(self, cache, logits, steps):
        def cond(i, tok, cache):
            return i < steps

        def body(i, tok, cache):
            logits, cache = self.call_with_cache(tok, cache, i)
            return i + 1, ops.argmax(logits, axis=-1), cache

        return ops.while_loop(cond, body, (0, ops.argmax(logits, axis=-1), cache))[1]

    def generate(self, batches):
        step = tf.function(lambda token_ids: self.generate_step(token_ids, 8))
        return [step(tokens) for tokens in batches]


class Speech(BaseGeneration):
    def __init__(self, has_audio):
        self.has_audio = has_audio

    def build_cache(self, token_ids, max_len):
        cache = ops.zeros((2, max_len))
        self._apply_lora = bool(self.has_audio)
        return cache, ops.ones((2, 4))

    def call_with_cache(self, tok, cache, pos):
        apply_lora = getattr(self, "_apply_lora", False)
        return ops.ones((2, 4)) * (2.0 if apply_lora else 1.0), cache
"""


def test_state_read_by_a_loop_body_the_same_trace_runs_is_not_reported(tmp_path):
    # The decode loop's body reads the flag build_cache wrote earlier in the same trace: each trace
    # writes what its own reads need, as each eager call does.
    assert lint(tmp_path, {"gen.py": GENERATOR}) == set()


def test_state_read_eagerly_after_the_graph_is_still_reported(tmp_path):
    eager_reader = GENERATOR + "\n    def uses_lora(self):\n        return self._apply_lora\n"
    assert lint(tmp_path, {"gen.py": eager_reader}) == {("gen.py", 13, "HYB110")}


STEP = """
import tensorflow as tf


class Trainer:
    def __init__(self, model, strategy):
        self.model = model
        self.strategy = strategy

    def report(self, loss):
        print("loss", loss)
        return loss

    @tf.function
    def train_step(self, iterator):
        def step_fn(inputs):
            loss = tf.reduce_mean(self.model(inputs))
            return self.report(loss)

        return self.strategy.run(step_fn, args=(next(iterator),))
"""


def test_a_side_effect_of_a_method_a_nested_step_calls_is_reported(tmp_path):
    # `self.report` in step_fn is Trainer.report: its print runs once per trace of train_step.
    assert lint(tmp_path, {"trainer.py": STEP}) == {("trainer.py", 17, "HYB110")}


def test_a_nested_function_with_its_own_self_parameter_is_not_the_method_receiver(tmp_path):
    # `self` rebound by the nested def's own parameter names whatever its caller passes, not the Trainer.
    rebound = STEP.replace("def step_fn(inputs):", "def step_fn(self, inputs):") \
        .replace("args=(next(iterator),)", "args=(object(), next(iterator))")
    assert lint(tmp_path, {"trainer.py": rebound}) == set()


BUFFERS = """
import tensorflow as tf


class Buffer:
    @tf.function
    def sample(self, n):
        def body(i, total):
            return i + 1, total + self.draw()
        return tf.while_loop(lambda i, total: i < n, body, (0, 0.0))[1]

    def draw(self):
        return tf.random.uniform([])


class PythonBuffer(Buffer):
    def sample(self, n):
        return sum(self.draw() for _ in range(n))

    def draw(self):
        print("drawing")
        return 1.0


class GraphBuffer(Buffer):
    pass
"""


def test_a_nested_self_call_skips_the_override_of_a_class_that_never_runs_the_method(tmp_path):
    # PythonBuffer overrides `sample`: its objects never run Buffer.sample's body, so its `draw`
    # (which prints) is not what that body calls.
    assert lint(tmp_path, {"buffers.py": BUFFERS}) == set()


def test_a_nested_self_call_reaches_the_override_of_a_class_that_runs_the_method(tmp_path):
    printing = BUFFERS.replace("class GraphBuffer(Buffer):\n    pass",
                               "class GraphBuffer(Buffer):\n    def draw(self):\n        print('graph')\n"
                               "        return tf.zeros([])")
    assert lint(tmp_path, {"buffers.py": printing}) == {("buffers.py", 8, "HYB110")}


REPLAY = """
import numpy as np
import tensorflow as tf


class ReplayBuffer:
    def get_next(self, batch_size):
        return self._get_next(batch_size)


class PythonReplayBuffer(ReplayBuffer):
    def _get_next(self, batch_size):
        return np.random.randint(0, 100, size=batch_size)


class GraphReplayBuffer(ReplayBuffer):
    def __init__(self, data):
        self.data = tf.constant(data)

    def _get_next(self, batch_size):
        ids = tf.random.uniform([batch_size], maxval=tf.shape(self.data)[0], dtype=tf.int32)
        return tf.gather(self.data, ids)

    def as_dataset(self, batch_size):
        def get_next(_):
            return self.get_next(batch_size)
        return tf.data.experimental.Counter().map(get_next)

    @tf.function
    def sample(self, batch_size):
        return self.get_next(batch_size)
"""


def test_an_inherited_method_a_class_runs_dispatches_its_self_calls_along_that_class(tmp_path):
    # ReplayBuffer.get_next, run by a GraphReplayBuffer, calls GraphReplayBuffer._get_next only: the
    # Python buffer's NumPy draw is a sibling's, in no graph (both from a nested def and from a method).
    assert lint(tmp_path, {"buffers.py": REPLAY}) == set()


def test_an_inherited_method_still_reaches_the_override_of_the_class_that_runs_it(tmp_path):
    drawing = REPLAY.replace("ids = tf.random.uniform([batch_size], maxval=tf.shape(self.data)[0], "
                             "dtype=tf.int32)", "ids = np.random.randint(0, 3, size=batch_size)")
    assert lint(tmp_path, {"buffers.py": drawing}) == {("buffers.py", 25, "HYB110"), ("buffers.py", 30, "HYB110")}
