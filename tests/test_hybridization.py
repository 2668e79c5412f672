"""Hybridization decisions (P1/P2/P3 and our extra conditions), checked through `explain`'s verdicts.

These run in `every-function` mode, the paper's per-function decisions; `test_boundary.py` covers
which of the functions that may become graphs HYB301 reports by default.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter
from hybridize_lint.explain import Target, explain


def verdicts(tmp_path: Path, source: str, settings: str = 'hybridization = "every-function"\n') -> dict[str, dict]:
    """The paper's per-function decisions by default (the boundary choice has tests of its own)."""
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n" + settings)
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(source))
    return {item["function"]: item for item in explain(Linter(SettingsResolver()), [Target(path, None)])}


def test_methods_called_on_parameters_resolve_through_what_callers_pass(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        class Estimator:
            def predict(self, t):
                return tf.reduce_sum(t)

        def calls_override(e, t):
            return e.predict(t)

        def calls_keras(m, t):
            return m.predict(t)

        calls_override(Estimator(), tf.ones((2,)))
        calls_keras(tf.keras.Sequential(), tf.ones((2,)))
    """)
    assert found["calls_override"]["code"] == "HYB301"
    assert found["calls_keras"]["code"] is None
    assert any("Keras `predict()`" in reason for reason in found["calls_keras"]["eager_only"])


def test_arithmetic_on_a_tensor_is_not_a_literal(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        def scale(x, factor):
            return x * factor

        @tf.function
        def normalize(x):
            return x / tf.reduce_max(x)

        x = tf.ones((3,))
        normalize(scale(x, 1.5) + 1.0)
    """)
    assert found["normalize"]["literal_parameters"] == {}
    assert found["normalize"]["code"] is None
    assert found["scale"]["literal_parameters"] == {"factor": ["receives a Python literal at m.py:12"]}


@pytest.mark.parametrize("body, blocker", [
    ("return np.abs(x)", "NumPy `numpy.abs`"),
    ("return tf.sqrt(x, tf.float32)", "`name` that is not a string"),
    ("return x.numpy()", "`.numpy()`"),
    ("return bool(x)", "`bool()`"),
    ("total = tf.zeros(())\n    for e in x:\n        total += e\n    return total", "iterates over parameter"),
])
def test_eager_only_constructs_block_hybridization(tmp_path, body, blocker):
    found = verdicts(tmp_path, f"""
import numpy as np
import tensorflow as tf

def f(x):
    {body}

f(tf.ones((3,)))
""")
    assert found["f"]["code"] is None
    assert any(blocker in reason for reason in found["f"]["eager_only"]), found["f"]["eager_only"]


def test_barren_hybrid_functions_are_dehybridized_unless_named_like_a_step(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def no_tensors(n):
            return n + 1

        @tf.function
        def identity(x):
            return x

        @tf.function
        def train_step(batch):
            pass

        no_tensors(3)
        identity(tf.ones((2,)))
        train_step(object())
    """)
    assert found["no_tensors"]["code"] == "HYB401"
    assert found["identity"]["code"] == "HYB401"  # tensor parameters only pass through (P6)
    assert found["train_step"]["code"] is None  # named like a DL step: speculatively tensor-taking


def test_keras_call_is_not_decorated_when_the_model_is_trained_with_a_tape(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(1)

            def call(self, x):
                return self.dense(x)

        net = Net()

        def train_step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(net(x))
            return tape.gradient(loss, net.trainable_variables)

        train_step(tf.ones((2, 3)))
    """)
    assert found["train_step"]["code"] == "HYB301"
    assert found["Net.call"]["code"] is None
    assert any("GradientTape" in reason for reason in found["Net.call"]["reasons"])


INFERENCE_MODEL = """
    import tensorflow as tf

    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net(tf.ones((2, 3)))
"""


