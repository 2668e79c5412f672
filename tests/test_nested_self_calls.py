"""``self`` in a def nested in a method is the method's ``self``: the caller's object.

Nested defs are how TF2 code hands work to control flow (the ``body`` of ``tf.while_loop``): a write
to ``self.ATTR`` there changes the caller's object, once per trace, as one in the method itself would.
(Calls through it, ``self.method()``, are not resolved: without the caller's exact class they would
dispatch to every sibling's override, which the corpus showed gives more wrong chains than right ones.)
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
