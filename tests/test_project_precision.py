"""The project model matches what Python and TensorFlow do: which code is traced, and what runs.

Each class of imprecision found on real TF2 code has a positive test (still reported) and a
negative one of the same shape (no longer reported): wrappers of ``tf.function``, method dispatch
on a known receiver class, Keras models only ever run eagerly, functions defined twice, and one
project root for every command.
"""

from __future__ import annotations

import json

from hybridize_lint.cli import main
from project_helpers import lint, run, write_files, write_project

# -- Keras: `call` is graph code only on Keras' compiled paths --------------------

EAGER_PREDICT_MODEL = """
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return self.dense(x)

    def predict(self, batches):
        return [self(batch) for batch in batches]
"""


def test_model_run_through_its_own_predict_override_is_eager(tmp_path):
    """``net.predict`` is the project's own loop calling ``self(x)``: ``call`` runs eagerly each time."""
    files = {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            outputs = net.predict([tf.ones((2, 3))] * 3)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_model_fitted_by_keras_is_graph_code(tmp_path):
    files = {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((8, 3)), tf.ones((8, 4)))
            """,
    }
    assert lint(tmp_path, files) == {("model.py", 11, "HYB104")}


def test_predict_override_delegating_to_keras_predict_is_graph_code(tmp_path):
    """``super().predict(...)`` is Keras' compiled predict loop: it traces ``call``."""
    model = EAGER_PREDICT_MODEL.replace("return [self(batch) for batch in batches]",
                                        "return super().predict(batches)")
    files = {
        "model.py": model,
        "main.py": """
            import tensorflow as tf

            from model import Net

            outputs = Net().predict(tf.ones((8, 3)))
            """,
    }
    assert lint(tmp_path, files) == {("model.py", 11, "HYB104")}


def test_explain_names_the_tracer_of_a_keras_step(tmp_path, capsys):
    """No tf.function anywhere: explain must not say the function is "wrapped with tf.function"."""
    root = write_project(tmp_path, {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((8, 3)), tf.ones((8, 4)))
            """,
    })
    assert main(["explain", "--output-format", "json", f"{root / 'model.py'}::Net.call"]) == 0
    reasons = json.loads(capsys.readouterr().out)[0]["reasons"]
    assert "is already traced as graph code (Keras fit)" in reasons
    assert not any("wrapped with tf.function" in reason for reason in reasons)


# -- one project root for every command ------------------------------------------

MARKERLESS = {
    "app/helpers.py": """
        def scale(x):
            print("scaling", x)
            return x * 2.0
        """,
    "app/train.py": """
        import tensorflow as tf

        from app.helpers import scale


        def step(x):
            return scale(x) + 1.0


        for _ in range(3):
            step(tf.constant(1.0))
        """,
}


def _write_markerless(root):
    write_files(root, MARKERLESS)


# The paper's per-function decisions: these tests are about what the project model resolves.
EVERY_FUNCTION = ["--config", 'hybridization = "every-function"']


def _check_codes(capsys, *paths: str) -> set[tuple[str, int, str]]:
    main(["check", "--no-cache", "--exit-zero", "--output-format", "json", "--select", "HYB3", *EVERY_FUNCTION,
          *paths])
    return {(item["filename"].rpartition("app/")[2], item["location"]["row"], item["code"])
            for item in json.loads(capsys.readouterr().out)}


def _explained_action(capsys, target: str) -> str | None:
    assert main(["explain", "--output-format", "json", *EVERY_FUNCTION, target]) == 0
    return json.loads(capsys.readouterr().out)[0]["code"]


def test_explain_and_check_analyse_the_same_markerless_project(tmp_path, monkeypatch, capsys):
    """No pyproject.toml/.git: run from the tree's top, `check` and `explain` see `app.helpers` alike."""
    _write_markerless(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _check_codes(capsys, ".") == set()  # step → scale → print: a side effect, not a candidate
    assert _check_codes(capsys, "app") == set()
    assert _check_codes(capsys, "app/train.py") == set()
    assert main(["explain", "--output-format", "json", "app/train.py::step"]) == 0
    explained = json.loads(capsys.readouterr().out)[0]
    assert explained["code"] is None
    assert explained["side_effects"] == ["step → scale → print at app/helpers.py:2"]


def test_markerless_project_still_reports_what_it_resolves(tmp_path, monkeypatch, capsys):
    """The same tree with a quiet helper: both commands agree that `step` can be hybridized."""
    _write_markerless(tmp_path)
    (tmp_path / "app/helpers.py").write_text("def scale(x):\n    return x * 2.0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    candidates = {("train.py", 6, "HYB301"), ("helpers.py", 1, "HYB301")}
    assert _check_codes(capsys, ".") == candidates
    assert _check_codes(capsys, "app") == candidates
    assert _explained_action(capsys, "app/train.py::step") == "HYB301"


# -- wrappers of tf.function --------------------------------------------------------

WRAPPERS = """
import functools

import tensorflow as tf


def function(func=None, **kwargs):
    return tf.function(func, **kwargs)


def agent_function(*args, **kwargs):
    autograph = kwargs.pop("autograph", False)
    return tf.function(*args, autograph=autograph, **kwargs)


def compiled(**options):
    def decorator(fn):
        return function(fn, jit_compile=True, **options)
    return decorator


def fast(fn):
    return agent_function(fn, reduce_retracing=True)


def make_backend(name, fn, attributes):
    return tf.function(fn, autograph=False, experimental_attributes=attributes)


def logged(fn):
    @functools.wraps(fn)
    def run(*args):
        return fn(*args)
    return run
"""

NOISY_STEPS = """
import tensorflow as tf

from utils import {wrapper}


@{decorator}
def step(x):
    print("step", x)
    return x * 2.0
"""


def _noisy_step(tmp_path, wrapper: str, decorator: str) -> set:
    return lint(tmp_path, {"utils.py": WRAPPERS,
                           "train.py": NOISY_STEPS.format(wrapper=wrapper, decorator=decorator)})


def test_project_wrapper_of_tf_function_makes_graph_code(tmp_path):
    assert _noisy_step(tmp_path / "a", "function", "function") == {("train.py", 8, "HYB101")}
    assert _noisy_step(tmp_path / "b", "function", "function(autograph=False)") == {("train.py", 8, "HYB101")}
    assert _noisy_step(tmp_path / "c", "agent_function", "agent_function") == {("train.py", 8, "HYB101")}


def test_wrapper_through_another_wrapper_and_decorator_factory(tmp_path):
    assert _noisy_step(tmp_path / "a", "fast", "fast") == {("train.py", 8, "HYB101")}
    assert _noisy_step(tmp_path / "b", "compiled", "compiled()") == {("train.py", 8, "HYB101")}


def test_decorator_that_does_not_wrap_with_tf_function_stays_eager(tmp_path):
    assert _noisy_step(tmp_path / "a", "logged", "logged") == set()
    # a decorator factory used without its call: `compiled(step)` returns a decorator, not a tf.function
    assert _noisy_step(tmp_path / "b", "compiled", "compiled") == set()


def test_calling_a_tf_function_is_not_wrapping_its_argument(tmp_path):
    """``tf.function(body)(value)`` runs body as a graph; ``value`` is its argument, not a wrapped function."""
    files = {"apply.py": """
        import tensorflow as tf


        def body(f):
            return f


        def apply(value):
            compiled = tf.function(body, jit_compile=True)
            return compiled(value)


        def apply_inline(value):
            return tf.function(body)(value)


        def noisy(x):
            print("noisy", x)
            return x


        first = apply(noisy)
        second = apply_inline(noisy)
        """}
    assert lint(tmp_path, files) == set()


def test_call_forms_of_a_wrapper(tmp_path):
    files = {
        "utils.py": WRAPPERS,
        "agent.py": """
            import tensorflow as tf

            import utils


            class Agent:
                def __init__(self):
                    self._train = utils.agent_function(self._train)

                def _train(self, x):
                    self.steps.append(x)
                    return x * 2.0

                def learn(self, x):
                    self.last = x
                    return x

                def report(self):
                    return self.last


            def body(x):
                print("body", x)
                return x + 1.0


            def quiet_body(x):
                print("eager", x)
                return x + 1.0


            def main():
                agent = Agent()
                train = utils.agent_function(agent.learn)
                return train(tf.ones(3))


            backend = utils.make_backend("gru", body, {"go_backwards": False})
            eager = utils.logged(quiet_body)
            """,
    }
    assert lint(tmp_path, files) == {("agent.py", 11, "HYB105"), ("agent.py", 15, "HYB104"),
                                     ("agent.py", 23, "HYB101")}


def test_wrapped_function_is_not_a_hybridization_candidate(tmp_path):
    """HYB301 must not suggest stacking a raw @tf.function under the project's wrapper."""
    program = """
        import tensorflow as tf

        from utils import {wrapper}


        {decorator}
        def step(x):
            return tf.reduce_sum(x * 2.0)


        for _ in range(3):
            step(tf.ones((2, 2)))
        """
    settings = 'select = ["HYB3"]\nhybridization = "every-function"\n'
    wrapped = {"utils.py": WRAPPERS, "train.py": program.format(wrapper="compiled", decorator="@compiled()")}
    plain = {"utils.py": WRAPPERS, "train.py": program.format(wrapper="logged", decorator="@logged")}
    assert lint(tmp_path / "wrapped", wrapped, settings) == set()
    assert lint(tmp_path / "plain", plain, settings) == {("train.py", 7, "HYB301")}


LIBRARY_WRAPPED = """
import tensorflow as tf
from tf_agents.utils import common
from mylib.compile import compile_fn


@common.function
def act(x):
    print("act", x)
    return x


@compile_fn
def learn(x):
    print("learn", x)
    return x
"""


def test_known_library_wrapper_and_configured_wrappers(tmp_path):
    """tf-agents' `common.function` is in the knowledge base; others are named in the config."""
    assert lint(tmp_path / "a", {"agent.py": LIBRARY_WRAPPED}) == {("agent.py", 8, "HYB101")}
    configured = 'select = ["HYB1"]\nfunction-wrappers = ["mylib.compile.compile_fn"]\n'
    assert lint(tmp_path / "b", {"agent.py": LIBRARY_WRAPPED}, configured) == {
        ("agent.py", 8, "HYB101"), ("agent.py", 14, "HYB101")}


def test_graph_root_records_autograph(tmp_path, capsys):
    root = write_project(tmp_path, {"utils.py": WRAPPERS, "agent.py": LIBRARY_WRAPPED, "train.py": """
        import tensorflow as tf

        from utils import function


        @function
        def plain(x):
            return x


        @function(autograph=False)
        def without_autograph(x):
            return x


        @tf.function(autograph=False)
        def direct(x):
            return x
        """})
    assert main(["explain", "--output-format", "json", str(root / "train.py"), str(root / "agent.py")]) == 0
    traced = {item["function"]: item["traced"] for item in json.loads(capsys.readouterr().out)}
    assert traced["plain"] == {"reason": "tf.function", "wrapper": "utils.function", "autograph": True}
    assert traced["without_autograph"]["autograph"] is False
    assert traced["direct"] == {"reason": "tf.function", "wrapper": None, "autograph": False}
    assert traced["act"] == {"reason": "tf.function", "wrapper": "tf_agents.utils.common.function",
                             "autograph": False}


# -- a name defined twice: each definition is its own function ------------------------

CONDITIONAL_DEFINITIONS = """
import tensorflow as tf

if hasattr(tf, "function"):
    @tf.function
    def step(x):
        print("traced", x)
        return x * 2.0
else:
    def step(x):
        return x * 2.0


def scale(x):
    print("first scale", x)
    return x


def scale(x):
    return tf.reduce_sum(x * 2.0)


for _ in range(3):
    scale(tf.ones((2, 2)))
"""


def test_shadowed_definition_keeps_its_own_findings(tmp_path):
    """The `if` branch's tf.function prints at trace time, though an `else` branch redefines `step`."""
    assert lint(tmp_path, {"steps.py": CONDITIONAL_DEFINITIONS}) == {("steps.py", 6, "HYB101")}


def test_findings_about_a_redefined_function_sit_on_its_last_definition(tmp_path, capsys):
    """Calls of `scale` run the last definition: the HYB301 evidence is about it, at its line."""
    found = run(tmp_path, {"steps.py": CONDITIONAL_DEFINITIONS}, 'select = ["HYB301"]\nhybridization = "every-function"\n')
    assert [(f.row, f.message.split("`")[1]) for f in found if "scale" in f.message] == [(18, "scale")]
    assert main(["explain", "--output-format", "json", str(tmp_path / "project" / "steps.py")]) == 0
    explained = {item["function"]: item for item in json.loads(capsys.readouterr().out)}
    assert (explained["scale@13"]["line"], explained["scale@13"]["side_effects"]) == (13, ["scale@13 → print at steps.py:14"])
    assert explained["scale@13"]["tensor_parameters"] == {}
    assert (explained["scale"]["line"], explained["scale"]["code"]) == (18, "HYB301")
    assert explained["step@5"]["hybrid"] and not explained["step"]["hybrid"]


# -- self calls dispatch on the receiver's class, when the call knows it ------------------

BLOCKS = """
class Block:
    def __init__(self, units):
        self.units = units
        self.deps = self._deps()

    def _deps(self):
        return []

    def refresh(self):
        return self._deps()


class LoggedBlock(Block):
    def __init__(self, units):
        super().__init__(units)

    def _deps(self):
        print("resolving dependencies")
        return ["log"]


class PlainBlock(Block):
    def _deps(self):
        return ["plain"]


class ReadingBlock(Block):
    def _deps(self):
        return [self.units.numpy()]
"""

GRAPH_CODE_BUILDING = """
import tensorflow as tf

from blocks import {cls}


@tf.function
def forward(x):
    block = {cls}(4)
    block.refresh()
    return x * block.units


{cls}(2)  # eager code builds one too
"""


def test_base_init_self_call_runs_the_constructed_class_override(tmp_path):
    """`PlainBlock(4)` runs Block.__init__ → self._deps() → PlainBlock._deps, never LoggedBlock's."""
    files = {"blocks.py": BLOCKS, "model.py": GRAPH_CODE_BUILDING.format(cls="PlainBlock")}
    assert lint(tmp_path, files) == set()


def test_subclass_init_through_super_reaches_its_own_override(tmp_path):
    files = {"blocks.py": BLOCKS, "model.py": GRAPH_CODE_BUILDING.format(cls="LoggedBlock")}
    found = run(tmp_path, files)
    assert {f.key for f in found} == {("model.py", 8, "HYB110"), ("model.py", 9, "HYB110")}
    assert [f.message.rpartition("(")[2] for f in found] == [
        "forward → LoggedBlock.__init__ → Block.__init__ → LoggedBlock._deps → print)",
        "forward → Block.refresh → LoggedBlock._deps → print)"]


def test_graph_errors_follow_the_receiver_class(tmp_path):
    """`.numpy()` in a sibling's override is not graph code for a graph function building PlainBlock."""
    plain = {"blocks.py": BLOCKS, "model.py": GRAPH_CODE_BUILDING.format(cls="PlainBlock")}
    reading = {"blocks.py": BLOCKS, "model.py": GRAPH_CODE_BUILDING.format(cls="ReadingBlock")}
    assert lint(tmp_path / "plain", plain) == set()
    assert lint(tmp_path / "reading", reading) == {("blocks.py", 29, "HYB501")}


def test_variable_created_per_call_of_a_wrapped_function(tmp_path):
    """TensorFlow raises ValueError for a tf.Variable made on every call, through a wrapper too."""
    program = """
        import tensorflow as tf

        from utils import {wrapper}


        @{wrapper}
        def scale(x):
            weight = tf.Variable(2.0)
            return x * weight
        """
    wrapped = lint(tmp_path / "wrapped", {"utils.py": WRAPPERS, "m.py": program.format(wrapper="agent_function")})
    plain = lint(tmp_path / "plain", {"utils.py": WRAPPERS, "m.py": program.format(wrapper="logged")})
    assert (wrapped, plain) == ({("m.py", 8, "HYB502")}, set())
