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


# -- a helper below a start point that cannot be a graph must also carry a share of its loop's iteration --

HELPER_BELOW_A_START_POINT = """
import tensorflow as tf

encoder = tf.keras.Sequential([tf.keras.layers.Dense(64), tf.keras.layers.Dense(64)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(64), tf.keras.layers.Dense(3)])


def rotation(angles):
    a = tf.convert_to_tensor(angles)
    s = tf.sin(a)
    c = tf.cos(a)
    row0 = tf.stack([c[1] * c[2], s[0] * s[1] * c[2] - c[0] * s[2], c[0] * s[1] * c[2] + s[0] * s[2]])
    row1 = tf.stack([c[1] * s[2], s[0] * s[1] * s[2] + c[0] * c[2], c[0] * s[1] * s[2] - s[0] * c[2]])
    row2 = tf.stack([-s[1], s[0] * c[1], c[0] * c[1]])
    return tf.stack([row0, row1, row2])


history = []


def transform(points, angles=(0.0, 0.0, 0.0)):
    history.append(points)
    return tf.matmul(points, rotation(angles))


def render(features):
    out = features
    for _ in range(4):
        out = tf.nn.relu(tf.matmul(out, tf.transpose(out)) @ out + tf.reduce_mean(out, axis=0))
    return out.numpy()


def evaluate(images):
    for image in images:
        for rows in tf.split(image, 8):
            features = encoder(transform(rows))
            colours = render(decoder(features))
            print(colours.mean())


evaluate([tf.random.normal([64, 3]) for _ in range(10)])"""


def test_a_helper_below_an_eager_start_point_beside_heavier_loop_work_is_minor(tmp_path):
    # `rotation` carries most of `transform` (which appends to a list), but a small part of each
    # iteration of the loop, where `render` runs eagerly: a graph of it saves little (Amdahl).
    assert lint(tmp_path, {"evaluate.py": HELPER_BELOW_A_START_POINT}, 'select = ["HYB301"]\n') == set()


def test_the_same_helper_carrying_the_iteration_is_still_suggested(tmp_path):
    light = HELPER_BELOW_A_START_POINT.replace("    for _ in range(4):\n        out = tf.nn.relu(tf.matmul(out, tf.transpose(out)) @ out + tf.reduce_mean(out, axis=0))\n", "")
    assert lint(tmp_path, {"evaluate.py": light}, 'select = ["HYB301"]\n') == {("evaluate.py", 7, "HYB301")}


# -- a callback parameter given a function made at the call ---------------------------------------------

CALLBACK_STEP = """
import functools

import tensorflow as tf


def apply_twice(x, fn):
    y = fn(fn(x))
    for _ in range(3):
        y = tf.nn.relu(tf.matmul(y, y)) + tf.reduce_mean(y)
    return y


def double(t):
    return t * 2.0


def run(xs, scale):
    out = []
    for x in xs:
        out.append(apply_twice(x, CALLBACK))
    return out


run([tf.ones([4, 4])] * 100, 2.0)
"""


def test_a_lambda_or_partial_written_at_the_call_retraces_every_call(tmp_path):
    # scripts/S11_lambda_argument_retraces.py: 20 traces in 20 calls, 33x slower than eager.
    for made in ("lambda t: t * scale", "functools.partial(double)"):
        files = {"step.py": CALLBACK_STEP.replace("CALLBACK", made)}
        assert lint(tmp_path / made[:6], files, 'select = ["HYB301"]\n') == set(), made


def test_one_function_passed_at_every_call_still_makes_a_boundary(tmp_path):
    files = {"step.py": CALLBACK_STEP.replace("CALLBACK", "double")}
    assert lint(tmp_path, files, 'select = ["HYB301"]\n') == {("step.py", 6, "HYB301")}


# -- G1 (corpus6): `.numpy()` behind a test only eager execution passes ------------------------------------

EAGER_ONLY_BRANCHES = """
import tensorflow as tf


def to_int(x):
    return int(x.numpy() if hasattr(x, "numpy") else x)


def to_float(x):
    if hasattr(x, "numpy"):
        return float(x.numpy())
    return x


def as_array(x):
    return x if not tf.executing_eagerly() else x.numpy()


@tf.function
def step(n):
    return tf.zeros([to_int(n)]) * to_float(n) + as_array(n)
"""


def test_numpy_behind_hasattr_numpy_or_an_eager_conditional_expression_is_not_graph_code(tmp_path):
    # scripts/S11_hasattr_numpy_guard.py: hasattr(x, "numpy") is false for a symbolic tensor.
    assert lint(tmp_path, {"m.py": EAGER_ONLY_BRANCHES}) == set()


def test_numpy_in_the_other_branch_still_fails_in_the_graph(tmp_path):
    files = {"m.py": EAGER_ONLY_BRANCHES.replace('x.numpy() if hasattr(x, "numpy") else x',
                                                 'x if hasattr(x, "numpy") else x.numpy()')}
    assert lint(tmp_path, files) == {("m.py", 5, "HYB501")}


# -- G2 (corpus6): a Python number a function binds once to a constant is one value --------------------

ONE_SETTING = """
import tensorflow as tf


@tf.function
def zm_cal(voxels, max_order):
    return tf.reduce_sum(voxels) * tf.cast(tf.range(max_order + 1)[-1], tf.float32)


def shape_score(a, b):
    max_order = int(20)
    za = zm_cal(a, max_order)
    zb = zm_cal(b, max_order)
    return za - zb


def sweep(a, n):
    return [zm_cal(a, order) for order in range(n)]
"""


