"""HYB202 on a tf.function bound to a local, called once and dropped on every call of the function that
makes it (keras-nlp's ``Sampler.__call__``: ``sample = tf.function(self.sample, jit_compile=True)`` then
``sample(...)``): a new object per call starts with no traces. Real TensorFlow confirms the retrace per
call; the negatives are the ways of making a tf.function inside a function that trace once."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from project_helpers import lint, source

HYB202 = 'select = ["HYB202"]\n'

SAMPLER = """
import tensorflow as tf

TRACES = []


class Sampler:
    def sample(self, prompt):
        TRACES.append(1)
        return tf.nn.softmax(tf.cumsum(prompt, axis=-1)) * 2.0

    def __call__(self, prompt):
        sample = self.sample
        if prompt.shape.rank == 2:
            sample = tf.function(self.sample)
        return sample(prompt)


def generate(sampler, prompts):
    return [sampler(prompt) for prompt in prompts]
"""


def test_a_tf_function_made_and_called_once_per_call_is_reported(tmp_path):
    assert lint(tmp_path, {"m.py": SAMPLER}, HYB202) == {("m.py", 14, "HYB202")}


def test_made_once_per_run_of_the_loop_that_calls_it_is_not_reported(tmp_path):
    looped = SAMPLER.replace("        return sample(prompt)\n",
                             "        for row in prompt:\n            out = sample(row)\n        return out\n")
    assert lint(tmp_path, {"m.py": looped}, HYB202) == set()


def test_called_for_each_element_of_a_comprehension_is_not_reported(tmp_path):
    mapped = SAMPLER.replace("        return sample(prompt)\n", "        return [sample(row) for row in prompt]\n")
    assert lint(tmp_path, {"m.py": mapped}, HYB202) == set()


def test_handed_to_the_caller_or_kept_is_not_reported(tmp_path):
    kept = SAMPLER.replace("        return sample(prompt)\n", "        self.kept = sample\n        return sample(prompt)\n")
    returned = SAMPLER.replace("        return sample(prompt)\n", "        return sample(prompt), sample\n")
    closed = SAMPLER.replace("        return sample(prompt)\n", "        return (lambda: sample(prompt))()\n")
    assert lint(tmp_path / "kept", {"m.py": kept}, HYB202) == set()
    assert lint(tmp_path / "returned", {"m.py": returned}, HYB202) == set()
    assert lint(tmp_path / "closed", {"m.py": closed}, HYB202) == set()


def test_in_a_keras_layer_call_is_not_reported(tmp_path):
    """Keras runs a layer's ``call`` inside the graphs it traces (fit, predict): made once per trace."""
    layer = """
    import tensorflow as tf


    class Conv(tf.keras.layers.Layer):
        def convolve(self, x):
            return tf.nn.relu(x)

        def call(self, inputs):
            conv = tf.function(self.convolve, jit_compile=True)
            return conv(inputs)
    """
    assert lint(tmp_path, {"m.py": layer}, HYB202) == set()


def test_in_a_trainers_step_is_not_reported(tmp_path):
    """A trainer's ``train_step`` (and the step function it hands to ``strategy.run``) runs in the graph the
    training loop's framework traces (Orbit, Keras): made once per trace."""
    trainer = """
    import tensorflow as tf


    class Trainer:
        def __init__(self, task, strategy):
            self.task = task
            self.strategy = strategy

        def train_step(self, iterator):
            def step_fn(inputs):
                task_step = tf.function(self.task.train_step, jit_compile=True)
                return task_step(inputs)
            return self.strategy.run(step_fn, args=(next(iterator),))
    """
    assert lint(tmp_path, {"m.py": trainer}, HYB202) == set()
    plain = trainer.replace("def train_step(self, iterator)", "def run_step(self, iterator)")
    assert lint(tmp_path / "plain", {"m.py": plain}, HYB202) == {("m.py", 11, "HYB202")}


def test_in_a_main_the_script_runs_once_is_not_reported(tmp_path):
    script = """
    import tensorflow as tf


    def main():
        double = tf.function(lambda x: x * 2.0)
        print(double(tf.ones([2])))


    if __name__ == "__main__":
        main()
    """
    assert lint(tmp_path, {"m.py": script}, HYB202) == set()


def test_the_same_helper_called_from_a_loop_is_reported(tmp_path):
    helper = """
    import tensorflow as tf


    def predict(model, x):
        run = tf.function(model)
        return run(x)


    def main(model, batches):
        return [predict(model, x) for x in batches]


    if __name__ == "__main__":
        main(None, [])
    """
    assert lint(tmp_path, {"m.py": helper}, HYB202) == {("m.py", 5, "HYB202")}


@pytest.mark.tensorflow
@pytest.mark.skipif(os.environ.get("HYBRIDIZE_LINT_SKIP_TF") == "1", reason="HYBRIDIZE_LINT_SKIP_TF=1")
def test_tensorflow_traces_the_reported_function_on_every_call(tmp_path):
    if importlib.util.find_spec("tensorflow") is None:
        pytest.fail("TensorFlow is not installed: `pip install '.[test]'`", pytrace=False)
    program = source(SAMPLER) + source("""
    import json
    sampler = Sampler()
    generate(sampler, [tf.ones([2, 8])] * 5)
    per_call = len(TRACES)
    TRACES.clear()
    Sampler.__call__ = lambda self, prompt, _f={}: _f.setdefault(id(self), tf.function(self.sample))(prompt)
    generate(sampler, [tf.ones([2, 8])] * 5)
    print(json.dumps({"per_call": per_call, "made_once": len(TRACES)}))
    """)
    path = tmp_path / "program.py"
    path.write_text(program, encoding="utf-8")
    completed = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=600,
                               env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "-1"})
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == {"per_call": 5, "made_once": 1}
