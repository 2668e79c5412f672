"""Classes of wrong findings met on the corpus4 packages (``bench/precision/false-classes.md``, corpus4
round), mended in a later session: each has a negative case (no longer reported) and a positive one (the
hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

WITH_SWITCHES = 'select = ["HYB1", "HYB303", "HYB501"]\n'

# -- G6: a build-once guard that tests a property of the flag the block's setter sets ------------------

GUARD_THROUGH_A_PROPERTY = """
import warnings

import tensorflow as tf


class Gan(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)
        self._batch = None

    def set_batch(self, batch):
        self._batch = batch

    @property
    def batch(self):
        return self._batch

    @tf.function
    def train_step(self, data):
        if self.batch is None:
            warnings.warn("global batch size not set")
            self.set_batch(data.shape[0])
        return tf.reduce_sum(self.dense(data)) / self.batch
"""


def test_a_guard_on_a_property_its_setter_sets_runs_once(tmp_path):
    # Eagerly the block runs on the first call only, as in the first trace: nothing is lost per call.
    assert lint(tmp_path, {"gan.py": GUARD_THROUGH_A_PROPERTY}) == set()


def test_a_property_the_block_never_sets_still_guards_a_per_call_effect(tmp_path):
    files = {"gan.py": GUARD_THROUGH_A_PROPERTY.replace("return self._batch", "return self._other")}
    assert lint(tmp_path, files) == {("gan.py", 23, "HYB110")}


# -- G7: a model class whose own compile forces run_eagerly=True ----------------------------------------

EAGER_BY_DESIGN = """
import tensorflow as tf


