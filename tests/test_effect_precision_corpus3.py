"""Classes of wrong side-effect and retracing findings met on the corpus3 packages (``bench/precision/
false-classes.md``, corpus3 round): each has a negative case (no longer reported) and a positive one (the
hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import lint

RETRACING = 'select = ["HYB2", "HYB402"]\n'
EAGER = 'select = ["HYB303"]\n'

# -- F21: a container the same call binds to the attribute, then fills ---------------------------------

FILLS_ITS_OWN_ENDPOINTS = """
import tensorflow as tf


class Backbone(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [tf.keras.layers.Dense(4), tf.keras.layers.Dense(4)]
        self.endpoints = None

    @tf.function
    def call(self, inputs):
        self.endpoints = {"inputs": inputs}
        outputs = inputs
        for idx, block in enumerate(self.blocks):
            outputs = block(outputs)
            self.endpoints["block_%s" % idx] = outputs
        self.endpoints.update({"features": outputs})
        return outputs
"""


def test_filling_a_container_the_call_binds_first_is_no_per_trace_effect(tmp_path):
    # Every call (and every trace) starts from a new dict: nothing of an earlier call is lost.
    assert lint(tmp_path, {"m.py": FILLS_ITS_OWN_ENDPOINTS}) == set()


def test_filling_a_container_bound_only_on_some_paths_is_still_reported(tmp_path):
    # Bound only when `reset` is true: otherwise the call fills the dict an earlier call left.
    sometimes = FILLS_ITS_OWN_ENDPOINTS.replace("def call(self, inputs):", "def call(self, inputs, reset=True):") \
        .replace('        self.endpoints = {"inputs": inputs}', '        if reset:\n            self.endpoints = {"inputs": inputs}')
    assert lint(tmp_path, {"m.py": sometimes}) == {("m.py", 17, "HYB105"), ("m.py", 18, "HYB105")}


def test_filling_a_container_bound_elsewhere_is_still_reported(tmp_path):
    # The dict of `__init__`, filled once per trace instead of on every call.
    elsewhere = FILLS_ITS_OWN_ENDPOINTS.replace('        self.endpoints = {"inputs": inputs}\n', "") \
        .replace("self.endpoints = None", "self.endpoints = {}")
    assert lint(tmp_path, {"m.py": elsewhere}) == {("m.py", 15, "HYB105"), ("m.py", 16, "HYB105")}


# -- F15: a loop that walks a project object's items, reshaping NumPy arrays ---------------------------

BATCHES_OF_ARRAYS = """
import numpy as np
import tensorflow as tf


class Batches:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return [np.ones((5, 3), "float32")], np.ones((5,), "float32")


@tf.function
def train_one_step(graph_list, target_list):
    return tf.reduce_mean(tf.reduce_sum(graph_list[0], axis=1) - target_list)


batches = Batches(4)
for batch in batches:
    graph_batch, target_batch = batch
    target_batch = target_batch.reshape((-1,))
    train_one_step(graph_batch, target_batch)
"""


def test_an_array_made_anew_from_the_items_of_a_project_object_is_no_new_object(tmp_path):
    # The loop walks a `Batches`, but the call gets NumPy arrays (and lists of them): converted to
    # tensors, they key the trace by structure, dtype and shape (one trace for every call, TF 2.21).
    assert lint(tmp_path, {"m.py": BATCHES_OF_ARRAYS}, RETRACING) == set()


def test_an_object_the_loop_constructs_for_each_call_still_retraces(tmp_path):
    # A new instance of a project class on every iteration: a trace per object identity.
    wrapped = BATCHES_OF_ARRAYS.replace("    train_one_step(graph_batch, target_batch)",
                                        "    batch = Batches(len(target_batch))\n"
                                        "    train_one_step(graph_batch, batch)")
    assert lint(tmp_path, {"m.py": wrapped}, RETRACING) == {("m.py", 28, "HYB205")}


# -- F24: constants written at calls that run again and again -----------------------------------------

PER_SITE_MARGINS = """
import tensorflow as tf


@tf.function
def filter_edge_boxes(boxes, width, margin=32.0):
    margin = tf.cast(margin, tf.float32)
    x = boxes[:, 0]
    return tf.boolean_mask(boxes, tf.logical_and(x >= margin, x <= tf.cast(width, tf.float32) - margin))


def create_anchors(boxes, width):
    return filter_edge_boxes(boxes, width, 0)


def evaluate(images):
    for boxes, width in images:
        filter_edge_boxes(boxes, width, 32)


evaluate([(tf.random.uniform([10, 4], 0, 100), tf.constant(100))] * 5)
create_anchors(tf.random.uniform([10, 4], 0, 100), tf.constant(100))
"""


def test_constants_written_at_calls_in_a_loop_trace_once_per_constant(tmp_path):
    # Two traces (0 and 32), the one of 32 reused for every image: the graph pays, no retracing per call.
    assert lint(tmp_path, {"m.py": PER_SITE_MARGINS}, RETRACING) == set()


def test_constants_at_calls_that_each_run_once_still_retrace_per_call(tmp_path):
    # Every call its own constant and its own trace: graph mode only adds the tracing.
    once = PER_SITE_MARGINS.replace("    for boxes, width in images:\n        filter_edge_boxes(boxes, width, 32)",
                                    "    boxes, width = images[0]\n    filter_edge_boxes(boxes, width, 32)")
    assert lint(tmp_path, {"m.py": once}, RETRACING) == {("m.py", 5, "HYB402")}


def test_a_margin_the_loop_changes_still_retraces(tmp_path):
    counted = PER_SITE_MARGINS.replace("    for boxes, width in images:\n        filter_edge_boxes(boxes, width, 32)",
                                       "    for margin, (boxes, width) in enumerate(images):\n"
                                       "        filter_edge_boxes(boxes, width, margin)")
    assert lint(tmp_path, {"m.py": counted}, RETRACING) == {("m.py", 5, "HYB402")}


def test_the_papers_every_function_mode_still_counts_the_constants(tmp_path):
    settings = 'hybridization = "every-function"\n' + RETRACING
    assert ("m.py", 5, "HYB402") in lint(tmp_path, {"m.py": PER_SITE_MARGINS}, settings)


# -- F17: an eager switch its block announces through a module logger ----------------------------------

ANNOUNCED_THROUGH_A_LOGGER = """
import logging

import tensorflow as tf

logger = logging.getLogger(__name__)


class PDF:
    def __init__(self, members, compilable=True):
        if not compilable:
            logger.warning("Running in eager mode")
            tf.config.experimental_run_functions_eagerly(True)
        self.members = members
"""


def test_a_switch_its_block_announces_with_a_logger_warning_is_deliberate(tmp_path):
    assert lint(tmp_path, {"m.py": ANNOUNCED_THROUGH_A_LOGGER}, EAGER) == set()


def test_a_switch_next_to_a_progress_line_is_still_reported(tmp_path):
    # `info` marks progress; it does not warn the user that graphs are off.
    progress = ANNOUNCED_THROUGH_A_LOGGER.replace("logger.warning(", "logger.info(")
    assert lint(tmp_path, {"m.py": progress}, EAGER) == {("m.py", 12, "HYB303")}


def test_a_warning_on_an_object_that_is_no_logger_is_no_announcement(tmp_path):
    other = ANNOUNCED_THROUGH_A_LOGGER.replace("logging.getLogger(__name__)", "object()")
    assert lint(tmp_path, {"m.py": other}, EAGER) == {("m.py", 12, "HYB303")}


# -- F16: attributes read while graph code makes the object --------------------------------------------

FROZEN = 'select = ["HYB108"]\n'

MADE_IN_THE_GRAPH = """
import tensorflow as tf


class Circuit:
    def __init__(self, n):
        self._nodes = [1.0] * n
        self.width = len(self._nodes)
        self._front = self._double_front()

    def _double_front(self):
        return [node * 2.0 for node in self._nodes]

    def apply(self, gate):
        self._nodes = [gate(node) for node in self._nodes]


@tf.function
def energy(x):
    circuit = Circuit(3)
    return tf.add_n(circuit._front) * x


probe = Circuit(2)
for step in range(5):
    energy(tf.constant(float(step)))
    probe.apply(tf.math.sin)
"""


def test_attributes_read_while_graph_code_makes_the_object_are_not_frozen(tmp_path):
    """Each trace makes a new Circuit: `__init__` and the helper only it calls read what this construction
    wrote, though `apply` changes `_nodes` of another Circuit between the calls."""
    assert lint(tmp_path, {"m.py": MADE_IN_THE_GRAPH}, FROZEN) == set()


LONG_LIVED = """
import tensorflow as tf


class Circuit:
    def __init__(self, n):
        self._scale = 1.0
        self.n = n

    def rescale(self, factor):
        self._scale = self._scale * factor

    def _front(self):
        return self._scale * 2.0

    @tf.function
    def energy(self, x):
        return x * self._front()


circuit = Circuit(3)
for step in range(5):
    circuit.energy(tf.constant(1.0))
    circuit.rescale(0.5)
"""


def test_a_helper_of_a_long_lived_object_still_reads_a_frozen_value(tmp_path):
    assert lint(tmp_path, {"m.py": LONG_LIVED}, FROZEN) == {("m.py", 13, "HYB108")}


# -- N-class: a log line or print of static facts of the trace -----------------------------------------

IO_AND_PRINT = 'select = ["HYB101", "HYB102", "HYB110"]\n'

LOGS_SHAPES = """
import logging

import tensorflow as tf


class Backbone(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = tf.keras.layers.Dense(4, name="stem")

    @tf.function
    def call(self, inputs):
        outputs = self.stem(inputs)
        logging.info("Built stem %s : %s", self.stem.name, outputs.shape)
        print("stem output", outputs.shape, outputs.dtype)
        return outputs


model = Backbone()
for _ in range(10):
    model(tf.ones([2, 3]))
"""


def test_a_log_line_of_shapes_and_names_is_no_per_call_effect(tmp_path):
    """Shapes, dtypes and layer names are the same on every call of one trace: logging them once per
    trace says all there is to say (the line exists to show what was built)."""
    assert lint(tmp_path, {"m.py": LOGS_SHAPES}, IO_AND_PRINT) == set()


def test_a_log_line_of_a_value_next_to_a_shape_is_still_reported(tmp_path):
    source = LOGS_SHAPES.replace('self.stem.name, outputs.shape)', 'tf.reduce_sum(outputs), outputs.shape)')
    source = source.replace('"stem output", outputs.shape, outputs.dtype', '"stem output", outputs, outputs.shape')
    assert lint(tmp_path, {"m.py": source}, IO_AND_PRINT) == {("m.py", 14, "HYB102"), ("m.py", 15, "HYB101")}


# -- N-class: a block run once under a tf.Variable flag the block sets (trieste's sampler) -------------

CALLEE_EFFECTS = 'select = ["HYB1"]\n'

VARIABLE_FLAG = """
import tensorflow as tf


class Trajectory:
    def __init__(self):
        self._seed = 0
        self._initialized = tf.Variable(False)
        self._indices = tf.Variable(tf.zeros([0], tf.int32), shape=[None])

    def resample(self):
        self._seed += 1
        self._indices.assign(tf.random.stateless_uniform([4], [self._seed, 0], 0, 8, tf.int32))

    @tf.function
    def __call__(self, x):
        if not self._initialized:
            self.resample()
            self._initialized.assign(True)
        return tf.gather(x, self._indices)


trajectory = Trajectory()
for _ in range(10):
    trajectory(tf.range(8))
"""


def test_a_build_once_block_under_a_variable_flag_is_no_per_trace_effect(tmp_path):
    """Eagerly the block runs at the first call; traced, AutoGraph makes it a `tf.cond` whose branch is
    traced once: once either way."""
    assert lint(tmp_path, {"m.py": VARIABLE_FLAG}, CALLEE_EFFECTS) == set()


def test_the_same_block_without_setting_the_flag_is_still_reported(tmp_path):
    source = VARIABLE_FLAG.replace("            self._initialized.assign(True)\n", "")
    assert lint(tmp_path, {"m.py": source}, CALLEE_EFFECTS) == {("m.py", 17, "HYB110")}


# -- corpus4 (tfx): logging in a signature made for export, which only serving runs ---------------------

EXPORT_SIGNATURE = """
import logging

import tensorflow as tf


def _serving_signature(model):
    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 4], dtype=tf.float32, name="x")])
    def serve(x):
        features = {"x": x * 2.0}
        logging.info("serve_features = %s", features)
        return {"outputs": model(features["x"])}

    return serve


