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


# -- no-value: a write that copies object state read afresh, through a local, a loop or a comprehension ---

WITH_WRITES = 'select = ["HYB104"]\n'

COPIES_OF_OBJECT_STATE = """
import tensorflow as tf


class Merger(tf.keras.Model):
    def __init__(self, posterior, config):
        super().__init__()
        self.posterior = posterior
        self.config = config
        self.dense = tf.keras.layers.Dense(1)

    @tf.function
    def train_step(self, data):
        q_vars = self.posterior.trainable_variables
        self.optimizer.lazy_vars = [v.name for v in q_vars]
        for feats in self.config["schema"]:
            if feats["label"]:
                break
        self.optimizer.vocab = feats["values"]
        return tf.reduce_sum(self.dense(data))
"""


def test_a_copy_of_object_state_is_the_same_at_every_call(tmp_path):
    # Every call computes the same list of names and picks the same schema entry: the object ends as
    # eager calls leave it.
    assert lint(tmp_path, {"merger.py": COPIES_OF_OBJECT_STATE}, WITH_WRITES) == set()


def test_a_copy_computed_from_the_call_or_through_a_call_is_still_reported(tmp_path):
    files = {"merger.py": COPIES_OF_OBJECT_STATE
             .replace("[v.name for v in q_vars]", "[v.name + str(len(data)) for v in q_vars]")
             .replace("for feats in self.config[\"schema\"]:", "for feats in load_schema():")}
    assert lint(tmp_path, files, WITH_WRITES) == {("merger.py", 14, "HYB104"), ("merger.py", 18, "HYB104")}


def test_a_copy_of_the_calls_input_is_no_object_state(tmp_path):
    files = {"merger.py": COPIES_OF_OBJECT_STATE.replace("[v.name for v in q_vars]", "[v for v in data.names]")}
    assert lint(tmp_path, files, WITH_WRITES) == {("merger.py", 14, "HYB104")}


def test_a_map_function_copying_its_enclosing_objects_config_writes_the_same_value(tmp_path):
    files = {"pipeline.py": """
import tensorflow as tf


class AutoModel:
    def __init__(self, config):
        self._config = config
        self._label_vocab = []

    def make_dataset(self, files):
        def feature_engg(features, label):
            for feats in self._config["data_schema"]:
                if feats["feature"] == "label":
                    break
            self._label_vocab = feats["categorical_values"]
            return features, label

        return tf.data.TFRecordDataset(files).map(feature_engg)
"""}
    assert lint(tmp_path, files, WITH_WRITES) == set()
    broken = {"pipeline.py": files["pipeline.py"].replace('feats["categorical_values"]', "label")}
    assert lint(tmp_path / "b", broken, WITH_WRITES) == {("pipeline.py", 14, "HYB104")}