class SolverModel(tf.keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def call(self, inputs):
        return self.model(inputs)

    def compile(self, optimizer="sgd", loss="mse", **kwargs):
        super().compile(optimizer=optimizer, loss=loss, run_eagerly=True)

    def train_step(self, data):
        x, y = data
        loss = tf.reduce_mean(tf.square(self(x) - y))
        self.stop_training = bool(loss.numpy() < 1e-3)
        return {"loss": loss.numpy().item()}


def train(x, y):
    model = SolverModel(tf.keras.Sequential([tf.keras.layers.Dense(1)]))
    model.compile()
    model.fit(x, y, epochs=3)
    return model
"""


def test_steps_of_a_model_whose_own_compile_forces_eager_are_not_graph_code(tmp_path):
    # The class's compile always passes run_eagerly=True: fit runs train_step as Python, so .numpy()
    # and the attribute write work per step (as eagerly), and the keyword is no debug switch left in.
    assert lint(tmp_path, {"solver.py": EAGER_BY_DESIGN}, WITH_SWITCHES) == set()


def test_the_same_steps_without_the_forced_switch_are_graph_code(tmp_path):
    files = {"solver.py": EAGER_BY_DESIGN.replace("run_eagerly=True)", "run_eagerly=False)")}
    assert lint(tmp_path, files, WITH_SWITCHES) == {
        ("solver.py", 18, "HYB104"), ("solver.py", 18, "HYB501"), ("solver.py", 19, "HYB501")}


def test_run_eagerly_a_user_passes_to_compile_is_still_a_debug_switch(tmp_path):
    # (with a step that runs as a graph: one calling `.numpy()` needs the switch, which is then load-bearing)
    files = {"solver.py": EAGER_BY_DESIGN.replace("def compile(", "def unused_compile(").replace(
        "model.compile()", "model.compile(run_eagerly=True)").replace(
        "        self.stop_training = bool(loss.numpy() < 1e-3)\n        return {\"loss\": loss.numpy().item()}",
        "        return {\"loss\": loss}")}
    assert lint(tmp_path, files, WITH_SWITCHES) >= {("solver.py", 23, "HYB303")}


# -- G8: a helper that is graph code for some callers, changed around eager calls by others ------------

FROZEN = 'select = ["HYB108"]\n'

PER_CALL_CONTAINER = """
import tensorflow as tf


class BoxList:
    def __init__(self, boxes):
        self.data = {}
        self.data["boxes"] = boxes

    def set(self, boxes):
        self.data = {"boxes": boxes}

    def has_field(self, name):
        return name in self.data

    def get(self):
        return self.data["boxes"]


def area(boxlist):
    if boxlist.has_field("scores"):
        return tf.reduce_sum(boxlist.get()) * 0.0
    return tf.reduce_sum(boxlist.get())


@tf.function
def total_area(boxes):
    return area(BoxList(boxes))


def shrink(boxes):
    boxlist = BoxList(boxes)
    for _ in range(3):
        print(area(boxlist))
        boxlist.set(boxlist.get() * 0.5)
"""


def test_changes_around_eager_calls_of_a_helper_freeze_no_graph(tmp_path):
    # `area` is graph code under `total_area`, which makes its own BoxList per trace; `shrink`
    # calls `area` eagerly, so changing its boxes afterwards freezes nothing.
    assert lint(tmp_path, {"boxes.py": PER_CALL_CONTAINER}, FROZEN) == set()


def test_changes_after_a_call_that_traces_the_helper_still_freeze_it(tmp_path):
    head = PER_CALL_CONTAINER.split("@tf.function")[0]
    files = {"boxes.py": head + """
SHARED = BoxList(tf.ones([2]))


@tf.function
def shared_area():
    return area(SHARED)


def shrink():
    for _ in range(3):
        print(shared_area())
        SHARED.set(SHARED.get() * 0.5)
"""}
    assert lint(tmp_path, files, FROZEN) == {("boxes.py", 13, "HYB108"), ("boxes.py", 16, "HYB108")}


# -- G2, a level deeper: a project's logging wrapper called from a helper of graph code -----------------

LOGGING_WRAPPER = """
def info(msg, *args):
    print(msg % args)


def warning(msg, *args):
    print("Warning: " + msg % args)
"""

CHECKS_NAMES = """
import tensorflow as tf

from pkg import tf_logging


def check_names(names, strict):
    def problem(reason):
        message = f"bad feature names: {reason}"
        if strict:
            raise ValueError(message)
        tf_logging.warning("%s", message)

    for name in names:
        if "/" in name:
            problem(f"{name} has a slash")


@tf.function(reduce_retracing=True)
def collect(data):
    check_names(data.keys(), False)
    return tf.add_n(list(data.values()))
"""


def test_a_warning_through_a_project_logging_wrapper_in_a_helper_is_a_diagnostic(tmp_path):
    # The names are Python strings fixed by the trace: warning once per trace is what eager code would
    # say about the same names on each call.
    files = {"pkg/__init__.py": "", "pkg/tf_logging.py": LOGGING_WRAPPER, "pkg/core.py": CHECKS_NAMES}
    assert lint(tmp_path, files) == set()


def test_a_wrapper_that_also_keeps_its_messages_still_has_that_effect(tmp_path):
    keeping = LOGGING_WRAPPER.replace('def warning(msg, *args):\n', 'HISTORY = []\n\n\ndef warning(msg, *args):\n'
                                      '    HISTORY.append(msg % args)\n')
    files = {"pkg/__init__.py": "", "pkg/tf_logging.py": keeping, "pkg/core.py": CHECKS_NAMES}
    assert lint(tmp_path, files) == {("pkg/core.py", 20, "HYB110")}


# -- HYB401 where nobody known calls the barren tf.function eagerly ---------------------------------------

DEHYBRIDIZE = 'select = ["HYB401"]\n'

LOADS_THROUGH_NUMPY = """
import numpy as np
import tensorflow as tf


def _read(key):
    return np.zeros([3], np.float32)


@tf.function
def load(key):
    return tf.numpy_function(_read, [key], tf.float32)
"""

PIPELINE = """
from pkg import features


def load_all(ds):
    def _load(x):
        return features.load(x["key"])

    return ds.map(_load)
"""


def test_a_barren_tf_function_called_only_by_a_function_given_to_map_is_kept(tmp_path):
    # `_load` runs where `map` calls it (a tf.data graph, which inlines `load`): nobody is known to call
    # `load` eagerly, so there is no tracing overhead to save.
    files = {"pkg/__init__.py": "", "pkg/features.py": LOADS_THROUGH_NUMPY, "pkg/pipeline.py": PIPELINE}
    assert lint(tmp_path, files, DEHYBRIDIZE) == set()


def test_a_barren_tf_function_its_callers_call_eagerly_is_still_dehybridized(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/features.py": LOADS_THROUGH_NUMPY,
             "pkg/pipeline.py": PIPELINE.replace("return ds.map(_load)", "return [_load(x) for x in ds]")}
    assert lint(tmp_path, files, DEHYBRIDIZE) == {("pkg/features.py", 10, "HYB401")}



# -- G9: a Python object the step reads, changed by the caller's loop between calls ---------------------

SUGGEST = 'select = ["HYB301"]\n'

ROLLOUT = """
import numpy as np
import tensorflow as tf


class Memory:
    def __init__(self):
        self.rewards = []

    def store(self, reward):
        self.rewards.append(reward)

    def clear(self):
        self.rewards = []


def discounted(values, memory):
    returns = values
    for step in reversed(range(len(memory.rewards))):
        returns = memory.rewards[step] + 0.99 * returns * tf.exp(values) + tf.reduce_sum(tf.square(values))
        returns = tf.tanh(returns) * tf.sigmoid(returns) + tf.reduce_mean(returns) - tf.math.log1p(returns)
    return returns


def learn(steps):
    memory = Memory()
    for _ in range(steps):
        memory.clear()
        for _ in range(5):
            memory.store(np.random.rand(4).astype(np.float32))
        print(discounted(tf.ones([4]), memory))


if __name__ == "__main__":
    learn(100)
"""


def test_a_step_reading_an_object_the_loop_changes_between_calls_is_not_suggested(tmp_path):
    # tf.function keys a plain object by identity: from the second call on, the graph would keep the
    # rewards of the first rollout (and the loop over them unrolled for its length).
    assert lint(tmp_path, {"a2c.py": ROLLOUT}, SUGGEST) == set()


def test_the_same_step_given_the_rewards_as_a_tensor_is_suggested(tmp_path):
    files = {"a2c.py": ROLLOUT.replace("memory.clear()", "memory = Memory()")
             .replace("print(discounted(tf.ones([4]), memory))", "print(discounted(tf.ones([4]), tf.ones([4])))")
             .replace("for step in reversed(range(len(memory.rewards))):", "for step in range(3):")
             .replace("memory.rewards[step]", "memory[step]")}
    assert lint(tmp_path, files, SUGGEST) == {("a2c.py", 16, "HYB301")}


# -- G3, rest: what one trace's own locals fix (None-ness, sorted keys of a structure it built) ---------

COLLECTS = """
import tensorflow as tf


def normalize(features):
    return {name: tf.cast(value, tf.float32) for name, value in features.items()}


class Forest(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self._weighted = False
        self._keys = None
        self._preprocess = None

    @tf.function(reduce_retracing=True)
    def collect(self, data, is_training):
        if isinstance(data, dict):
            raise ValueError(f"No label received. data={data}")
        if len(data) == 2:
            features, labels = data
            weights = None
        elif len(data) == 3:
            features, labels, weights = data
        else:
            raise ValueError(f"Unexpected data shape {data}")
        if self._preprocess is not None:
            features, labels, weights = self._preprocess(features, labels, weights)
        self._weighted = weights is not None
        normalized = normalize(features)
        if is_training:
            self._keys = sorted(list(normalized.keys()))
        return tf.add_n(list(normalized.values())) + labels


def train(forest, dataset):
    for batch in dataset:
        forest.collect(batch, True)
    return forest._weighted, forest._keys
"""


def test_writes_of_structure_facts_of_the_traces_own_locals_end_as_eager_calls_leave_them(tmp_path):
    # `weights is not None` and the sorted keys of the normalized features are the same on every call
    # of one trace (another structure traces anew), and nothing but set-up writes the private attributes.
    assert lint(tmp_path, {"m.py": COLLECTS}) == set()


def test_the_same_facts_written_to_a_public_attribute_still_count(tmp_path):
    files = {"m.py": COLLECTS.replace("self._keys = sorted", "self.keys = sorted").replace("forest._keys", "forest.keys")}
    assert lint(tmp_path, files) == {("m.py", 31, "HYB104")}


# -- G5, rest: one constant where Python values are passed, tensors elsewhere ---------------------------

RETRACING_ADVICE = 'select = ["HYB402"]\n'

LOGIT = """
import tensorflow as tf


@tf.function
def logit(x):
    return tf.math.log(x / (1 - x))


class Sparsify(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.mask = self.add_weight(shape=input_shape[1:], initializer=tf.keras.initializers.Constant(logit(0.99)))

    def call(self, x):
        uniform = tf.random.uniform(tf.shape(self.mask))
        return x * tf.sigmoid(self.mask + logit(tf.clip_by_value(uniform, 0.01, 0.99)))


def train(x):
    layer = Sparsify()
    for _ in range(10):
        x = layer(x)
    return x
"""


def test_one_constant_beside_tensors_is_one_trace_for_the_constant(tmp_path):
    # `logit(0.99)` traces once for 0.99; the calls with tensors trace by shape, not by value.
    assert lint(tmp_path, {"m.py": LOGIT}, RETRACING_ADVICE) == set()


def test_two_constants_beside_tensors_still_retrace(tmp_path):
    source = LOGIT.replace("return x * tf.sigmoid(", "return logit(0.5) * x * tf.sigmoid(")
    assert lint(tmp_path, {"m.py": source}, RETRACING_ADVICE) == {("m.py", 5, "HYB402")}


# -- G12: a graph only a test makes is the test's ---------------------------------------------------------

CONDITIONAL_CONV = """
import tensorflow as tf


def per_pixel_conv(inputs, weights, depth, scale):
    return tf.nn.relu(tf.einsum("bhwc,bc->bhwc", inputs, weights) * depth + scale)


def sweep(inputs, weights):
    return [per_pixel_conv(inputs, weights, depth, 2.0) for depth in range(1, 9)]


if __name__ == "__main__":
    print(sweep(tf.zeros((1, 4, 4, 8)), tf.zeros((1, 8))))
"""

CONDITIONAL_CONV_TEST = """
import tensorflow as tf

from conv import per_pixel_conv


class ConvTest(tf.test.TestCase):
    def test_in_a_graph(self):
        func = tf.function(per_pixel_conv)
        self.assertEqual(func(tf.zeros((10, 32, 32, 8)), tf.zeros((10, 8)), 1, 3.0).shape, (10, 32, 32, 8))
"""


def test_a_library_function_a_test_wraps_in_tf_function_gets_no_dehybridization(tmp_path):
    files = {"conv.py": CONDITIONAL_CONV, "conv_test.py": CONDITIONAL_CONV_TEST}
    assert lint(tmp_path, files, RETRACING_ADVICE) == set()


def test_the_library_decorating_it_itself_still_gets_the_advice(tmp_path):
    files = {"conv.py": CONDITIONAL_CONV.replace("\ndef per_pixel_conv", "\n@tf.function\ndef per_pixel_conv"),
             "conv_test.py": CONDITIONAL_CONV_TEST.replace("func = tf.function(per_pixel_conv)",
                                                           "func = per_pixel_conv")}
    assert lint(tmp_path, files, RETRACING_ADVICE) == {("conv.py", 5, "HYB402")}


# -- F20: calls made while a graph is the default build that graph -------------------------------------

BUILT_IN_A_GRAPH = """
import tensorflow as tf
from tensorflow.python.keras import backend


def sample(candidates, num_samples):
    scores = tf.random.uniform(tf.shape(candidates))
    scores = tf.where(candidates, scores, tf.zeros_like(scores)) * tf.exp(scores) + tf.sqrt(scores)
    values, indices = tf.nn.top_k(scores * tf.sigmoid(scores) - tf.tanh(scores), k=num_samples)
    return tf.reduce_sum(tf.one_hot(indices, tf.shape(candidates)[-1]) * values[..., None], axis=1)


def sample_boxes(candidates):
    batch_size = candidates.shape[0]
    return tf.stack([sample(candidates[i], 4) for i in range(batch_size)])


class Detector:
    def __init__(self):
        self._model = None

    def build_model(self, inputs):
        if self._model is None:
            with backend.get_graph().as_default():
                outputs = sample_boxes(inputs)
                self._model = tf.keras.Model(inputs=inputs, outputs=outputs)
        return self._model


Detector().build_model(tf.ones([2, 8]) > 0.5)
"""


def test_a_loop_run_while_a_graph_is_the_default_is_no_eager_caller(tmp_path):
    # Under `with graph.as_default():` the loop adds ops to that graph once: nothing runs eagerly per call.
    assert lint(tmp_path, {"detector.py": BUILT_IN_A_GRAPH}, SUGGEST) == set()


def test_the_same_loop_under_a_summary_writer_is_still_eager(tmp_path):
    source = BUILT_IN_A_GRAPH.replace("with backend.get_graph().as_default():",
                                      "with tf.summary.create_file_writer('logs').as_default():")
    assert lint(tmp_path, {"detector.py": source}, SUGGEST) == {("detector.py", 5, "HYB301")}


# -- HYB202: a def in a loop that takes the iteration's object as a default -------------------------------

PER_RUN_NETWORK = """
import tensorflow as tf


def simulate(num_runs, make_network):
    total = 0.0
    for _ in range(num_runs):
        network = make_network()

        @tf.function
        def run_one(eco_network=network):
            return tf.reduce_mean(eco_network(tf.ones([4, 2])))

        total += run_one().numpy()
    return total / num_runs
"""


def test_a_def_in_a_loop_binding_the_iterations_object_as_a_default_is_a_new_function_each_time(tmp_path):
    # Each run builds a new network (new variables) that its function must trace: hoisting is no option.
    assert lint(tmp_path, {"sim.py": PER_RUN_NETWORK}, 'select = ["HYB202"]\n') == set()


def test_a_def_in_a_loop_with_a_constant_default_is_still_made_once_per_iteration(tmp_path):
    files = {"sim.py": PER_RUN_NETWORK.replace("eco_network=network", "eco_network=None").replace(
        "eco_network(tf.ones([4, 2]))", "tf.ones([4, 2])")}
    assert lint(tmp_path, files, 'select = ["HYB202"]\n') == {("sim.py", 9, "HYB202")}


def test_functions_a_graph_builder_defines_run_while_it_builds_the_graph(tmp_path):
    # `capture` is called under `with tf.Graph().as_default():`; its nested `bind` runs then, once, as
    # the builder itself does: a cache it fills is filled as often as eager code would fill it.
    source = """
import tensorflow as tf

_SEEN = {}


def remember(value):
    _SEEN[id(value)] = value
    return value


def capture(result):
    def bind(element):
        return remember(tf.identity(element))

    return tf.nest.map_structure(bind, result)


def trace(fn):
    with tf.Graph().as_default():
        return capture(fn())
"""
    assert lint(tmp_path, {"graphs.py": source}) == set()
    decorated = source.replace("def capture(result):", "@tf.function\ndef capture(result):")
    assert lint(tmp_path, {"graphs.py": decorated}) >= {("graphs.py", 14, "HYB110")}


def test_library_calls_of_a_function_only_a_test_wraps_trace_nothing(tmp_path):
    files = {"conv.py": CONDITIONAL_CONV, "conv_test.py": CONDITIONAL_CONV_TEST}
    assert lint(tmp_path, files, 'select = ["HYB201"]\n') == set()
    files["conv.py"] = CONDITIONAL_CONV.replace("\ndef per_pixel_conv", "\n@tf.function\ndef per_pixel_conv")
    assert lint(tmp_path, files, 'select = ["HYB201"]\n') == {("conv.py", 10, "HYB201")}


def test_a_graph_builder_reading_a_flag_set_later_builds_its_graph_as_designed(tmp_path):
    # A TF1 graph built under `with graph.as_default():` is built once and run as built: reading a
    # Python flag while building it is how such code chooses what to build.
    source = """
import tensorflow as tf


class Loader:
    def __init__(self):
        self._finalized = False

    def apply(self, inputs):
        if self._finalized:
            return tf.identity(inputs)
        return tf.square(inputs)

    def finalize(self):
        self._finalized = True


def build(inputs):
    loader = Loader()
    with tf.compat.v1.Graph().as_default():
        outputs = loader.apply(inputs)
    loader.finalize()
    return outputs
"""
    frozen = 'select = ["HYB108"]\n'
    assert lint(tmp_path, {"loader.py": source}, frozen) == set()
    traced = source.replace("    def apply(self, inputs):", "    @tf.function\n    def apply(self, inputs):").replace(
        "    with tf.compat.v1.Graph().as_default():\n        outputs = loader.apply(inputs)",
        "    outputs = loader.apply(inputs)")
    assert lint(tmp_path, {"loader.py": traced}, frozen) == {("loader.py", 10, "HYB108")}


# -- a helper beside its loop's real work (an attack's projection next to the model's gradient) --------

ATTACK = """
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(10)])


def loss_gradient(x, y):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.keras.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True)
    print("loss", float(tf.reduce_mean(loss).numpy()))
    return tape.gradient(loss, x)