def export(model, path):
    signatures = {"serving_default": _serving_signature(model)}
    tf.saved_model.save(model, path, signatures=signatures)
"""


def test_logging_in_a_signature_made_for_export_is_no_lost_effect(tmp_path):
    """Serving runs the signature's graph, never its Python: the log line can only ever run while the
    signature is traced for export (scripts/B4_serving_sig_log.py)."""
    assert lint(tmp_path, {"m.py": EXPORT_SIGNATURE}, IO_AND_PRINT) == set()


def test_the_same_signature_called_in_a_loop_still_loses_its_log_lines(tmp_path):
    source = EXPORT_SIGNATURE.replace(
        "    return serve\n",
        "    for _ in range(10):\n        serve(tf.ones([2, 4]))\n    return serve\n")
    assert lint(tmp_path, {"m.py": source}, IO_AND_PRINT) == {("m.py", 10, "HYB102")}


# -- corpus4 (TF-DF): a project's own logging wrapper, called like a logger -----------------------------

LOG_WRAPPER = """
import logging


def info(msg, *args):
    print(msg % args, flush=True)  # TF-DF's wrapper prints too, to be seen in notebooks
    logging.info(msg, *args)


def warning(msg, *args):
    logging.warning(msg, *args)
"""

WRAPPER_CALLS = """
import tensorflow as tf

