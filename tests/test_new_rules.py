"""HYB108, HYB206 and HYB303 beyond their rule examples: the cases each rule must and must not report,
found while reviewing the corpus, and their settings. (The examples in ``rules/`` are tests too.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from hybridize_lint.config import ANALYSIS_KEYS, ConfigError, SettingsResolver
from hybridize_lint.engine import Linter, RunOptions
from project_helpers import run, write_project

SELECT = 'select = ["HYB108", "HYB206", "HYB303"]\n'


def found(tmp_path: Path, text: str, settings: str = "") -> list[tuple[int, int, str]]:
    return [(f.row, f.column, f.code) for f in run(tmp_path, {"main.py": text}, SELECT + settings)]


def fixes(tmp_path: Path, text: str) -> dict[tuple[int, str], bool]:
    project = write_project(tmp_path / "project", {"main.py": text}, SELECT)
    report = Linter(SettingsResolver()).run([project], RunOptions(use_cache=False))
    return {(d.start.row, d.code): d.fix is not None for d in report.diagnostics}


# -- HYB108 --------------------------------------------------------------------------------------


def test_hyb108_straight_line_rebinding_after_a_call(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        mode = "train"


        @tf.function
        def scale(x):
            return x * 2.0 if mode == "train" else x


        scale(tf.ones([2]))
        mode = "eval"
        scale(tf.ones([2]))
        """) == [(8, 23, "HYB108")]


MASKED_STEP = """
    import tensorflow as tf


    class MaskedStep:
        def __init__(self):
            self.masks = {}

        def update_masks(self, masks):
            self.masks = masks

        @tf.function
        def __call__(self, x, sparsity):
            return x * self.masks["dense"]


    def prune(x, schedule):
        step = MaskedStep()
        for sparsity, masks in schedule:
            step.update_masks(masks)
            step(x, sparsity)
    """


def test_hyb108_a_parameter_the_body_never_reads_keys_the_traces(tmp_path):
    # `sparsity` is there to retrace: each new mask set comes with a new sparsity, hence a new graph.
    assert found(tmp_path, MASKED_STEP) == []
    unkeyed = MASKED_STEP.replace("def __call__(self, x, sparsity):", "def __call__(self, x):").replace(
        "step(x, sparsity)", "step(x)")
    assert found(tmp_path / "unkeyed", unkeyed) == [(13, 20, "HYB108")]


def test_hyb108_rebinding_before_any_call_is_set_up(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        mode = "train"
        mode = "eval"


        @tf.function
        def scale(x):
            return x * 2.0 if mode == "train" else x


        scale(tf.ones([2]))
        """) == []


def test_hyb108_graph_code_writing_the_global_itself_is_hyb103s(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        calls = 0


        @tf.function
        def count(x):
            global calls
            calls = calls + 1
            return x * calls


        for _ in range(3):
            count(tf.ones([2]))
        """) == []


def test_hyb108_nonlocal_writer_called_in_the_loop(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf


        def train(batches):
            rate = 0.1

            def decay():
                nonlocal rate
                rate = rate / 2

            @tf.function
            def step(x):
                return x * rate

            for x in batches:
                step(x)
                decay()
        """) == [(13, 20, "HYB108")]


def test_hyb108_attribute_of_unknown_kind_or_changed_only_in_set_up_methods(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf


        class Scaler:
            def __init__(self, factor):
                self.factor = factor
                self.offset = 1.0

            def build(self):
                self.offset = 2.0

            def compile(self, offset):
                self.offset = offset + 1.0

            @tf.function
            def __call__(self, x):
                return x * self.factor + self.offset

            def retune(self, factor):
                self.factor = factor


        scaler = Scaler(2.0)
        for x in [tf.ones([2])] * 3:
            scaler(x)
            scaler.retune(3.0)
            scaler.compile(1.0)
        """) == []


EXPLAINER = """
    import tensorflow as tf


    class Explainer:
        def __init__(self):
            self.target = 0.0

        def explain(self, node):
            self.target = float(node)
            return self.step(tf.ones([2]))

        @tf.function
        def step(self, x):
            return tf.reduce_sum(x) * self.target


    explainer = Explainer()
    CALLS
    """


def test_hyb108_a_method_that_changes_the_value_then_traces_and_runs_again(tmp_path):
    assert found(tmp_path, EXPLAINER.replace("CALLS", "for node in range(3):\n        explainer.explain(node)")) \
        == [(14, 35, "HYB108")]


def test_hyb108_a_method_that_changes_the_value_then_traces_once(tmp_path):
    assert found(tmp_path, EXPLAINER.replace("CALLS", "explainer.explain(1)")) == []


