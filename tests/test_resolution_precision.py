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


# -- methods each object replaces with a tf.py_function wrapper ---------------------------------------

GRAPH_HAZARDS = 'select = ["HYB1", "HYB501", "HYB108"]\n'

REPLACED_PER_OBJECT = """
import types

import numpy as np
import tensorflow as tf


class HostMetric:
    def __init__(self):
        self.values = []
        self.count = 0

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        eager_update = obj.update_state

        def update_state_fn(self, x):
            return tf.py_function(func=eager_update, inp=[x], Tout=[])

        obj.update_state = types.MethodType(update_state_fn, obj)
        return obj

    def update_state(self, x):
        self.count += 1
        self.values.append(x.numpy())

    def result(self):
        return float(np.sum(self.values)) if self.count else 0.0

    def reset_state(self):
        self.values = []
        self.count = 0


metric = HostMetric()


@tf.function
def step(x):
    metric.update_state(x)


for i in range(3):
    step(tf.constant(float(i)))
    print(metric.count, metric.result())
metric.reset_state()
"""


def test_a_method_each_object_replaces_in_new_is_not_the_class_function(tmp_path):
    # What runs is the wrapper, which calls the original under tf.py_function: eagerly, on every call.
    assert lint(tmp_path, {"m.py": REPLACED_PER_OBJECT}, GRAPH_HAZARDS) == set()


def test_a_method_each_object_replaces_in_init_is_not_the_class_function(tmp_path):
    in_init = REPLACED_PER_OBJECT.replace("self.count = 0\n\n    def __new__", "self.count = 0\n        "
                                          "self.update_state = types.MethodType(update_state_fn, self)\n\n"
                                          "    def __unused__")
    assert "def __unused__" in in_init
    assert lint(tmp_path, {"m.py": in_init.replace("\n\n\nmetric = ", "\n\n\ndef update_state_fn(self, x):\n"
                                                   "    return tf.py_function(func=HostMetric.update_state, "
                                                   "inp=[self, x], Tout=[])\n\n\nmetric = ")},
                GRAPH_HAZARDS) == set()


def test_a_method_no_object_replaces_still_runs_in_the_graph(tmp_path):
    plain = REPLACED_PER_OBJECT.replace("obj.update_state = types.MethodType(update_state_fn, obj)", "pass")
    assert lint(tmp_path, {"m.py": plain}, GRAPH_HAZARDS) == {("m.py", 39, "HYB110"), ("m.py", 24, "HYB501")}


def test_a_method_wrapped_in_a_tf_function_per_object_still_runs_as_a_graph(tmp_path):
    hybrid = REPLACED_PER_OBJECT.replace("types.MethodType(update_state_fn, obj)", "tf.function(obj.update_state)")
    assert lint(tmp_path, {"m.py": hybrid}, GRAPH_HAZARDS) == {("m.py", 39, "HYB110"), ("m.py", 24, "HYB501")}