def clip_eta(eta, eps):
    axis = list(range(1, len(eta.shape)))
    norm = tf.sqrt(tf.maximum(1e-12, tf.reduce_sum(tf.square(eta), axis, keepdims=True)))
    factor = tf.minimum(1.0, tf.math.divide(eps, norm))
    eta = eta * factor
    return tf.clip_by_value(eta, -eps, eps) + tf.zeros_like(eta) * tf.reduce_mean(eta)


def attack(x, y, steps):
    adv = x
    for _ in range(steps):
        grad = loss_gradient(adv, y)
        adv = adv + clip_eta(0.01 * tf.sign(grad), 0.3)
    return adv


attack(tf.ones([4, 3]), tf.zeros([4], tf.int64), 100)
"""


def test_a_small_helper_beside_the_loops_gradient_is_not_the_boundary(tmp_path):
    # The model's forward and backward pass dominate each iteration and stay eager: a graph of the
    # projection alone saves a few operations per iteration, less than its own call into the graph.
    assert lint(tmp_path, {"attack.py": ATTACK}, SUGGEST) == set()


def test_the_same_helper_as_the_loops_only_work_is_still_the_boundary(tmp_path):
    files = {"attack.py": ATTACK.replace("        grad = loss_gradient(adv, y)\n", "        grad = adv\n")}
    assert lint(tmp_path, files, SUGGEST) == {("attack.py", 14, "HYB301")}


# -- G11: a progress bar's updates are output (scripts/K_progbar_in_graph.py) ------------------------------

PROGRESS = """
import tensorflow as tf