@pytest.mark.parametrize("elsewhere, decorated", [
    # A tape elsewhere that never reaches this model: the model only runs inference.
    ("def grad(w, x):\n    with tf.GradientTape() as tape:\n        y = w * x\n    return tape.gradient(y, w)\n",
     True),
    # A tape around a model passed in as a parameter: it might be this one.
    ("def fit_step(model, x):\n    with tf.GradientTape() as tape:\n        y = model(x)\n"
     "    return tape.gradient(y, model.trainable_variables)\n", False),
])
def test_a_tape_elsewhere_blocks_a_keras_call_only_if_it_may_run_the_model(tmp_path, elsewhere, decorated):
    found = verdicts(tmp_path, INFERENCE_MODEL + textwrap.indent("\n" + elsewhere, "    "))
    assert (found["Net.call"]["code"] == "HYB301") is decorated, found["Net.call"]["reasons"]


def test_a_barren_function_is_dehybridized_even_with_tensor_parameters(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def as_pair(features, label):
            return features, label

        @tf.function
        def total(features, label):
            return tf.reduce_sum(features) + label

        as_pair(tf.ones((2,)), tf.constant(1.0))
        total(tf.ones((2,)), tf.constant(1.0))
    """)
    assert found["as_pair"]["code"] == "HYB401"
    assert "only pass through" in found["as_pair"]["reasons"][0]
    assert found["total"]["code"] is None


@pytest.mark.parametrize("body", ["pass", "...", '"""Overridden."""', "raise NotImplementedError",
                                  '"""Overridden."""\n    raise NotImplementedError("subclasses")'])
def test_a_placeholder_body_taking_tensors_keeps_its_decorator(tmp_path, body):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

@tf.function
def step(x):
    {body}

step(tf.ones((2,)))
""")
    assert found["step"]["code"] is None
    assert "placeholder" in found["step"]["reasons"][0]


def test_a_placeholder_body_without_tensor_parameters_is_still_barren(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def step(n):
            pass

        step(3)
    """)
    assert found["step"]["code"] == "HYB401"


@pytest.mark.parametrize("call", ["Scaler().apply(tf.ones((2,)))",
                                  "scaler = Scaler()\nscaler.apply(tf.ones((2,)))"])
def test_a_method_called_on_an_instance_binds_its_receiver(tmp_path, call):
    """Module-level ``obj.method(t)`` and ``Cls().method(t)`` pass ``t`` to the parameter after ``self``."""
    found = verdicts(tmp_path, f"""
import tensorflow as tf

class Scaler:
    def apply(self, x):
        return x * 2.0

{call}
""")
    assert found["Scaler.apply"]["code"] == "HYB301"
    assert list(found["Scaler.apply"]["tensor_parameters"]) == ["x"]


def test_augmented_assignment_on_a_tensor_is_tensor_computation(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def accumulate(total, step):
            total += step
            return total

        accumulate(tf.zeros((2,)), tf.ones((2,)))
    """)
    assert found["accumulate"]["tensor_computation"] is True
    assert found["accumulate"]["code"] is None


def test_a_literal_seen_before_its_tensor_operand_is_known_does_not_stick(tmp_path):
    """``x * factor`` passes a literal while ``x`` is still unknown; once ``x`` is a tensor, it passes a tensor.

    ``x`` learns it is a tensor late (through three returns), ``factor`` early: the call site's
    first evaluation must be replaced, not kept alongside the final one.
    """
    found = verdicts(tmp_path, """
        import tensorflow as tf

        def total(y):
            return tf.reduce_sum(y)

        def scaled_total(x, factor):
            return total(x * factor)

        def main():
            scaled_total(make(), 2.0)

        def make():
            return helper()

        def helper():
            return inner()

        def inner():
            return tf.ones((3,))
    """)
    assert found["total"]["literal_parameters"] == {}
    assert found["total"]["code"] == "HYB301"


def _signature_case(tmp_path, body: str, call: str, prelude: str = "") -> dict:
    return verdicts(tmp_path, f"""
import numpy as np
import tensorflow as tf
{prelude}

def f(x):
    {body}

{call}
""")["f"]


