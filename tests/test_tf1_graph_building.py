"""Code that builds a TF1 graph: it files ops in the graph's collections (``tf.compat.v1.add_to_collection``,
``get_collection``) for a session to run later.

Eager, there is no graph to collect in; under tf.function the ops land in the function's own graph and its
collections are dropped after tracing (tf-slim's summary helpers). Neither mode is what the code was written
for, so it gets no hybridization suggestion, as sessions and placeholders do not.
"""

from __future__ import annotations

from project_helpers import lint

SPECULATIVE = 'select = ["HYB3"]\nextend-select = ["HYB302"]\n'

SUMMARIES = """
import tensorflow as tf


def add_zero_fraction_summary(tensor, name):
    fraction = tf.math.zero_fraction(tensor)
    scaled = tf.reduce_mean(tf.abs(tensor)) * fraction + tf.reduce_max(tensor) - tf.reduce_min(tensor)
    op = tf.math.sqrt(tf.square(scaled) + tf.reduce_sum(tensor * tensor))
    COLLECT
    return op


def add_zero_fraction_summaries(tensors):
    return [add_zero_fraction_summary(tensor, f"t{i}") for i, tensor in enumerate(tensors)]
"""


def test_a_helper_that_files_its_op_in_a_graph_collection_gets_no_suggestion(tmp_path):
    tf1 = SUMMARIES.replace("COLLECT", 'tf.compat.v1.add_to_collection(tf.compat.v1.GraphKeys.SUMMARIES, op)')
    assert lint(tmp_path, {"summaries.py": tf1}, SPECULATIVE) == set()


def test_reading_a_collection_through_tensorflows_private_module_is_tf1_code_too(tmp_path):
    tf1 = SUMMARIES.replace("import tensorflow as tf\n", "import tensorflow as tf\nfrom tensorflow.python.framework import ops\n") \
        .replace("COLLECT", "ops.get_collection(ops.GraphKeys.UPDATE_OPS)")
    assert lint(tmp_path, {"summaries.py": tf1}, SPECULATIVE) == set()


def test_the_same_helper_without_collections_is_still_suggested(tmp_path):
    eager = SUMMARIES.replace("COLLECT", "tf.summary.scalar(name, op)")
    assert lint(tmp_path, {"summaries.py": eager}, SPECULATIVE) == {("summaries.py", 4, "HYB302")}
