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


# -- calling a property's value ------------------------------------------------------------------------

PROPERTY_WITH_A_SETTER = """
import tensorflow as tf


class Detector(tf.Module):
    def __init__(self):
        self.w = tf.Variable(2.0)
        self.steps = tf.Variable(1)
        self._decoder = tf.nn.sigmoid

    @property
    def decoder(self):
        return self._decoder

    @decoder.setter
    def decoder(self, decoder):
        self._decoder = decoder
        self.rebuild()

    def rebuild(self):
        return self.steps.numpy().item() == 1

    @tf.function
    def __call__(self, x):
        return self.decoder(self.w * x)


model = Detector()
model.decoder = tf.nn.relu
print(model(tf.ones([3])))
"""


def test_calling_a_property_value_does_not_run_its_setter(tmp_path):
    # The setter (the last `def decoder`) runs on assignment, eagerly; the call runs the getter's value.
    assert lint(tmp_path, {"m.py": PROPERTY_WITH_A_SETTER}) == set()


def test_a_method_the_graph_calls_itself_is_still_graph_code(tmp_path):
    calls_rebuild = PROPERTY_WITH_A_SETTER.replace("return self.decoder(self.w * x)",
                                                   "self.rebuild()\n        return self.decoder(self.w * x)")
    assert lint(tmp_path, {"m.py": calls_rebuild}) == {("m.py", 20, "HYB501")}