@pytest.mark.parametrize("body, call, prelude, dtype", [
    ("return tf.reduce_sum(x)", "f(np.ones((2, 2)))", "", "float64"),
    ("return tf.reduce_sum(x)", "f(np.array([1, 2]))", "", "int64"),
    ("return tf.reduce_sum(x)", "f(np.zeros(3, dtype=np.float32))", "", "float32"),
    ("return tf.reduce_sum(x)", "f(np.arange(3).astype('float16'))", "", "float16"),
    ("return w * x", "f(np.ones(3))", "w = tf.Variable(0.5)", "float32"),
    ("return tf.reduce_sum(x * w)", "f(np.ones(3))", "w = tf.Variable(tf.zeros(3))", "float32"),
    ("return w * x + b", "f(np.ones(3))", "rng = np.random\nw = tf.Variable(rng.randn())\nb = tf.Variable(1.0)",
     "float32"),
    ("return tf.reduce_sum(x * w)", "f(np.ones(3))", "w = tf.constant(2.0, dtype=tf.float64)", "float64"),
    ("return tf.reduce_sum(x)", "f(np.ones(3, np.int32))", "", "int32"),
    ("return w * x", "f(np.ones(3))", "w = tf.Variable(0.5, dtype=float)", "float32"),
    ("return w * x", "f(np.ones(3))", "w = tf.zeros([3], tf.float64)", "float64"),
    ("return tf.reduce_sum(x * 0.5)", "f(np.ones((2, 3), dtype=np.float32))", "", "float32"),
])
def test_numpy_arguments_get_a_signature_that_keeps_eager_dtypes(tmp_path, body, call, prelude, dtype):
    found = _signature_case(tmp_path, body, call, prelude)
    assert found["code"] == "HYB301", found["reasons"]
    assert [spec["dtype"] for spec in found["input_signature"]] == [dtype]


@pytest.mark.parametrize("body, call, prelude, refusal", [
    ("return tf.reshape(x, [x.shape[0], -1])", "f(np.ones((2, 2)))", "", "`x.shape`"),
    ("return tf.reduce_sum(x) / len(x)", "f(np.ones(3))", "", "`len(x)`"),
    ("return tf.reduce_sum(x) / x.std()", "f(np.ones(3))", "", "`x.std`"),
    ("return tf.reduce_sum(x)", "f(np.ones(3))\nf(np.ones(3, dtype=np.int32))", "", "several or unknown dtypes"),
    ("return tf.reduce_sum(x)", "f(np.array(values))", "values = [1, 2]", "several or unknown dtypes"),
    ("return tf.reduce_sum(x * w)", "f(np.ones(3))", "w = tf.Variable(np.ones(3))\nw = tf.Variable(0.5)",
     "unknown dtype"),
    ("return tf.matmul(x, w)", "f(np.ones((2, 3)))", "w = tf.Variable(tf.ones((3, 1)))", "in ways a signature"),
    ("y = x * w\n    return tf.reduce_sum(x)", "f(np.ones(3))", "w = tf.Variable(0.5)", "also used otherwise"),
    # uses whose conversion only shows indirectly (found by review): refused, not given the array's dtype
    ("return w * (x + 1.0)", "f(np.ones(3))", "w = tf.Variable(0.5)", "in ways a signature"),
    ("y = x\n    return w * y", "f(np.ones(3))", "w = tf.Variable(0.5)", "in ways a signature"),
    ("return w * x[0]", "f(np.ones(3))", "w = tf.Variable(0.5)", "in ways a signature"),
    ("return tf.where(x > w, 1.0, 0.0)", "f(np.ones(3))", "w = tf.Variable(0.5)", "in ways a signature"),
    ("w.assign_add(x)\n    return tf.reduce_sum(x)", "f(np.ones(3))", "w = tf.Variable(0.5)", "in ways a signature"),
    ("return x * 2.0, w * x", "f(np.ones(3))", "w = tf.Variable(0.5)", "also used otherwise"),
    # NumPy promotion differs from TensorFlow's
    ("return tf.reduce_sum(x * 0.5)", "f(np.arange(3))", "", "promote differently"),
    ("return tf.reduce_sum(x)", "f(np.ones(3))\nf(np.ones((2, 2)))", "", "several or unknown ranks"),
    # dtypes given by position, Python types as TensorFlow dtypes, globals rebound in functions
    ("return w * x", "f(np.ones(3))", "w = tf.Variable(0.5)\ndef init():\n    global w\n    w = tf.Variable(np.ones(3))",
     "unknown dtype"),
    ("return x * w", "f(np.arange(3))", "w = tf.Variable(0.5)", "int64 NumPy arrays that meet float32"),
])
def test_numpy_arguments_without_a_signature_that_keeps_eager_behaviour(tmp_path, body, call, prelude, refusal):
    found = _signature_case(tmp_path, body, call, prelude)
    assert found["code"] is None
    assert any(refusal in reason for reason in found["reasons"]), found["reasons"]