def test_a_local_bound_once_to_a_constant_is_one_value_for_every_call(tmp_path):
    # Both calls pass 20: one trace for it (the second call's trace comes from its shape, if any).
    found = lint(tmp_path, {"score.py": ONE_SETTING}, 'select = ["HYB2", "HYB4"]\n')
    assert found == {("score.py", 17, "HYB201")}  # only the sweep, one value per `range` step


def test_a_local_bound_twice_may_be_two_values(tmp_path):
    files = {"score.py": ONE_SETTING.replace("    zb = zm_cal(b, max_order)\n",
                                             "    max_order = 30\n    zb = zm_cal(b, max_order)\n")}
    found = lint(tmp_path, files, 'select = ["HYB2", "HYB4"]\n')
    assert ("score.py", 11, "HYB201") in found


SCRIPT_SETTING = """
import tensorflow as tf


@tf.function
def link(batch_size, ebno_db):
    noise = tf.random.normal([batch_size]) * tf.pow(10.0, -ebno_db / 20.0)
    return tf.reduce_mean(noise)


EBNO_CHECK = 10.0
print(link(32, EBNO_CHECK))
for ebno in tf.range(-2.0, 10.0):
    link(32, ebno)
"""


def test_a_module_name_bound_once_to_a_constant_is_one_value_beside_tensor_calls(tmp_path):
    # One quick check with a Python float, then a loop of tensors: one extra trace, not one per value.
    assert lint(tmp_path, {"link.py": SCRIPT_SETTING}, 'select = ["HYB2", "HYB4"]\n') == set()


def test_a_module_name_rebound_in_a_loop_is_a_value_per_iteration(tmp_path):
    files = {"link.py": SCRIPT_SETTING.replace("print(link(32, EBNO_CHECK))\n",
                                               "for EBNO_CHECK in [0.0, 5.0, 10.0]:\n    link(32, EBNO_CHECK)\n")}
    assert lint(tmp_path, files, 'select = ["HYB2", "HYB4"]\n') == {("link.py", 5, "HYB402")}


# -- G4 (corpus6): Keras' once-only build behind `if not self.built:` ---------------------------------

DEFENSIVE_BUILD = """
import tensorflow as tf

log = []


class Conv(tf.keras.layers.Layer):
    def build(self, input_shape):
        log.append(input_shape)
        self.bias = self.add_weight(shape=(3,), initializer="zeros")

    def call(self, x):
        if not self.built:
            self.build(x.shape)
        return x + self.bias


class Small(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = Conv()

    @tf.function
    def call(self, x):
        return self.conv(x)
"""


def test_a_build_guarded_by_the_built_flag_keras_sets_runs_once(tmp_path):
    # Keras' build wrapper sets `built`: the block runs once, eagerly or in the first trace alike.
    assert lint(tmp_path, {"layers.py": DEFENSIVE_BUILD}) == set()


def test_a_build_under_another_flag_still_runs_per_trace(tmp_path):
    files = {"layers.py": DEFENSIVE_BUILD.replace("if not self.built:", "if not self.trainable:")}
    assert lint(tmp_path, files) == {("layers.py", 24, "HYB110")}


# -- G6 (corpus6): recursion over the parts of a Python structure, at trace time ------------------------

def test_recursion_over_a_structure_argument_is_no_unsupported_recursion(tmp_path):
    # scripts/D6_kdens_slice_traces.py: one level per nesting of the tuple, traced like eager code.
    files = {"m.py": """
import tensorflow as tf


@tf.function
def slice_inputs(inputs, i):
    if type(inputs) is tuple:
        return tuple(slice_inputs(x, i) for x in inputs)
    if isinstance(inputs, (list, dict)):
        return [slice_inputs(x, i) for x in inputs]
    return inputs[:, i]


@tf.function
def countdown(n):
    if n > 0:
        return countdown(n - 1)
    return n
"""}
    assert lint(tmp_path, files, 'select = ["HYB503"]\n') == {("m.py", 16, "HYB503")}


def test_a_copy_of_what_star_args_or_kwargs_bring_is_the_calls_input(tmp_path):
    files = {"merger.py": COPIES_OF_OBJECT_STATE
             .replace("def train_step(self, data):", "def train_step(self, data, **options):")
             .replace('self.optimizer.vocab = feats["values"]', 'self.optimizer.vocab = options.schema["values"]')}
    assert ("merger.py", 18, "HYB104") in lint(tmp_path, files, WITH_WRITES)


# -- HYB202: a tf.function a loop defines only to hand it to a dataset ----------------------------------------

PER_CLASS_PIPELINE = """
import tensorflow as tf


def stratified(indices_by_class, features):
    pipelines = []
    for class_indices in indices_by_class:
        @tf.function
        def gather(index):
            return tf.gather(features, index)

        pipelines.append(tf.data.Dataset.from_tensor_slices(class_indices).map(USE))
    return tf.data.Dataset.zip(tuple(pipelines))
"""


def test_a_tf_function_a_loop_only_hands_to_a_dataset_adds_no_trace(tmp_path):
    # scripts/S12_dataset_map_of_a_tf_function.py: 3 traces for 3 pipelines, decorated or not.
    files = {"data.py": PER_CLASS_PIPELINE.replace("USE", "gather")}
    assert lint(tmp_path, files, 'select = ["HYB202"]\n') == set()


def test_a_tf_function_the_loop_also_calls_is_made_and_traced_per_iteration(tmp_path):
    files = {"data.py": PER_CLASS_PIPELINE.replace("USE", "gather").replace(
        "        pipelines.append(", "        gather(class_indices[0])\n        pipelines.append(")}
    assert lint(tmp_path, files, 'select = ["HYB202"]\n') == {("data.py", 7, "HYB202")}