def test_hyb108_a_global_rebound_to_a_new_tensor_is_frozen_too(tmp_path):
    # The graph captured the tensor object its trace saw (TF 2.21: test_new_rules_tensorflow.py).
    assert found(tmp_path, """
        import numpy as np
        import tensorflow as tf

        bias = tf.zeros([2])
        table = np.zeros([2])


        @tf.function
        def shift(x):
            return x + bias + table


        for step in range(3):
            shift(tf.ones([2]))
            bias = bias + tf.ones([2])
            table = np.ones([2]) * step
        """) == [(10, 16, "HYB108"), (10, 23, "HYB108")]


def test_hyb108_a_branch_control_flow_runs_is_traced_anew_each_time(tmp_path):
    # tf.cond traces `double` where it is called, on every run of `encode`: no trace outlives the change.
    assert found(tmp_path, """
        import tensorflow as tf


        class Encoder(tf.keras.layers.Layer):
            def call(self, x):
                scale = 2.0

                def double():
                    return x * scale

                out = tf.cond(tf.reduce_sum(x) > 0, double, lambda: x)
                scale = 3.0
                return out * scale


        encoder = Encoder()
        for step in range(3):
            encoder(tf.ones([2]))
        """) == []


def test_hyb108_a_tf_function_made_anew_in_the_loop_that_changes_its_tensor(tmp_path):
    # Each iteration defines a new tf.function, traced with that iteration's tensor.
    assert found(tmp_path, """
        import tensorflow as tf


        def translate(batches):
            for batch in batches:
                text = tf.constant(batch)

                @tf.function
                def first():
                    return text[0]

                text = first()
            return text


        translate([[1.0, 2.0], [3.0, 4.0]])
        """) == []


def test_hyb108_a_variable_assigned_in_place_is_read_live(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        bias = tf.Variable(tf.zeros([2]))


        @tf.function
        def shift(x):
            return x + bias


        for step in range(3):
            shift(tf.ones([2]))
            bias.assign(bias + tf.ones([2]))
        """) == []


# -- HYB206 --------------------------------------------------------------------------------------


def test_hyb206_without_autograph_is_reported_without_fix(tmp_path):
    text = """
        import tensorflow as tf


        def power(x):
            for _ in range(100):
                x = x * 1.01
            return x


        fast = tf.function(power, autograph=False)
        """
    assert found(tmp_path, text) == [(5, 5, "HYB206")]
    assert fixes(tmp_path / "fix", text) == {(5, "HYB206"): False}


def test_hyb206_index_used_as_a_python_value_gets_no_fix(tmp_path):
    text = """
        import tensorflow as tf


        @tf.function
        def weighted(x):
            total = tf.zeros_like(x)
            for i in range(100):
                total = total + x * (i / 100)
            return total
        """
    assert fixes(tmp_path, text) == {(7, "HYB206"): False}


def test_hyb206_shadowed_range_is_not_pythons(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf
        from tensorflow import range


        @tf.function
        def power(x):
            for _ in range(100):
                x = x * 1.01
            return x
        """) == []


def test_hyb206_a_module_constant_changed_through_global_is_not_known(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        STEPS = 100


        def configure(steps):
            global STEPS
            STEPS = steps


        @tf.function
        def power(x):
            for _ in range(STEPS):
                x = x * 1.01
            return x
        """) == []


@pytest.mark.parametrize("value", ["0", "-3", "true", '"50"', "1.5"])
def test_unrolled_loop_threshold_must_be_a_positive_integer(tmp_path, value):
    (tmp_path / "pyproject.toml").write_text(f"[tool.hybridize-lint]\nunrolled-loop-threshold = {value}\n")
    with pytest.raises(ConfigError, match="unrolled-loop-threshold"):
        SettingsResolver().for_path(tmp_path)


def test_flake8_reads_the_threshold():
    assert "unrolled-loop-threshold" in ANALYSIS_KEYS


# -- HYB303 --------------------------------------------------------------------------------------


def test_hyb303_a_name_also_bound_to_something_else_is_not_certain(tmp_path):
    assert found(tmp_path, """
        import sys

        import tensorflow as tf

        EAGER = True
        if "--graph" in sys.argv:
            EAGER = False
        tf.config.run_functions_eagerly(EAGER)
        """) == []


def test_hyb303_else_branch_of_a_debug_guard_and_environment_flags(tmp_path):
    assert found(tmp_path, """
        import os

        import tensorflow as tf

        if not __debug__:
            pass
        else:
            tf.config.run_functions_eagerly(True)
        if os.environ.get("TF_DEBUG"):
            tf.data.experimental.enable_debug_mode()
        """) == []


def test_hyb303_a_switch_a_comment_explains_is_deliberate(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        # Enable eager execution - this is required for some models to work properly
        tf.config.run_functions_eagerly(True)


        def calibrate(model, batches):
            # run eagerly to fetch the numpy min/max of what the layers keep
            results = {}
            model.compile(run_eagerly=True)
            for batch in batches:
                results[len(results)] = model.predict_on_batch(batch)
            return results
        """) == []