def test_numpy_only_arithmetic_is_not_tensor_computation(tmp_path):
    found = _signature_case(tmp_path, "return x * 2 + 1", "f(np.ones(3))")
    assert found["code"] is None
    assert "does no tensor computation" in found["reasons"]


def test_float64_arrays_meeting_tensors_block_a_bare_decorator(tmp_path):
    found = verdicts(tmp_path, """
        import numpy as np
        import tensorflow as tf

        def mse(pred, target):
            return tf.reduce_mean(tf.square(pred - target))

        def weighted(pred, weights):
            return tf.reduce_sum(pred * weights)

        mse(tf.ones(3), np.ones(3))
        weighted(tf.ones(3), np.ones(3, dtype=np.float32))
    """)
    assert found["mse"]["code"] is None
    assert "`target` receives float64 arrays that meet tensors" in found["mse"]["reasons"][0]
    assert found["weighted"]["code"] == "HYB301"  # float32 arrays match TensorFlow's default


def test_a_method_taking_arrays_gets_a_signature_without_self(tmp_path):
    found = verdicts(tmp_path, """
        import numpy as np
        import tensorflow as tf

        class Scorer:
            def score(self, x):
                return tf.reduce_sum(x)

        Scorer().score(np.ones(3))
    """)
    assert found["Scorer.score"]["code"] == "HYB301"


@pytest.mark.parametrize("decorator", ["@tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])",
                                       "@tf.function(None, [tf.TensorSpec(None, tf.float32)])"])
def test_literal_arguments_do_not_retrace_through_an_input_signature(tmp_path, decorator):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

{decorator}
def double(x):
    return x * 2.0

double(tf.ones(3))
double(3.0)
""")
    assert found["double"]["literal_parameters"]  # still reported as evidence
    assert found["double"]["code"] is None
    assert "input_signature" in found["double"]["reasons"][0]


@pytest.mark.parametrize("wrapping", [
    "@tf.function(input_signature=[])\ndef special_tokens():\n    return {'pad': 0}\n\nspecial_tokens()",
    "def special_tokens():\n    return {'pad': 0}\n\n"
    "exported = tf.function(lambda: special_tokens(), input_signature=[])\nexported()",
])
def test_a_barren_function_with_an_input_signature_is_kept_for_export(tmp_path, wrapping):
    found = verdicts(tmp_path, "import tensorflow as tf\n\n" + wrapping + "\n")
    assert found["special_tokens"]["code"] is None
    if wrapping.startswith("@"):
        assert found["special_tokens"]["hybrid"] is True
        assert "concrete function on purpose" in found["special_tokens"]["reasons"][0]
    else:  # what a tf.function lambda calls is traced in its graph, but is no tf.function itself
        assert found["special_tokens"]["hybrid"] is False


def test_a_literal_that_may_be_a_tensor_is_no_evidence_of_retracing(tmp_path):
    """Dehybridizing needs a Python literal for sure; eager code stays conservative about the same value."""
    found = verdicts(tmp_path, """
        import tensorflow as tf

        def pick(flag):
            return 3.0 if flag else tf.constant(3.0)

        @tf.function
        def scale(x, factor):
            return x * factor

        def mix(x, factor):
            return tf.reduce_sum(x * factor)

        scale(tf.ones(3), pick(True))
        mix(tf.ones(3), pick(False))
    """)
    assert found["scale"]["code"] is None
    assert "may be tensors" in found["scale"]["reasons"][0]
    assert found["mix"]["code"] is None  # not proposed either: the literal may retrace


def test_a_container_of_tensors_and_literals_is_evidence_of_retracing(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def add(pair):
            return pair[0] + pair[1]

        add((1, tf.ones(2)))
    """)
    assert found["add"]["code"] == "HYB402"
    assert found["add"]["literal_parameters"] == {
        "pair": ["receives a container of tensors and Python literals at m.py:8"]}


