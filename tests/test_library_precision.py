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


# -- log lines about trace-time facts ---------------------------------------------------------

SIDE_EFFECTS = 'select = ["HYB1"]\n'


def test_warnings_and_conditional_log_lines_about_python_facts_are_diagnostics(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import logging

        from absl import logging as absl_logging
        import tensorflow as tf

        log = logging.getLogger(__name__)


        def filter_grads(grads_and_vars):
            missing = [v.name for g, v in grads_and_vars if g is None]
            if missing:
                absl_logging.warning("No gradient for %s", missing)
            return [(g, v) for g, v in grads_and_vars if g is not None]


        def aggregate(losses, regularization=None):
            if regularization is None:
                logging.info("no regularization loss: using the data loss only")
            log.warning("aggregating %d losses", len(losses))
            return tf.add_n(losses)


        @tf.function
        def step(x, v):
            total = aggregate([tf.reduce_sum(x * v)])
            return filter_grads([(total, v)])
        """}, SIDE_EFFECTS) == []


def test_progress_lines_and_logged_tensors_are_still_side_effects(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import logging

        import tensorflow as tf


        def report(loss):
            logging.info("step done")


        def check(loss):
            value = tf.reduce_mean(loss)
            logging.warning("loss is %s", value)


        @tf.function
        def step(x):
            loss = tf.reduce_sum(x)
            report(loss)
            check(loss)
            logging.warning("traced")
            return loss
        """}, SIDE_EFFECTS) == [("m.py", 18, "HYB110"), ("m.py", 19, "HYB110")]


def test_uuids_name_things_and_are_no_frozen_random_value(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import uuid

        import tensorflow as tf


        def unique_name(prefix):
            return f"{prefix}_{uuid.uuid4()}"


        @tf.function
        def step(x):
            return tf.identity(x, name=unique_name("out"))
        """}, SIDE_EFFECTS) == []