def test_hyb303_a_comment_marking_a_leftover_or_about_something_else_explains_nothing(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf

        # eager for debugging
        tf.config.run_functions_eagerly(True)
        # TODO: back to graph mode? eager is slow
        tf.config.experimental_run_functions_eagerly(True)
        models = []
        steps = []
        # the models are loaded below
        tf.config.run_functions_eagerly(True)
        """) == [(4, 1, "HYB303"), (6, 1, "HYB303"), (10, 1, "HYB303")]


def test_hyb303_used_value_or_shared_line_gets_no_fix(tmp_path):
    text = """
        import tensorflow as tf

        previous = tf.config.run_functions_eagerly(True)
        tf.config.run_functions_eagerly(True); print("eager")
        """
    assert fixes(tmp_path, text) == {(3, "HYB303"): False, (4, "HYB303"): False}


def test_hyb108_attribute_set_on_the_object_elsewhere(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf


        class Trainer:
            def __init__(self):
                self.rate = 0.1

            @tf.function
            def update(self, w, g):
                return w - self.rate * g


        def main(w):
            local = Trainer()
            local.rate = 0.2  # set up before the first call
            for epoch in range(3):
                local.update(w, tf.ones([2]))


        trainer = Trainer()
        w = tf.ones([2])
        for epoch in range(3):
            w = trainer.update(w, tf.ones([2]))
            trainer.rate = trainer.rate * 0.5
        """) == [(10, 20, "HYB108")]


def test_hyb108_attribute_set_only_before_the_first_call(tmp_path):
    assert found(tmp_path, """
        import tensorflow as tf


        class Trainer:
            def __init__(self):
                self.rate = 0.1

            @tf.function
            def update(self, w, g):
                return w - self.rate * g


        trainer = Trainer()
        trainer.rate = 0.2
        w = tf.ones([2])
        for epoch in range(3):
            w = trainer.update(w, tf.ones([2]))
        """) == []


def test_hyb206_keras_call_is_not_converted_by_keras_3_so_no_tf_range_fix(tmp_path):
    text = """
        import tensorflow as tf


        class Repeat(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(1)

            def call(self, x):
                for _ in range(100):
                    x = tf.nn.relu(x) * 1.01
                return self.dense(x)


        @tf.function
        def train_step(model, x):
            return model(x)


        model = Repeat()
        model.compile(optimizer="sgd", loss="mse")
        model.fit(tf.ones([4, 2]), tf.ones([4, 1]))
        """
    findings = run(tmp_path, {"main.py": text}, SELECT)
    assert [(f.row, f.code) for f in findings] == [(10, "HYB206")]
    assert "tf.while_loop" in findings[0].message and "Keras 3" in findings[0].message
    assert fixes(tmp_path / "fix", text) == {(10, "HYB206"): False}


def test_hyb108_changer_called_in_an_earlier_loop_than_the_traces(tmp_path):
    text = """
        import tensorflow as tf

        threshold = 0.5


        def set_threshold(value):
            global threshold
            threshold = float(value)


        @tf.function
        def mask(x):
            return tf.cast(x > threshold, tf.float32)


        def main(batches, warmup):
            for value in warmup:
                set_threshold(value)
            for x in batches:
                mask(x)
        """
    assert found(tmp_path, text) == []
    assert found(tmp_path / "after", text + "        set_threshold(0.1)\n        mask(batches[0])\n") == [
        (13, 24, "HYB108")]


YOLO_TRAINER = """
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)


    class YoloLoss(tf.keras.layers.Layer):
        def call(self, y):
            seen = tf.Variable(0.0)
            seen.assign_add(1.0)
            return tf.reduce_mean(y) * seen


    def train(model, data):
        model.compile(optimizer="adam", loss=YoloLoss())
        model.fit(data, epochs=3)
    """


def test_hyb303_a_switch_that_lets_failing_model_code_run_is_load_bearing(tmp_path):
    # The loss layer makes a tf.Variable on every call: traced by fit, it fails (ValueError); with every
    # function eager it runs, so removing the switch as advised would break training.
    assert found(tmp_path, YOLO_TRAINER) == []


def test_hyb303_a_switch_beside_model_code_that_runs_as_a_graph_is_reported(tmp_path):
    graph_safe = YOLO_TRAINER.replace("seen = tf.Variable(0.0)\n            seen.assign_add(1.0)\n", "seen = 2.0\n")
    assert found(tmp_path, graph_safe) == [(3, 1, "HYB303")]