def test_int_arrays_with_literals_block_a_bare_decorator(tmp_path):
    found = verdicts(tmp_path, """
        import numpy as np
        import tensorflow as tf

        def half(x):
            return tf.reduce_sum(x * 0.5)

        half(tf.ones(3))
        half(np.arange(3))
    """)
    assert found["half"]["code"] is None
    assert "promote differently" in found["half"]["reasons"][0]


def test_input_signature_none_is_no_signature(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function(input_signature=None)
        def scale(x, factor):
            return x * factor

        scale(tf.ones(3), 2.0)
    """)
    assert found["scale"]["code"] == "HYB402"


def test_a_tf_function_used_as_one_keeps_its_decorator(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def serve(features):
            return {"outputs": features}

        concrete = serve.get_concrete_function(tf.TensorSpec([None, 3]))
        serve(tf.ones((2, 3)))
    """)
    assert found["serve"]["code"] is None
    assert "function object is used" in found["serve"]["reasons"][0]


def test_a_value_unpacked_from_an_array_parameter_is_not_a_use_of_the_parameter(tmp_path):
    found = _signature_case(tmp_path, "first, second = x\n    return tf.reduce_sum(first)", "f(np.ones((2, 3)))")
    assert found["code"] is None
    assert any("in ways a signature" in reason for reason in found["reasons"]), found["reasons"]


@pytest.mark.parametrize("result, blocker", [
    ('f"mean={tf.reduce_mean(x)}"', "returns a Python `str`"),
    ('"%s" % tf.reduce_mean(x)', "returns a Python `str`"),
    ("tf.group(x.assign_add(1.0))", "returns the Operation of `tensorflow.group`"),
    ("tf.debugging.assert_positive(x)", "returns the Operation of `tensorflow.debugging.assert_positive`"),
    ("tf.reduce_sum(x), tf.no_op()", "returns the Operation of `tensorflow.no_op`"),
    ("lambda y: y * tf.reduce_sum(x)", "returns a function"),
    ("Box(tf.reduce_sum(x))", "returns a `Box` object"),
    ("PlainBox(tf.reduce_sum(x))", "returns a `PlainBox` object"),
    ("Stats(tf.reduce_sum(x))", "returns a `Stats` object"),
    ("{'total': Box(tf.reduce_sum(x))}", "returns a `Box` object"),
    ("tf.TensorShape([None, 3])", "returns a `TensorShape` object"),
    ("tf.keras.layers.Dense(3)", "returns a `Dense` object"),
])
def test_results_a_tf_function_cannot_return_block_hybridization(tmp_path, result, blocker):
    found = verdicts(tmp_path, f"""
import dataclasses
import tensorflow as tf

class Box:
    def __init__(self, value):
        self.value = value

class PlainBox(object):
    pass

@dataclasses.dataclass
class Stats:
    total: tf.Tensor

def f(x):
    return {result}

f(tf.ones((3,)))
""")
    assert found["f"]["code"] is None
    assert any(blocker in reason for reason in found["f"]["eager_only"]), found["f"]["eager_only"]


