"""Classes of wrong findings met on application-style TF2 code the tool had never seen (trainers, RL
agents, attacks, explainers: the third group of ``bench/corpus.toml``): each has a negative case (no
longer reported) and a positive one (the hazard outside the pattern, still reported), as small programs
written for the test."""

from __future__ import annotations

from project_helpers import lint

FROZEN = 'select = ["HYB108"]\n'

# -- TensorFlow control flow runs its functions where it is called -----------------------------------

BRANCH_READS_A_REBOUND_LOCAL = """
import tensorflow as tf


def step(x, variables):
    if len(variables) == 1:
        deltas = list()
        for v in variables:
            deltas.append(tf.ones_like(v))

        def negate():
            return [-d for d in deltas]

        return tf.cond(x > 0, lambda: deltas, negate)
    deltas = [tf.zeros_like(v) for v in variables]
    return deltas
"""


def test_a_tf_cond_branch_called_eagerly_reads_its_closure_live(tmp_path):
    # Eager tf.cond calls the branch as Python on every call (checked with TF 2.21): nothing is frozen.
    assert lint(tmp_path, {"step.py": BRANCH_READS_A_REBOUND_LOCAL}, FROZEN) == set()


def test_a_tf_cond_branch_in_graph_code_is_traced_with_it(tmp_path):
    # In a tf.function the branch is traced with the function, each trace reading that call's locals.
    traced = BRANCH_READS_A_REBOUND_LOCAL.replace("\ndef step(", "\n@tf.function\ndef step(")
    assert lint(tmp_path, {"step.py": traced}, FROZEN) == set()


def test_a_nested_tf_function_still_freezes_a_closure_rebound_after_its_first_call(tmp_path):
    files = {"scaled.py": """
        import tensorflow as tf


        def make_scaled(k):
            scale = k

            @tf.function
            def scaled(x):
                return x * scale

            first = scaled(tf.constant(1.0))
            scale = k * 2
            return first, scaled(tf.constant(1.0))
        """}
    assert lint(tmp_path, files, FROZEN) == {("scaled.py", 9, "HYB108")}
