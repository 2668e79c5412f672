"""Classes of wrong findings met on the corpus5 packages (``bench/precision/false-classes.md``, corpus5
round), mended in a later session: each has a negative case (no longer reported) and a positive one (the
hazard outside the pattern, still reported), as small programs written for the test. (H7, effects behind a
flag parameter, has its own file: ``test_flag_guarded_effects.py``.)"""

from __future__ import annotations

from project_helpers import lint

HYB108 = 'select = ["HYB108"]\n'

# -- H9: a notebook-style script that redefines its step ------------------------------------------------

REDEFINED_STEP = """
import tensorflow as tf

image = tf.Variable(tf.zeros([4]))
weight = 0.0


@tf.function
def train_step(x):
    image.assign_add(x + weight)


train_step(tf.ones([4]))
train_step(tf.ones([4]))

weight = 30.0


@tf.function
def train_step(x):
    image.assign_add(x * weight)


for _ in range(10):
    train_step(tf.ones([4]))
"""


def test_calls_above_a_redefinition_trace_the_earlier_function(tmp_path):
    # The calls at rows 12-13 run the first `train_step`; the second is made after `weight = 30.0` and
    # traces with it: no graph of the second keeps a stale value.
    assert lint(tmp_path, {"script.py": REDEFINED_STEP}, HYB108) == set()


def test_a_change_after_a_call_of_the_same_definition_is_still_stale(tmp_path):
    script = REDEFINED_STEP.replace("for _ in range(10):\n    train_step(tf.ones([4]))\n",
                                    "train_step(tf.ones([4]))\nweight = 60.0\ntrain_step(tf.ones([4]))\n")
    assert lint(tmp_path, {"script.py": script}, HYB108) == {("script.py", 20, "HYB108")}
