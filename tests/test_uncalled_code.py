"""Advice about code nothing in the project calls.

Removing a barren ``tf.function`` (HYB401) pays per call; with no caller in sight the gain is a
guess, as adding a decoration to uncalled library code is (HYB302). The paper's every-function mode
still judges the body alone.
"""

from __future__ import annotations

from project_helpers import lint

DEHYBRIDIZE = 'select = ["HYB401"]\n'

ACCESSOR = """
import tensorflow as tf


class Tokenizer(tf.Module):
    def __init__(self, max_length):
        self.max_length = max_length

    @tf.function
    def get_max_length(self):
        return self.max_length
"""

DRIVER = """

def lengths(tokenizer, batches):
    return [tokenizer.get_max_length() for _ in batches]


def main():
    print(lengths(Tokenizer(8), range(100)))
"""


def test_a_barren_tf_function_nobody_calls_is_not_reported(tmp_path):
    assert lint(tmp_path, {"tok.py": ACCESSOR}, DEHYBRIDIZE) == set()


def test_a_barren_tf_function_called_eagerly_is_reported(tmp_path):
    assert lint(tmp_path, {"tok.py": ACCESSOR + DRIVER}, DEHYBRIDIZE) == {("tok.py", 9, "HYB401")}


def test_every_function_mode_judges_an_uncalled_function_by_its_body(tmp_path):
    settings = DEHYBRIDIZE + 'hybridization = "every-function"\n'
    assert lint(tmp_path, {"tok.py": ACCESSOR}, settings) == {("tok.py", 9, "HYB401")}


def test_a_barren_tf_function_returned_to_a_framework_is_not_reported(tmp_path):
    # Keras calls make_test_function and then what it returns: no call of it in the project.
    source = """
    import tensorflow as tf


    class Forest(tf.keras.Model):
        def make_test_function(self):
            @tf.function
            def test_function_not_trained(iterator):
                next(iterator)
                return {}

            return test_function_not_trained
    """
    assert lint(tmp_path, {"forest.py": source}, DEHYBRIDIZE) == set()
