"""``self.method()`` in a def nested in a method resolves to the method's class.

Nested defs are how TF2 code hands work to control flow and to distribution strategies (the ``body`` of
``tf.while_loop``, the ``step_fn`` of ``strategy.run``): their ``self`` is the enclosing method's, so a
call through it runs that class's method, with its side effects, in the same graph.
"""

from __future__ import annotations

from project_helpers import lint

COUNTER = """
import tensorflow as tf


class Counter:
    def __init__(self):
        self.seen = []

    def record(self, v):
        self.seen.append(v)
        return v

    @tf.function
    def run(self, x):
        def body(i, acc):
            return i + 1, acc + self.record(acc)
        return tf.while_loop(lambda i, acc: i < 3, body, (0, x))[1]


def main(xs):
    counter = Counter()
    for x in xs:
        counter.run(x)
    return counter.seen
"""


def test_a_method_called_through_the_enclosing_self_is_resolved(tmp_path):
    assert lint(tmp_path, {"counter.py": COUNTER}) == {("counter.py", 15, "HYB110")}


def test_a_nested_def_with_its_own_self_is_not_the_method_s(tmp_path):
    own = COUNTER.replace("def body(i, acc):", "def body(i, acc, self=None):")
    assert lint(tmp_path, {"counter.py": own}) == set()