import tf_logging


class Model:
    def __init__(self, verbose=0, weighted=False):
        self._verbose = verbose
        self._weighted = weighted

    @tf.function(reduce_retracing=True)
    def collect_data_step(self, x):
        if self._verbose >= 2:
            tf_logging.info("Collecting %s examples", "training")
        if not self._weighted:
            tf_logging.info("No weights: every example counts once")
        tf_logging.warning("A validation set is ignored by this model")
        return tf.reduce_sum(x)


model = Model()
for _ in range(10):
    model.collect_data_step(tf.ones([3]))
"""


def test_diagnostics_through_a_project_logging_wrapper_are_no_lost_effects(tmp_path):
    """A warning, or a line under a Python-only condition, through `tf_logging.info/warning` (TF-DF's
    wrapper of logging) tells about the configuration: once per trace says it all."""
    files = {"tf_logging.py": LOG_WRAPPER, "model.py": WRAPPER_CALLS}
    assert lint(tmp_path, files, CALLEE_EFFECTS) == set()


def test_a_progress_line_or_a_tensor_through_the_wrapper_is_still_reported(tmp_path):
    calls = WRAPPER_CALLS.replace('        return tf.reduce_sum(x)\n',
                                  '        tf_logging.info("step done")\n'
                                  '        tf_logging.info("sum %s", tf.reduce_sum(x))\n'
                                  '        return tf.reduce_sum(x)\n')
    files = {"tf_logging.py": LOG_WRAPPER, "model.py": calls}
    assert lint(tmp_path, files, CALLEE_EFFECTS) == {("model.py", 18, "HYB110"), ("model.py", 19, "HYB110")}


# -- corpus4 (horovod): a function run in another process is not called by the code starting it --------

OTHER_PROCESS = """
import multiprocessing

