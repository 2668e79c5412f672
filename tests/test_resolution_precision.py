"""Classes of wrong findings (and a crash) in call resolution met on real TF2 libraries: each has a
negative case (no longer reported, or no longer crashing) and a positive one (the hazard outside the
pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

DEFAULT = ""

# -- an attribute wrapped in a tf.function of itself --------------------------------------------------

WRAPPED_IN_PLACE = """
import tensorflow as tf


class Subgrid:
    def __init__(self, fn, compilable=True):
        self.fn_interpolation = fn
        if compilable:
            self.fn_interpolation = tf.function(self.fn_interpolation)

    def __call__(self, x):
        return self.fn_interpolation(x)


grid = Subgrid(tf.math.square)
print(grid(tf.constant(3.0)).numpy())
"""


def test_an_attribute_wrapped_in_a_tf_function_of_itself_resolves_without_recursing(tmp_path):
    # `lint` fails on internal errors: the call through the attribute used to recurse without end.
    assert lint(tmp_path, {"m.py": WRAPPED_IN_PLACE}, DEFAULT) == set()
    assert lint(tmp_path / "selected", {"m.py": WRAPPED_IN_PLACE}) == set()


def test_a_method_wrapped_in_place_still_runs_as_a_graph(tmp_path):
    files = {"m.py": """
        import tensorflow as tf


        class Stepper:
            def __init__(self):
                self.step = tf.function(self.step)

            def step(self, x):
                return x.numpy() * 2

            def __call__(self, x):
                return self.step(x)


        print(Stepper()(tf.constant(3.0)))
        """}
    assert lint(tmp_path, files) == {("m.py", 9, "HYB501")}