def fit(x, max_iter=5):
    bar = tf.keras.utils.Progbar(max_iter)
    for step in range(max_iter):
        bar.update(step)
        x = tf.tanh(x) * 0.9
    return x
"""


def test_a_progress_bar_updated_in_graph_code_is_drawn_once_per_trace(tmp_path):
    traced = PROGRESS.replace("def fit(", "@tf.function\ndef fit(")
    assert lint(tmp_path, {"fit.py": traced}) == {("fit.py", 8, "HYB102")}


def test_a_function_updating_a_progress_bar_is_no_boundary(tmp_path):
    script = PROGRESS.replace("x = tf.tanh(x) * 0.9", "x = tf.tanh(tf.matmul(x, x)) * 0.9 + tf.sigmoid(x) - tf.exp(x)"
                              ) + "\n\nfor _ in range(100):\n    fit(tf.ones([4, 4]))\n"
    assert lint(tmp_path, {"fit.py": script}, SUGGEST) == set()
    quiet = script.replace("        bar.update(step)\n", "")
    assert lint(tmp_path, {"fit.py": quiet}, SUGGEST) == {("fit.py", 4, "HYB301")}


# -- corpus5: a NumPy array filled in place is no Python container (scripts/B5_numpy_array_arg_no_retrace.py) --

TARGETED = """
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(3)])