import tensorflow as tf


def _probe(queue):
    print("probing the extension")
    queue.put(True)


def extension_available():
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_probe, args=(queue,))
    process.start()
    process.join()
    return queue.get()


@tf.function
def step(x):
    if extension_available():
        return x * 2.0
    return x


for _ in range(3):
    step(tf.constant(1.0))
"""


def test_a_target_run_in_another_process_is_no_callee(tmp_path):
    assert lint(tmp_path, {"m.py": OTHER_PROCESS}, CALLEE_EFFECTS) == set()


def test_the_same_target_called_here_is_still_reported(tmp_path):
    source = OTHER_PROCESS.replace("    process = ctx.Process(target=_probe, args=(queue,))\n",
                                   "    _probe(queue)\n    process = ctx.Process(args=(queue,))\n")
    assert ("m.py", 23, "HYB110") in lint(tmp_path, {"m.py": source}, CALLEE_EFFECTS)


# -- corpus4 (TF-DF): writes of what is fixed for one trace, which nothing else changes ------------------

ATTRIBUTE_WRITES = 'select = ["HYB104"]\n'

FIXED_PER_TRACE = """
import tensorflow as tf


class Forest:
    def __init__(self):
        self._has_weights = None
        self._input_keys = None
        self._collected = False

    @tf.function(reduce_retracing=True)
    def collect_data_step(self, data):
        features, weights = data
        self._has_weights = weights is not None
        self._input_keys = sorted(list(features.keys()))
        self._collected = True
        return tf.add_n([tf.reduce_sum(features[key]) for key in self._input_keys])

    def collected(self):
        return self._collected


forest = Forest()
for _ in range(10):
    forest.collect_data_step(({"a": tf.ones([2]), "b": tf.ones([2])}, None))
"""


def test_writes_of_facts_fixed_per_trace_that_only_set_up_also_writes_are_no_lost_effects(tmp_path):
    """Eager calls write the same values on every call; the trace writes them once, and a new input
    structure traces (and writes) again. Only `__init__` writes them otherwise."""
    assert lint(tmp_path, {"m.py": FIXED_PER_TRACE}, ATTRIBUTE_WRITES) == set()


def test_a_fixed_value_another_method_resets_between_calls_is_still_reported(tmp_path):
    source = FIXED_PER_TRACE.replace("\n\nforest = Forest()", "\n    def reset(self):\n        self._collected = False\n\n\nforest = Forest()")
    source = source.replace("    forest.collect_data_step(", "    forest.reset()\n    forest.collect_data_step(")
    assert lint(tmp_path, {"m.py": source}, ATTRIBUTE_WRITES) == {("m.py", 15, "HYB104")}


def test_a_write_of_a_value_of_the_call_is_still_reported(tmp_path):
    source = FIXED_PER_TRACE.replace("self._collected = True", "self._collected = features")
    assert lint(tmp_path, {"m.py": source}, ATTRIBUTE_WRITES) == {("m.py", 15, "HYB104")}
