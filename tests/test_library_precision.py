"""Classes of wrong or worthless findings met on TF2 libraries the tool had never seen (Sonnet,
TF-Agents, TFP, TF-GAN, TF-MOT): each has a negative case (no longer reported) and a positive one
(the same hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import run

RETRACING = 'select = ["HYB2", "HYB402"]\n'

DEQUE = """
import tensorflow as tf


class Deque:
    def __init__(self):
        self.total = tf.Variable(0.0)

    @tf.function
    def add(self, x, value):
        self.total.assign_add(tf.reduce_sum(x) * value)
        return self.total
"""

CALLS = """
from deque import Deque
import tensorflow as tf

def check_add():
    d = Deque()
    x = tf.ones([3])
    d.add(x, 1)
    d.add(x, 2)
    d.add(x, 3)
"""


def codes(tmp_path, files: dict[str, str], settings: str = RETRACING) -> list[tuple[str, int, str]]:
    return [(f.path, f.row, f.code) for f in run(tmp_path, files, settings)]


# -- tests call with the literal values each case needs ----------------------------------------


def test_literal_arguments_in_test_files_are_no_retracing_hazard(tmp_path):
    assert codes(tmp_path, {"deque.py": DEQUE, "deque_test.py": CALLS}) == []


def test_literal_arguments_in_program_code_still_retrace(tmp_path):
    found = codes(tmp_path, {"deque.py": DEQUE, "usage.py": CALLS})
    assert ("usage.py", 7, "HYB201") in found and ("usage.py", 9, "HYB201") in found
    assert ("deque.py", 9, "HYB402") in found  # literals at the program's calls: evidence to dehybridize


def test_methods_of_test_classes_are_test_code_outside_test_files(tmp_path):
    in_a_test_case = CALLS.replace("def check_add():", "class DequeTest:\n    def test_add(self):").replace(
        "\n    ", "\n        ")
    assert codes(tmp_path, {"deque.py": DEQUE, "checks.py": in_a_test_case}) == []


def test_hybridize_tests_setting_reports_them_again(tmp_path):
    found = codes(tmp_path, {"deque.py": DEQUE, "deque_test.py": CALLS}, RETRACING + "hybridize-tests = true\n")
    assert ("deque_test.py", 7, "HYB201") in found


def test_a_tf_function_created_in_a_test_is_called_once_per_case(tmp_path):
    test = """
        import tensorflow as tf

        def test_double():
            assert tf.function(lambda x: x * 2)(tf.constant(1.0)) == 2.0
        """
    assert codes(tmp_path, {"double_test.py": test}) == []
    assert codes(tmp_path, {"double.py": test}) == [("double.py", 4, "HYB202")]


# -- a loop that wraps a different function on each iteration ---------------------------------


def test_wrapping_the_loop_variable_makes_a_different_function_each_time(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import tensorflow as tf

        def specialise(specialisations, x):
            compiled = {}
            for device, body in specialisations.items():
                compiled[device] = tf.function(body)
                compiled[device].get_concrete_function(x)
            return compiled

        def decode_all(batches, model):
            for batch in batches:
                @tf.function
                def decode():
                    return model(batch)
                decode()
        """}) == []


def test_wrapping_the_same_function_in_a_loop_is_still_reported(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import tensorflow as tf

        def train(batches, model):
            for batch in batches:
                @tf.function
                def step(x):
                    return model(x)
                step(batch)
                compiled = tf.function(model)
                compiled(batch)
        """}) == [("m.py", 5, "HYB202"), ("m.py", 9, "HYB202")]