@tf.function
def adversarial_pattern(x, labels):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.keras.losses.categorical_crossentropy(labels, model(x), from_logits=True)
    return tf.sign(tape.gradient(loss, x))


def attack(dataset, target):
    for x, y in dataset:
        labels = np.zeros_like(y)
        labels[:, target] = 1.0
        print(adversarial_pattern(x, labels))
"""


def test_a_numpy_array_filled_in_place_traces_by_shape_not_by_value(tmp_path):
    assert lint(tmp_path, {"vdp.py": TARGETED}, 'select = ["HYB205"]\n') == set()


def test_a_python_list_filled_in_place_still_retraces(tmp_path):
    files = {"vdp.py": TARGETED.replace("labels = np.zeros_like(y)", "labels = [[0.0, 0.0, 0.0]]").replace(
        "labels[:, target] = 1.0", "labels[0][target] = 1.0")}
    assert lint(tmp_path, files, 'select = ["HYB205"]\n') == {("vdp.py", 19, "HYB205")}


# -- corpus5: run_eagerly=True that the project's own code depends on (scripts/B5_ku_run_eagerly_selects_tape_loop.py) --

GAN_EXT = """
import tensorflow as tf


class ModelExt(tf.keras.Model):
    def train_on_batch(self, x, y):
        if self.run_eagerly:
            with tf.GradientTape(persistent=True) as tape:
                self.tape_handler = tape
                loss = self.compiled_loss(y, self(x, training=True))
            return loss
        return super().train_on_batch(x, y)