@pytest.mark.parametrize("result", [
    "tf.strings.join(['a', tf.strings.as_string(tf.reduce_sum(x))])",  # a string tensor either way
    '"total: " + tf.strings.as_string(tf.reduce_sum(x))',
    "Pair(tf.reduce_sum(x), x)",  # namedtuples are nest structures
    "Ragged(values=x * 2.0)",  # ExtensionTypes are returned as they are
    "Record(tf.reduce_sum(x))",  # attrs classes are nest structures
    "Opaque(tf.reduce_sum(x))",  # a base the analysis cannot name
    "tf.debugging.assert_all_finite(x * 2.0, 'bad')",  # returns its tensor argument
    "tf.raw_ops.Relu(features=x)",  # raw ops are CapWords functions returning tensors
])
def test_results_a_tf_function_can_return_do_not_block_hybridization(tmp_path, result):
    found = verdicts(tmp_path, f"""
import collections
import attr
import tensorflow as tf

Pair = collections.namedtuple("Pair", "total values")

class Ragged(tf.experimental.ExtensionType):
    values: tf.Tensor

@attr.s
class Record:
    total = attr.ib()

class Opaque(collections.namedtuple("Opaque", "total")):
    pass

def f(x):
    return {result}

f(tf.ones((3,)))
""")
    assert found["f"]["eager_only"] == []
    assert found["f"]["code"] == "HYB301"


def test_a_callee_returning_what_a_tf_function_cannot_does_not_block_its_callers(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        class Box:
            def __init__(self, value):
                self.value = value

        def boxed(x):
            return Box(tf.reduce_sum(x))

        def step(x):
            return boxed(x * 2.0).value

        step(tf.ones((3,)))
    """)
    assert found["boxed"]["code"] is None
    assert found["step"]["code"] == "HYB301"


@pytest.mark.parametrize("condition", ["tf.reduce_any(x < 0)", "x[0] < 0", "not tf.reduce_all(x >= 0)",
                                       "tf.size(x) == 0 or tf.reduce_any(x < 0)"])
def test_a_raise_under_a_tensor_condition_blocks_hybridization(tmp_path, condition):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

def f(x):
    if {condition}:
        raise ValueError("negative input")
    return tf.sqrt(x)

f(tf.ones((3,)))
""")
    assert found["f"]["code"] is None
    assert any("`raise` runs on every call" in reason for reason in found["f"]["eager_only"]), found["f"]["eager_only"]


@pytest.mark.parametrize("condition", ["x.dtype != tf.float32", "x.shape.rank != 1", "x is None",
                                       "len(x.shape) > 2", "not isinstance(x, tf.Tensor)", "tf.executing_eagerly()",
                                       "[t for t in tf.unstack(x) if t.dtype != tf.float32]"])
def test_a_raise_under_a_python_condition_does_not_block_hybridization(tmp_path, condition):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

def f(x):
    if {condition}:
        raise ValueError("bad input")
    return tf.sqrt(x)

f(tf.ones((3,)))
""")
    assert found["f"]["eager_only"] == []
    assert found["f"]["code"] == "HYB301"


@pytest.mark.parametrize("test", ["isinstance(x, np.ndarray)", "isinstance(x, (np.ndarray, float))",
                                  "isinstance(x, np.generic)"])
def test_a_function_written_for_numpy_and_tensors_alike_is_not_hybridized(tmp_path, test):
    found = verdicts(tmp_path, f"""
import numpy as np
import tensorflow as tf

def f(x):
    if {test}:
        return np.square(x)
    return tf.square(x)

f(tf.ones((3,)))
""")
    assert found["f"]["code"] is None
    assert any("written for NumPy values and tensors alike" in r for r in found["f"]["eager_only"])


def test_a_numpy_type_test_in_a_mapped_nested_function_blocks_its_definer(tmp_path):
    found = verdicts(tmp_path, """
        import numpy as np
        import tensorflow as tf

        def standardize(batch):
            def convert(t):
                if isinstance(t, np.ndarray):
                    return np.asarray(t, np.float32)
                return tf.cast(t, tf.float32)
            return tf.nest.map_structure(convert, batch * 2.0)

        standardize(tf.ones((3,)))
    """)
    assert found["standardize"]["code"] is None
    assert any("calls `standardize.convert`" in r for r in found["standardize"]["eager_only"])


@pytest.mark.parametrize("test", ["isinstance(x, tf.Tensor)", "isinstance(x, (list, tuple))",
                                  "isinstance(scale, np.ndarray)"])
def test_type_tests_that_are_not_about_numpy_parameters_do_not_block(tmp_path, test):
    found = verdicts(tmp_path, f"""
