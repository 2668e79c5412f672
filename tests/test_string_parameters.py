"""Parameters the body uses as Python strings (``term.isnumeric()``, ``term.startswith("-")``).

A string passed to a tf.function is no tensor: every distinct string traces a graph of its own. So a parser
fed a new string on each iteration of its caller's loop (skdeep's coefficient parser, over the terms of an
equation) would trace on every call: no suggestion, although a slice of the caller's parameter could as well
be a tensor for all the call tells. The same string at every call traces once.
"""

from __future__ import annotations

from project_helpers import lint

SPECULATIVE = 'select = ["HYB3"]\nextend-select = ["HYB302"]\n'

PARSER = """
import tensorflow as tf


def parse_term(term, values):
    if term.isnumeric():
        return tf.constant(float(term))
    sign = -1.0 if term.startswith("-") else 1.0
    out = tf.ones_like(values["x"]) * sign
    for char in term.lstrip("-"):
        out = out * tf.exp(values[char]) + tf.reduce_mean(tf.square(values[char])) - tf.reduce_max(values[char])
    return tf.math.sqrt(tf.abs(out)) + tf.reduce_sum(out) * tf.reduce_min(out)


def parse_sum(expression, values):
    return tf.add_n([parse_term(TERM, values) for start in range(0, len(expression), 3)])
"""


def test_a_string_parameter_fed_a_new_string_per_iteration_is_not_suggested(tmp_path):
    # A slice of the caller's parameter might be a tensor for all the callers tell; the body says otherwise.
    assert lint(tmp_path, {"terms.py": PARSER.replace("TERM", "expression[start:start + 3]")}, SPECULATIVE) == set()


def test_the_same_string_at_every_iteration_is_still_suggested(tmp_path):
    assert lint(tmp_path, {"terms.py": PARSER.replace("TERM", "expression")}, SPECULATIVE) \
        == {("terms.py", 4, "HYB302")}