def build(inputs, outputs):
    model = ModelExt(inputs, outputs)
    model.compile(optimizer="adam", loss="mse", run_eagerly=True)
    return model


class Gan:
    def __init__(self, disc):
        self.disc = disc

    def compile(self, optimizer):
        self.disc.compile(optimizer=optimizer, loss="mse", run_eagerly=True)
"""


def test_run_eagerly_the_projects_code_reads_or_a_class_sets_on_its_models_is_by_design(tmp_path):
    assert lint(tmp_path, {"ku.py": GAN_EXT}, WITH_SWITCHES) == set()


def test_run_eagerly_nothing_reads_outside_a_class_is_still_a_debug_switch(tmp_path):
    files = {"ku.py": GAN_EXT.replace("        if self.run_eagerly:\n", "        if self.dynamic:\n")}
    assert lint(tmp_path, files, WITH_SWITCHES) == {("ku.py", 16, "HYB303")}


def test_a_function_handing_out_a_datasets_numpy_values_is_no_boundary(tmp_path):
    # tfds.as_numpy (like Dataset.as_numpy_iterator) is only supported in eager mode
    # (scripts/A5_openspiel_dataset_builder_tf_function.py).
    source = """
import tensorflow as tf
import tensorflow_datasets as tfds


class Solver:
    def __init__(self, memories):
        self.memories = memories

    def dataset(self, steps):
        data = tf.data.Dataset.from_tensor_slices(self.memories).map(lambda m: tf.square(m) * 2.0 + 1.0)
        data = data.map(lambda m: tf.sqrt(m) - tf.exp(m) + tf.tanh(m) * tf.sigmoid(m)).batch(4).take(steps)
        return iter(tfds.as_numpy(data))

    def learn(self):
        for _ in range(100):
            for batch in self.dataset(1):
                print(batch)