import numpy as np
import tensorflow as tf

scale = np.float32(2.0)

def f(x):
    if {test}:
        x = tf.stack(x)
    return tf.square(x)

f(tf.ones((3,)))
""")
    assert found["f"]["eager_only"] == []
    assert found["f"]["code"] == "HYB301"


@pytest.mark.parametrize("body", [
    "return tf.reshape(x, [-1, int(np.prod(x.shape[1:]))])",
    "return x + np.zeros(x.shape, np.float32)",
    "return tf.reshape(x, [np.prod(x.get_shape().as_list())])",
])
def test_numpy_on_a_tensors_static_shape_blocks_hybridization(tmp_path, body):
    found = verdicts(tmp_path, f"""
import numpy as np
import tensorflow as tf

def f(x):
    {body}

f(tf.ones((2, 3, 4)))
""")
    assert found["f"]["code"] is None
    assert any("static shape" in r for r in found["f"]["eager_only"]), found["f"]["eager_only"]


@pytest.mark.parametrize("body", [
    "return tf.reshape(x, [-1, tf.reduce_prod(tf.shape(x)[1:])])",
    "kernel = np.ones((3, 3), np.float32)\n    return x * float(np.prod(kernel.shape))",
    "return tf.reshape(x, [-1, x.shape[1] * x.shape[2]])",
])
def test_numpy_on_non_tensor_shapes_does_not_block_hybridization(tmp_path, body):
    found = verdicts(tmp_path, f"""
import numpy as np
import tensorflow as tf

def f(x):
    {body}

f(tf.ones((2, 3, 4)))
""")
    assert found["f"]["eager_only"] == []
    assert found["f"]["code"] == "HYB301"


@pytest.mark.parametrize("body", [
    "tf.summary.scalar('loss', tf.reduce_mean(x), step=step)",
    "with writer.as_default():\n        tf.summary.histogram('x', x * 2.0, step=step)\n        log_mean(x, step)",
])
def test_a_function_that_only_writes_summaries_is_not_hybridized(tmp_path, body):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

writer = tf.summary.create_file_writer("logs")

def log_mean(x, step):
    tf.summary.scalar("mean", tf.reduce_mean(x), step=step)

def f(x, step):
    {body}

f(tf.ones((3,)), tf.constant(1, tf.int64))
""")
    assert found["f"]["code"] is None
    assert any("only writes summaries" in r for r in found["f"]["eager_only"]), found["f"]["eager_only"]


@pytest.mark.parametrize("body", [
    "loss = tf.reduce_mean(x)\n    tf.summary.scalar('loss', loss, step=step)\n    return loss",
    "total.assign_add(tf.reduce_sum(x))\n    tf.summary.scalar('total', total, step=step)",
    "tf.summary.scalar('x', tf.reduce_mean(x), step=step)\n    accumulate(x)",
    "log_mean(x, step)\n    total.assign_add(tf.reduce_sum(x))",  # calls a summaries-only helper
])
def test_a_function_that_writes_summaries_and_does_more_is_hybridized(tmp_path, body):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

total = tf.Variable(0.0)

def log_mean(x, step):
    tf.summary.scalar("mean", tf.reduce_mean(x), step=step)

def accumulate(x):
    total.assign_add(tf.reduce_sum(x))

def f(x, step):
    {body}

