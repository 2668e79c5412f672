"""A function decorated by something from outside the project is not suggested for ``@tf.function``
(``bench/precision/false-classes.md``, session 14): the decorator may make a tf.function already, as
tf-ocr's ``@tf_function`` from an installed package does (``wraps(f)(tf.function(f))``)."""

from __future__ import annotations

from project_helpers import lint

STEP = """
import tensorflow as tf
IMPORT


DECORATOR
def normalise(x):
    x = tf.math.log1p(tf.abs(x)) - tf.reduce_min(x)
    x = tf.nn.softmax(tf.sqrt(x + 1.0) * tf.reduce_mean(x))
    return tf.transpose(tf.tanh(x) + tf.exp(-x))


if __name__ == "__main__":
    for _ in range(100):
        normalise(tf.random.uniform([8, 8]))
"""

SUGGEST = 'select = ["HYB301", "HYB302"]\n'


def _source(imports: str, decorator: str) -> str:
    return STEP.replace("IMPORT", imports).replace("DECORATOR", decorator)


def test_a_decorator_from_an_installed_package_may_make_a_graph_already(tmp_path):
    source = _source("from tf_tools import tf_function", "@tf_function")
    assert lint(tmp_path, {"labels.py": source}, SUGGEST) == set()


def test_a_registration_that_hands_the_function_back_is_no_obstacle(tmp_path):
    # gin's registration returns the function itself: listed as transparent in rules/api/python.toml.
    source = _source("import gin", "@gin.configurable")
    assert lint(tmp_path, {"labels.py": source}, SUGGEST) == {("labels.py", 6, "HYB301")}


def test_a_decorator_of_the_project_is_seen_into(tmp_path):
    # Its body hands the function back: the analysis reads it, as before.
    files = {"registry.py": "def register(fn):\n    return fn\n",
             "labels.py": _source("from registry import register", "@register")}
    assert lint(tmp_path, files, SUGGEST) == {("labels.py", 6, "HYB301")}