Solver(tf.ones([8])).learn()
"""
    assert lint(tmp_path, {"cfr.py": source}, SUGGEST) == set()
    computed = source.replace("return iter(tfds.as_numpy(data))",
                              "return [tf.reduce_sum(tf.square(self.memories) * tf.exp(self.memories))]")
    assert lint(tmp_path, {"cfr.py": computed}, SUGGEST) == {("cfr.py", 9, "HYB301")}


def test_a_project_wrapper_returning_wraps_of_tf_function_is_a_tf_function(tmp_path):
    # `wraps(f)(tf.function(f))` is the tf.function (scripts/C5_wraps_tf_function_alias.py).
    files = {"tfutil.py": """
from functools import wraps

import tensorflow as tf


def tf_function(f, *args, **kwargs):
    return wraps(f)(tf.function(f, *args, **kwargs))
""", "sparse.py": """
import tensorflow as tf

from tfutil import tf_function


@tf_function
def pad_to(x, size):
    return tf.pad(x, [[0, size - tf.shape(x)[0]]]) * tf.exp(x[0]) + tf.sqrt(tf.abs(x[0])) - tf.tanh(x[0])


for _ in range(100):
    print(pad_to(tf.ones([3]), tf.constant(5)))
"""}
    assert lint(tmp_path, files, SUGGEST) == set()
    files["tfutil.py"] = files["tfutil.py"].replace("return wraps(f)(tf.function(f, *args, **kwargs))",
                                                    "return wraps(f)(f)")
    assert lint(tmp_path, files, SUGGEST) == {("sparse.py", 7, "HYB301")}