f(tf.ones((3,)), tf.constant(1, tf.int64))
""")
    assert found["f"]["eager_only"] == []
    assert found["f"]["code"] == "HYB301"


@pytest.mark.parametrize("argument", ["tf.keras.Input(shape=(3,))", "tf.TensorSpec([None, 3], tf.float32)"])
def test_a_function_receiving_symbolic_tensors_builds_models_and_is_not_hybridized(tmp_path, argument):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

def build_head(inputs):
    x = tf.keras.layers.Dense(16, activation="relu")(inputs)
    return tf.keras.layers.Dense(1)(x) * 2.0

head = build_head({argument})
""")
    assert found["build_head"]["code"] is None
    assert any("symbolic tensor" in r for r in found["build_head"]["eager_only"]), found["build_head"]["eager_only"]


def test_the_same_model_code_called_on_tensors_is_hybridized(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        dense = tf.keras.layers.Dense(1)

        def head(inputs):
            return dense(inputs) * 2.0

        head(tf.ones((2, 3)))
    """)
    assert found["head"]["eager_only"] == []
    assert found["head"]["code"] == "HYB301"


@pytest.mark.parametrize("use", [
    "assert isinstance(count, tf.types.experimental.PolymorphicFunction)",
    "is_graph = isinstance(count, (def_function.Function, type(None)))",
    "traces = count.experimental_get_tracing_count()",
    "plain = count.python_function",
    "signature = count.input_signature",
])
def test_a_tf_function_whose_object_is_used_keeps_its_decorator(tmp_path, use):
    found = verdicts(tmp_path, f"""
import tensorflow as tf
from tensorflow.python.eager import def_function

@tf.function
def count(n):
    return n + 1

count(3)
{use}
""")
    assert found["count"]["code"] is None
    assert "function object is used" in found["count"]["reasons"][0]


@pytest.mark.parametrize("use", ["assert isinstance(count, type(len))", "name = count.__name__",
                                 "other.python_function"])
def test_other_uses_of_a_tf_function_do_not_keep_its_decorator(tmp_path, use):
    found = verdicts(tmp_path, f"""
import tensorflow as tf

@tf.function
def count(n):
    return n + 1

@tf.function
def other(n):
    return n - 1

count(3)
other(3)
{use}
""")
    assert found["count"]["code"] == "HYB401"


def test_a_barren_tf_function_returning_a_python_str_keeps_its_decorator(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        @tf.function
        def label(n):
            return "item-%d" % n

        @tf.function
        def index(n):
            return n * 2

        label(3)
        index(3)
    """)
    assert found["label"]["code"] is None
    assert "string tensor" in found["label"]["reasons"][0]
    assert found["index"]["code"] == "HYB401"


def test_helpers_called_on_what_layers_return_for_symbolic_inputs_build_models_too(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        def block(x, units):
            x = tf.keras.layers.Dense(units)(x)
            return tf.keras.layers.ReLU()(x) * 2.0

        def build(inputs):
            x = tf.keras.layers.Dense(8)(inputs)
            for units in (4, 2):
                x = block(x, units)
            return tf.keras.Model(inputs, x)

        model = build(tf.keras.Input(shape=(3,)))
    """)
    assert any("symbolic tensor" in r for r in found["block"]["eager_only"]), found["block"]["eager_only"]
    assert found["block"]["code"] is None


def test_keras_activation_lookups_return_functions_and_configs_not_tensors(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        def describe(activation):
            return tf.keras.activations.serialize(activation)

        def activate(x):
            return tf.keras.activations.relu(x)

        describe(tf.keras.activations.get("relu"))
        activate(tf.ones((3,)))
    """)
    assert found["describe"]["tensor_parameters"] == {}
    assert found["describe"]["code"] is None
    assert found["activate"]["code"] == "HYB301"


def test_symbolic_sources_do_not_turn_literal_arithmetic_into_tensors(tmp_path):
    found = verdicts(tmp_path, """
        import tensorflow as tf

        def step(x, n):
            return tf.reduce_sum(x) * n

        def run(count):
            getters = [abs]
            return step(tf.ones((3,)), getters[0](count) * 3.0)

        run(4)
    """)
    assert "n" in found["step"]["literal_parameters"], found["step"]
