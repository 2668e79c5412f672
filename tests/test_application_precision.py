"""Classes of wrong findings met on application-style TF2 code the tool had never seen (trainers, RL
agents, attacks, explainers: the third group of ``bench/corpus.toml``): each has a negative case (no
longer reported) and a positive one (the hazard outside the pattern, still reported), as small programs
written for the test."""

from __future__ import annotations

from project_helpers import lint

FROZEN = 'select = ["HYB108"]\n'

# -- TensorFlow control flow runs its functions where it is called -----------------------------------

BRANCH_READS_A_REBOUND_LOCAL = """
import tensorflow as tf


def step(x, variables):
    if len(variables) == 1:
        deltas = list()
        for v in variables:
            deltas.append(tf.ones_like(v))

        def negate():
            return [-d for d in deltas]

        return tf.cond(x > 0, lambda: deltas, negate)
    deltas = [tf.zeros_like(v) for v in variables]
    return deltas
"""


def test_a_tf_cond_branch_called_eagerly_reads_its_closure_live(tmp_path):
    # Eager tf.cond calls the branch as Python on every call (checked with TF 2.21): nothing is frozen.
    assert lint(tmp_path, {"step.py": BRANCH_READS_A_REBOUND_LOCAL}, FROZEN) == set()


def test_a_tf_cond_branch_in_graph_code_is_traced_with_it(tmp_path):
    # In a tf.function the branch is traced with the function, each trace reading that call's locals.
    traced = BRANCH_READS_A_REBOUND_LOCAL.replace("\ndef step(", "\n@tf.function\ndef step(")
    assert lint(tmp_path, {"step.py": traced}, FROZEN) == set()


def test_a_nested_tf_function_still_freezes_a_closure_rebound_after_its_first_call(tmp_path):
    files = {"scaled.py": """
        import tensorflow as tf


        def make_scaled(k):
            scale = k

            @tf.function
            def scaled(x):
                return x * scale

            first = scaled(tf.constant(1.0))
            scale = k * 2
            return first, scaled(tf.constant(1.0))
        """}
    assert lint(tmp_path, files, FROZEN) == {("scaled.py", 9, "HYB108")}


# -- a patch that sets the same function on every call -----------------------------------------------

PATCHING_STEP = """
import tensorflow as tf


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def fit(self, dataset, epochs):
        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(self.model(images) - labels))
            gradients = tape.gradient(loss, self.model.trainable_variables)
            self.optimizer._check_variables_are_known = PATCH
            self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))

        for _ in range(epochs):
            for images, labels in dataset:
                train_step(images, labels)
"""


def test_patching_an_object_with_the_same_function_every_call_is_no_per_trace_hazard(tmp_path):
    files = {"trainer.py": PATCHING_STEP.replace("PATCH", "lambda *args, **kwargs: None")}
    assert lint(tmp_path, files) == set()


def test_patching_an_object_with_a_function_of_the_call_is_still_reported(tmp_path):
    files = {"trainer.py": PATCHING_STEP.replace("PATCH", "lambda *args: loss")}
    assert lint(tmp_path, files) == {("trainer.py", 15, "HYB104")}


# -- a one-time build done by a helper method ------------------------------------------------------

LAZY_LOSS = """
import tensorflow as tf


class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer
        self._clipping_loss = None

    def _make_clipping_loss(self):
        self._clipping_loss = SETTING

    @tf.function
    def train_step(self, x, y):
        if self._clipping_loss is None:
            self._make_clipping_loss()
        with tf.GradientTape() as tape:
            loss = self._clipping_loss(y, self.model(x, training=True))
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
        return loss
"""


def test_a_build_once_helper_under_a_none_guard_runs_once_eager_or_traced(tmp_path):
    files = {"dp.py": LAZY_LOSS.replace("SETTING", "make_loss()")}
    assert lint(tmp_path, files) == set()


def test_a_helper_that_never_sets_the_flag_runs_on_every_eager_call(tmp_path):
    files = {"dp.py": LAZY_LOSS.replace("self._clipping_loss = SETTING", "self.builds += 1")}
    assert lint(tmp_path, files) == {("dp.py", 16, "HYB110")}


# -- TF1 programs: a Session runs the graph its caller builds --------------------------------------

HYBRID = 'select = ["HYB3"]\n'

POWER_ITERATION = """
import tensorflow as tf


def power_step(v, matrix):
    w = tf.matmul(matrix, v)
    w = w / tf.norm(w)
    w = tf.nn.l2_normalize(w + 0.1 * v)
    w = tf.matmul(matrix, w) - tf.reduce_mean(w)
    return tf.nn.l2_normalize(w * tf.norm(v) + tf.square(w))


def top_vector(v, matrix, steps):
    for _ in range(steps):
        v = power_step(v, matrix)
    return v
"""

MAIN = """
import tensorflow as tf

from power import top_vector


def main():
    matrix = tf.ones([4, 4])
    v = top_vector(tf.ones([4, 1]), matrix, 100)
    RUN


if __name__ == "__main__":
    main()
"""


def test_a_tf1_program_that_runs_a_session_calls_nothing_eagerly(tmp_path):
    # the TF1 markers are in the program's module, the loop in a helper module
    program = MAIN.replace("RUN", "with tf.Session() as sess:\n        print(sess.run(v))")
    assert lint(tmp_path, {"power.py": POWER_ITERATION, "main.py": program}, HYBRID) == set()


def test_the_same_loop_in_an_eager_program_is_a_boundary(tmp_path):
    program = MAIN.replace("RUN", "print(v.numpy())")
    assert lint(tmp_path, {"power.py": POWER_ITERATION, "main.py": program}, HYBRID) == {("power.py", 4, "HYB301")}


def test_a_function_autograph_converts_is_not_called_by_the_conversion(tmp_path):
    program = MAIN.replace("    v = top_vector(tf.ones([4, 1]), matrix, 100)\n    RUN",
                           "    converted = tf.autograph.to_graph(top_vector)\n    return converted, matrix")
    assert lint(tmp_path, {"power.py": POWER_ITERATION, "main.py": program}, HYBRID) == set()


# -- NumPy arrays are converted, not retraced ------------------------------------------------------

PREDICTOR = """
import numpy as np
import tensorflow as tf


class Predictor:
    def __init__(self, model):
        self.model = model

    def _prepare_batch(self, batch):
        inputs, labels = batch
        inputs = [x.astype(np.float32) for x in inputs]
        if labels is not None:
            labels = [y.astype(np.float32) for y in labels]
        return inputs, labels

    @tf.function
    def _compute_model(self, inputs):
        return self.model(inputs, training=False)

    def predict(self, batches):
        results = []
        for batch in batches:
            inputs, _ = self._prepare_batch((batch, None))
            if len(inputs) == 1:
                inputs = inputs[0]
            results.append(self._compute_model(inputs).numpy())
        return results


def main():
    predictor = Predictor(tf.keras.Sequential([tf.keras.layers.Dense(2)]))
    predictor.predict([[np.ones([4, 3])] for _ in range(10)])
    predictor._compute_model(CALL)
"""

RETRACE = 'select = ["HYB2", "HYB402"]\n'


def test_an_argument_that_may_be_a_numpy_array_is_no_evidence_of_retracing(tmp_path):
    files = {"predict.py": PREDICTOR.replace("CALL", "tf.ones([4, 3])")}
    assert lint(tmp_path, files, RETRACE) == set()


def test_python_numbers_passed_to_the_same_function_still_retrace(tmp_path):
    files = {"predict.py": PREDICTOR.replace("CALL", "3.0").replace(
        "    predictor._compute_model(3.0)", "    predictor._compute_model(tf.ones([4, 3]))\n    for k in range(5):\n        predictor._compute_model(float(k))")}
    assert lint(tmp_path, files, RETRACE) == {("predict.py", 17, "HYB402")}


# -- `typing.cast(T, f)(x)` calls f ----------------------------------------------------------------

COMBINED = """
from typing import cast

import tensorflow as tf


class Combined:
    def __init__(self, first, second):
        self._first = first
        self._second = second

    @tf.function
    def combined(self, x: tf.Tensor) -> tf.Tensor:
        return BODY


def evaluate(first, second, batches):
    model = Combined(first, second)
    return [model.combined(batch) for batch in batches]
"""


def test_a_tf_function_combining_opaque_callables_through_cast_is_not_barren(tmp_path):
    body = "cast(object, self._first)(x) * cast(object, self._second)(x)"
    assert lint(tmp_path, {"acq.py": COMBINED.replace("BODY", body)}, 'select = ["HYB401"]\n') == set()


def test_a_tf_function_that_only_casts_its_argument_is_still_barren(tmp_path):
    body = "cast(tf.Tensor, x)"
    assert lint(tmp_path, {"acq.py": COMBINED.replace("BODY", body)}, 'select = ["HYB401"]\n') == {("acq.py", 12, "HYB401")}


# -- a setter that parks a tensor of the trace on an object --------------------------------------

DECODER = """
import tensorflow as tf


class Decoder:
    def __init__(self):
        self.initial_state = None

    def setup_initial_state(self, state):
        self.initial_state = state

    def initial(self, batch_size):
        return tf.zeros([batch_size, 8]), tf.zeros([batch_size, 4])

    def decode(self, memory):
        return tf.reduce_sum(memory) + tf.reduce_sum(self.initial_state[0])


class Synthesizer:
    def __init__(self):
        self.decoder = Decoder()

    @tf.function
    def inference(self, memory):
        batch_size = tf.shape(memory)[0]
        self.decoder.setup_initial_state(STATE)
        return self.decoder.decode(memory)
"""


def test_a_setter_given_a_tensor_of_the_trace_parks_it_for_the_rest_of_the_trace(tmp_path):
    files = {"tts.py": DECODER.replace("STATE", "self.decoder.initial(batch_size)")}
    assert lint(tmp_path, files) == set()
    files = {"tts.py": DECODER.replace("STATE", "tf.zeros([2, 8])")}
    assert lint(tmp_path / "direct", files) == set()


def test_a_setter_given_a_python_value_still_changes_state_once_per_trace(tmp_path):
    # Read by eager code after the call: it sees what the first trace set, not what this call set.
    eager_reader = "\n    def current_state(self):\n        return self.decoder.initial_state\n"
    files = {"tts.py": DECODER.replace("STATE", "[0, 1]") + eager_reader}
    assert lint(tmp_path, files) == {("tts.py", 25, "HYB110")}


def test_a_setter_given_a_python_value_for_the_trace_s_own_later_reads_is_no_hazard(tmp_path):
    # Only `decode`, which `inference` runs right after the setter in the same trace, reads it.
    files = {"tts.py": DECODER.replace("STATE", "[0, 1]")}
    assert lint(tmp_path, files) == set()


NAMED_STATE = """
import collections
import typing

import tensorflow as tf

State = collections.namedtuple("State", ["time", "context"])


class Pair(typing.NamedTuple):
    first: tf.Tensor
    second: tf.Tensor


def initial_state(batch_size):
    return STATE


class Decoder(tf.Module):
    def __init__(self):
        self.initial_state = None

    def setup(self, state):
        self.initial_state = state


decoder = Decoder()


@tf.function
def inference(x):
    decoder.setup(initial_state(tf.shape(x)[0]))
    return x
"""


def test_a_setter_given_a_named_tuple_of_tensors_parks_tensors(tmp_path):
    # calling a named-tuple class builds a tuple of its arguments: tensors here
    for name, state in {"namedtuple": "State(time=tf.zeros([]), context=tf.zeros([batch_size, 4]))",
                        "NamedTuple": "Pair(tf.zeros([]), tf.ones([batch_size]))"}.items():
        assert lint(tmp_path / name, {"tts.py": NAMED_STATE.replace("STATE", state)}) == set(), name


def test_a_setter_given_a_named_tuple_of_python_values_still_changes_state_once_per_trace(tmp_path):
    files = {"tts.py": NAMED_STATE.replace("STATE", "State(time=0, context=[batch_size])")}
    assert lint(tmp_path, files) == {("tts.py", 31, "HYB110")}


def test_a_setter_given_what_an_unnamed_call_computes_in_the_trace_parks_it(tmp_path):
    # `self.decoder.cell.get_initial_state(b)`: a call the analysis cannot name, made in graph code
    files = {"tts.py": DECODER.replace("STATE", "self.decoder.cells[0].initial(batch_size)")}
    assert lint(tmp_path, files) == set()


# -- a callee narrowed to a Keras layer returns tensors ---------------------------------------------

REPARAMETERIZED = """
import tensorflow as tf


class DenseReparameterization(tf.keras.layers.Dense):
    def call_weights(self):
        if GUARD:
            self.kernel = self.kernel_initializer(self.kernel.shape, self.dtype)

    @tf.function
    def call(self, inputs):
        self.call_weights()
        return super().call(inputs)
"""


def test_a_layer_sampled_weight_parked_on_the_layer_is_recomputed_on_every_call(tmp_path):
    files = {"layers.py": REPARAMETERIZED.replace("GUARD", "isinstance(self.kernel_initializer, tf.keras.layers.Layer)")}
    assert lint(tmp_path, files) == set()


def test_a_weight_from_a_callee_of_unknown_type_is_still_a_write_once_per_trace(tmp_path):
    files = {"layers.py": REPARAMETERIZED.replace("GUARD", "callable(self.kernel_initializer)")}
    assert lint(tmp_path, files) == {("layers.py", 11, "HYB110")}


# -- a Python value computed once by the caller is the same at every call -----------------------------

TARGETS = """
import tensorflow as tf


@tf.function
def assign_center_targets(out_height, y_center):
    return tf.reduce_sum(y_center) * out_height


def assign_targets(labels, output_size):
    output_h = output_size[0]
    return assign_center_targets(output_h, labels)


def build(dataset, output_size):
    return [assign_targets(labels, output_size) for labels in dataset]


build([tf.ones([3])] * 4, [64, 64])
"""


def test_a_value_taken_from_a_fixed_config_is_no_evidence_of_retracing(tmp_path):
    assert lint(tmp_path, {"targets.py": TARGETS}, RETRACE) == set()


def test_a_value_the_callers_loop_changes_still_retraces(tmp_path):
    varying = TARGETS.replace("    output_h = output_size[0]\n    return assign_center_targets(output_h, labels)",
                              "    for output_h in output_size:\n        assign_center_targets(output_h, labels)")
    assert lint(tmp_path, {"targets.py": varying}, RETRACE) == {("targets.py", 5, "HYB402")}


def test_a_cached_summary_keeps_every_field_of_its_effects():
    import ast
    import dataclasses

    from hybridize_lint.analysis.summariser import summarize_module
    from hybridize_lint.analysis.summary import ModuleSummary
    from hybridize_lint.knowledge import load_knowledge

    text = DECODER.replace("STATE", "self.decoder.initial(batch_size)")
    summary = summarize_module(ast.parse(text), "tts", False, "digest", load_knowledge(), text)
    effects = [effect for info in summary.functions.values() for effect in info.effects]
    assert any(effect.stored_param == "state" for effect in effects)
    restored = ModuleSummary.from_json(summary.to_json())
    assert [dataclasses.astuple(e) for info in restored.functions.values() for e in info.effects] == \
        [dataclasses.astuple(e) for e in effects]


def test_a_tf_cond_branch_in_a_method_frameworks_trace_is_graph_code(tmp_path):
    # an optimizer's update_step runs in the graphs of fit and of traced train steps: a Python counter
    # bumped in its tf.cond branch is bumped once per trace (tf-keras Nadam's _u_product_counter)
    files = {"optimizer.py": """
        import tensorflow as tf


        class Nadam(tf.keras.optimizers.Optimizer):
            def update_step(self, gradient, variable):
                def cached():
                    return self._u_product

                def compute():
                    self._u_product_counter += 1
                    return self._u_product * 0.9

                return tf.cond(self._u_product_counter == self.iterations, cached, compute)

            def apply(self, gradient, variable):
                def compute():
                    self._u_product_counter += 1
                    return self._u_product * 0.9

                return tf.cond(self._u_product_counter == self.iterations, lambda: self._u_product, compute)
        """}
    assert lint(tmp_path, files) == {("optimizer.py", 10, "HYB104")}


# -- introspection takes a function without calling it -------------------------------------------------

INTROSPECTED = """
import inspect

import tensorflow as tf


def loss(y, x, sample_weight=None):
    print("computing the loss")
    return tf.reduce_sum(y - x)


@tf.function
def step(x, y):
    names = list(inspect.signature(loss).parameters)
    return RESULT


for _ in range(3):
    step(tf.ones([2]), tf.ones([2]))
"""


def test_inspecting_a_function_signature_does_not_call_it(tmp_path):
    assert lint(tmp_path, {"m.py": INTROSPECTED.replace("RESULT", "x * len(names)")}) == set()


def test_calling_the_inspected_function_is_still_a_call(tmp_path):
    files = {"m.py": INTROSPECTED.replace("RESULT", 'loss(y, x) if "sample_weight" in names else x')}
    assert lint(tmp_path, files) == {("m.py", 14, "HYB110")}


# -- a tf.function constructor traces for every object ---------------------------------------------------

CONSTRUCTED = """
import tensorflow as tf


class Surrogate:
    @tf.function
    def METHOD(self, net, configurator=None):
        self.net = net
        self.configurator = configurator

    def predict(self, x):
        return self.net(x)


nets = [tf.keras.layers.Dense(2) for _ in range(3)]
CALLS
"""


def test_a_tf_function_constructor_runs_its_effects_on_every_construction(tmp_path):
    # F_init_tf_function.py: 3 constructions, 3 traces, every attribute set; the decoration is useless
    files = {"m.py": CONSTRUCTED.replace("METHOD", "__init__").replace("CALLS", "objs = [Surrogate(n) for n in nets]")}
    assert lint(tmp_path, files, 'select = ["HYB1", "HYB4"]\n') == {("m.py", 6, "HYB401")}


def test_a_tf_function_method_called_again_on_one_object_writes_once_per_trace(tmp_path):
    calls = "s = Surrogate.__new__(Surrogate)\nfor n in nets:\n    s.setup(n)"
    files = {"m.py": CONSTRUCTED.replace("METHOD", "setup").replace("CALLS", calls)}
    assert {code for _, _, code in lint(tmp_path, files)} >= {"HYB104"}


# -- a print about what the trace is for ---------------------------------------------------------------

WARNS = """
import tensorflow as tf


class Mapper:
    def __init__(self, verbose=False):
        self.verbose = verbose

    def map_values(self, fn, x):
        if GUARD:
            print("WARNING: got a ragged tensor")
        return fn(x)


mapper = Mapper()


@tf.function
def step(x):
    return mapper.map_values(tf.nn.relu, x)


for _ in range(3):
    step(tf.ones([4, 2]))
"""


def test_a_print_under_a_test_of_the_input_type_reports_a_fact_of_the_trace(tmp_path):
    for number, guard in enumerate(("isinstance(x, tf.RaggedTensor)", "x.dtype == tf.float16", "x.shape.rank > 2")):
        assert lint(tmp_path / str(number), {"m.py": WARNS.replace("GUARD", guard)}) == set(), guard


def test_a_print_under_a_flag_still_runs_once_per_trace_instead_of_every_call(tmp_path):
    assert lint(tmp_path, {"m.py": WARNS.replace("GUARD", "mapper.verbose")}) == {("m.py", 19, "HYB110")}


# -- writes that leave the object as every eager call would ------------------------------------------

REBUILT = """
import tensorflow as tf


class Discovery:
    def __init__(self):
        self.model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        self.model.build((None, 2))
        self.extra = [tf.Variable(1.0)]
        self.optimizer = tf.keras.optimizers.SGD(0.1)
        self.variables = None
        self.batch = None

    def loss(self):
        return tf.reduce_sum(self.model(tf.ones([3, 2]))) * self.extra[0]

    @tf.function
    def train_op(self):
        self.variables = VARIABLES
        self.variables.extend(self.extra)
        for i in range(2):
            with tf.GradientTape() as tape:
                loss = self.loss()
            grads = tape.gradient(loss, self.variables)
            self.optimizer.apply_gradients(zip(grads, self.variables))
        self.batch = RESET
        return loss

    def current_batch(self):
        return self.batch


d = Discovery()
for _ in range(10):
    d.train_op()
"""


def test_an_idempotent_rebuild_of_object_state_loses_nothing_per_call(tmp_path):
    # the same list of the same variables, grown by the same objects; a reset to a constant after
    # the function's own write: every call ends with the object as the trace left it
    files = {"m.py": REBUILT.replace("VARIABLES", "self.model.trainable_variables").replace("RESET", "None")}
    source = files["m.py"].replace("        for i in range(2):\n", "        for i in range(2):\n            self.batch = i\n")
    assert lint(tmp_path, {"m.py": source}) == {("m.py", 21, "HYB104")}  # only the write in the loop


def test_a_mirror_of_object_state_in_the_loop_is_the_same_at_every_iteration(tmp_path):
    source = REBUILT.replace("VARIABLES", "None").replace("RESET", "None").replace(
        "        for i in range(2):\n", "        for i in range(2):\n            self.variables = self.model.trainable_variables\n")
    assert ("m.py", 21, "HYB104") not in lint(tmp_path, {"m.py": source})


def test_growing_a_list_the_object_keeps_still_grows_it_once_per_trace(tmp_path):
    files = {"m.py": REBUILT.replace("VARIABLES", "self.variables or []").replace("RESET", "None")}
    assert ("m.py", 19, "HYB105") in lint(tmp_path, files)


def test_a_constant_set_with_no_earlier_write_of_the_call_is_still_a_flag_other_code_may_clear(tmp_path):
    files = {"m.py": REBUILT.replace("VARIABLES", "self.model.trainable_variables").replace("RESET", "7")}
    assert lint(tmp_path, files) == {("m.py", 25, "HYB104")}


# -- a function chosen at run time and handed to tf.py_function runs eagerly ---------------------------

CHOSEN = """
import tensorflow as tf


@tf.function
def skip_mask(tokens, skip_py_fn):
    def string_fn(token):
        return skip_py_fn(token.numpy().decode("utf-8"))

    def int_fn(token):
        return skip_py_fn(token.numpy())

    py_fn = string_fn if tokens.dtype == tf.string else int_fn
    return tf.map_fn(lambda x: CALL, tokens, fn_output_signature=tf.bool)


skip_mask(tf.constant(["a", "b"]), lambda s: s == "a")
"""


def test_a_function_chosen_by_a_conditional_and_run_by_py_function_is_eager_code(tmp_path):
    assert lint(tmp_path, {"m.py": CHOSEN.replace("CALL", "tf.py_function(py_fn, [x], tf.bool)")}) == set()


def test_the_chosen_function_called_in_the_graph_still_fails_there(tmp_path):
    assert lint(tmp_path, {"m.py": CHOSEN.replace("CALL", "py_fn(x)")}) == {("m.py", 7, "HYB501"), ("m.py", 10, "HYB501")}


# -- what a call site passes on every run: string modes and the object's own state ------------------------

SELECTORS = """
import tensorflow as tf


@tf.function
def segment_by_name(name, data, ids):
    if name in ("mean", "segment_mean"):
        return tf.math.segment_mean(data, ids)
    return tf.math.segment_sum(data, ids)


class Collator:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    @tf.function
    def mask_tokens(self, inputs, vocab_size):
        return tf.random.uniform(tf.shape(inputs), maxval=vocab_size, dtype=tf.int64)

    def __call__(self, batch):
        return self.mask_tokens(batch, vocab_size=SIZE)


data, ids = tf.ones([4]), tf.constant([0, 0, 1, 1])
collate = Collator(["a", "b", "c"])
for step in range(10):
    segment_by_name(NAME, data, ids)
    segment_by_name("mean", data, ids)
    collate(tf.zeros([4], tf.int64))
"""
RETRACING_RULES = 'select = ["HYB2", "HYB4"]\n'


def test_string_modes_and_object_state_are_the_same_at_every_call_of_a_site(tmp_path):
    # F_string_selector_traces.py: 300 calls with "sum"/"mean", 2 traces
    files = {"m.py": SELECTORS.replace("NAME", '"sum"').replace("SIZE", "len(self.tokenizer)")}
    assert lint(tmp_path, files, RETRACING_RULES) == set()


def test_a_mode_or_size_that_changes_with_the_loop_still_retraces(tmp_path):
    files = {"m.py": SELECTORS.replace("NAME", '["sum", "mean"][step % 2]').replace("SIZE", "len(batch) + 3")}
    found = {code for _, _, code in lint(tmp_path, files, RETRACING_RULES)}
    assert found & {"HYB201", "HYB402"}, found


# -- a method of a TensorFlow object may run ops ----------------------------------------------------------

AVERAGED = """
import tensorflow as tf


class MovingAverage:
    def __init__(self, variables, decay=0.999):
        self._ema = tf.train.ExponentialMovingAverage(decay)
        self._variables = variables
        self._names = [v.name for v in variables]

    @tf.function
    def update(self):
        BODY


average = MovingAverage([tf.Variable(1.0)])
for _ in range(10):
    average.update()
"""


def test_a_tf_function_that_updates_a_tensorflow_object_is_not_barren(tmp_path):
    files = {"m.py": AVERAGED.replace("BODY", "self._ema.apply(self._variables)")}
    assert lint(tmp_path, files, 'select = ["HYB4"]\n') == set()


def test_a_tf_function_that_only_reads_python_state_is_still_barren(tmp_path):
    files = {"m.py": AVERAGED.replace("BODY", "return len(self._names)")}
    assert lint(tmp_path, files, 'select = ["HYB4"]\n') == {("m.py", 11, "HYB401")}


# -- an eager switch its own code announces is deliberate ------------------------------------------------

WRAPPER = """
import warnings

import tensorflow as tf


class TorchWrapper(tf.keras.Model):
    def __init__(self, torch_model):
        super().__init__()
        self.model = torch_model
        tf.config.run_functions_eagerly(True)  # the torch model is called through .numpy()
        ANNOUNCE
"""


def test_a_switch_its_block_warns_users_about_is_deliberate(tmp_path):
    files = {"m.py": WRAPPER.replace("ANNOUNCE", 'warnings.warn("TF runs eagerly to call the PyTorch model")')}
    assert lint(tmp_path, files, 'select = ["HYB303"]\n') == set()


def test_a_switch_left_without_a_word_is_still_reported(tmp_path):
    files = {"m.py": WRAPPER.replace("ANNOUNCE", "self.built = True")}
    assert lint(tmp_path, files, 'select = ["HYB303"]\n') == {("m.py", 10, "HYB303")}


# -- a barren tf.function only graph code calls is inlined there ------------------------------------------

INLINED = """
import tensorflow as tf


@tf.function
def identity(x):
    return x


@tf.function
def step(x):
    return tf.reduce_sum(identity(x))


for _ in range(3):
    step(tf.ones([2]))
    CALL
"""


def test_a_barren_tf_function_only_graph_code_calls_costs_nothing(tmp_path):
    assert lint(tmp_path, {"m.py": INLINED.replace("CALL", "pass")}, 'select = ["HYB4"]\n') == set()


def test_a_barren_tf_function_called_eagerly_still_traces_for_nothing(tmp_path):
    files = {"m.py": INLINED.replace("CALL", "identity(3)")}
    assert lint(tmp_path, files, 'select = ["HYB4"]\n') == {("m.py", 5, "HYB401")}


# -- a barren tf.function kept on an object is called through it, by callers not followed ---------------

STORED = """
import tensorflow as tf


class Surrogate:
    def __init__(self, network, configurator=None):
        self.network = network
        self.configurator = configurator
        if self.configurator is None:
            self.configurator = self._default_configurator

    @tf.function
    def _default_configurator(self, inputs):
        return inputs

    @tf.function
    def log_likelihood(self, inputs):
        return tf.reduce_sum(self.network(self.configurator(inputs)))


surrogate = Surrogate(tf.keras.layers.Dense(2))
for _ in range(10):
    surrogate.log_likelihood(tf.ones((1, 3)))
    CALL
"""


def test_a_barren_tf_function_kept_on_an_object_has_callers_not_known(tmp_path):
    # bayesflow's default configurator, yolov4's `self._yolo_function = _coords_1`: the graph that
    # calls it through the attribute inlines it; nothing shows an eager caller that would pay.
    assert lint(tmp_path, {"m.py": STORED.replace("CALL", "pass")}, 'select = ["HYB4"]\n') == set()


def test_a_barren_tf_function_kept_on_an_object_and_called_eagerly_still_traces_for_nothing(tmp_path):
    files = {"m.py": STORED.replace("CALL", "surrogate._default_configurator(tf.ones((1, 3)))")}
    assert lint(tmp_path, files, 'select = ["HYB4"]\n') == {("m.py", 12, "HYB401")}


# -- a helper's print of Python values tells a fact of the trace ------------------------------------------

PRINTS = """
import tensorflow as tf

IMAGE_SIZE = 224


def resize_image(image, height: int = IMAGE_SIZE, width: int = IMAGE_SIZE):
    print(height, width)
    return tf.image.resize(image, [height, width])


def scale(image, factor):
    print(PRINTED)
    return image * factor


def preprocess(image, size: int = IMAGE_SIZE):
    return scale(resize_image(image, size, size), tf.constant(2.0))


dataset = tf.data.Dataset.from_tensor_slices(tf.ones((4, 8, 8, 3))).map(preprocess)
for batch in dataset:
    pass
"""


def test_a_helper_printing_parameters_annotated_as_python_scalars_tells_trace_facts(tmp_path):
    # tf-models' resize_image: `print(height, width)` of the image size; each new size is a new trace.
    files = {"m.py": PRINTS.replace("    print(PRINTED)\n", "")}
    assert lint(tmp_path, files, 'select = ["HYB1"]\n') == set()


def test_a_helper_printing_what_a_caller_may_pass_as_a_tensor_still_runs_once_per_trace(tmp_path):
    files = {"m.py": PRINTS.replace("PRINTED", "factor")}
    assert lint(tmp_path, files, 'select = ["HYB1"]\n') == {("m.py", 17, "HYB110")}


def test_a_helper_printing_a_message_of_constants_still_runs_once_per_trace(tmp_path):
    files = {"m.py": PRINTS.replace("PRINTED", '"scaling", IMAGE_SIZE')}
    assert lint(tmp_path, files, 'select = ["HYB1"]\n') == {("m.py", 17, "HYB110")}


def test_the_graph_functions_own_print_of_a_constant_is_still_reported(tmp_path):
    files = {"m.py": PRINTS.replace("    print(PRINTED)\n", "").replace(
        "    return scale(", '    print("preprocessing", size)\n    return scale(')}
    assert lint(tmp_path, files, 'select = ["HYB1"]\n') == {("m.py", 16, "HYB101")}


# -- one element of an unpacked structure holds every element's kinds ------------------------------------

UNPACKS = """
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.layers.Dense(1)])


@tf.function
def compute(inputs, scale):
    return model(inputs) * scale


def load(i):
    return RESULT


def main():
    for i in range(10):
        inputs, count = load(i)
        compute(ARGUMENTS)
    compute(tf.ones([4, 2]), tf.constant(2.0))


main()
"""


def test_an_array_unpacked_beside_a_literal_is_no_evidence_of_a_literal(tmp_path):
    # deepchem's `inputs, _, _ = self._prepare_batch((inputs, None, None))`: which element is which is lost
    source = UNPACKS.replace("RESULT", "np.ones([4, 2], np.float32), i").replace("ARGUMENTS", "inputs, tf.constant(1.0)")
    assert lint(tmp_path, {"m.py": source}, 'select = ["HYB2", "HYB4"]\n') == set()


def test_a_literal_unpacked_from_literals_still_retraces(tmp_path):
    source = UNPACKS.replace("RESULT", "i, 2 * i").replace("ARGUMENTS", "tf.ones([4, 2]), count")
    assert lint(tmp_path, {"m.py": source}, 'select = ["HYB2", "HYB4"]\n') == {("m.py", 8, "HYB402")}


# -- a tf.function called from traced code traces again only while its caller traces -------------------

ORDERS = """
import math

import tensorflow as tf


@tf.function
def bessel(x, n=0):
    coefficients = [math.factorial(n + k) / math.factorial(k) for k in range(n + 1)]
    out = tf.zeros_like(x)
    for c in coefficients:
        out += c * tf.sin(x)
    return out


DECORATOR
def basis(d):
    return tf.stack([bessel(d, n) for n in range(4)], axis=1)


for _ in range(10):
    basis(tf.ones([8]))
"""


def test_python_orders_passed_from_traced_code_trace_with_their_caller(tmp_path):
    # kgcnn DimeNet: `n` drives Python loops and factorials; the calls run while `basis` traces, once
    files = {"m.py": ORDERS.replace("DECORATOR", "@tf.function")}
    assert lint(tmp_path, files, 'select = ["HYB2", "HYB4"]\n') == set()


def test_a_scale_passed_from_an_eager_loop_retraces_per_value(tmp_path):
    files = {"m.py": ORDERS.replace("DECORATOR", "").replace(
        "coefficients = [math.factorial(n + k) / math.factorial(k) for k in range(n + 1)]", "coefficients = [n, 1]")}
    found = {code for _, _, code in lint(tmp_path, files, 'select = ["HYB2", "HYB4"]\n')}
    assert found & {"HYB201", "HYB402"}, found


# -- code of another framework is no TensorFlow code --------------------------------------------------------

BOXES = """
import FRAMEWORK


def box_area(boxes):
    width = (boxes[:, 2] - boxes[:, 0]) * 0.5 + (boxes[:, 2] - boxes[:, 0]) * 0.5
    height = (boxes[:, 3] - boxes[:, 1]) * 0.5 + (boxes[:, 3] - boxes[:, 1]) * 0.5
    return (width * height + width * height) / 2.0
"""


def test_a_pytorch_module_gets_no_hybridization_suggestion(tmp_path):
    files = {"boxes.py": BOXES.replace("FRAMEWORK", "torch"), "train.py": TRAIN_BOXES}
    assert lint(tmp_path, files, 'select = ["HYB3"]\n') == set()


def test_the_same_module_on_tensorflow_is_suggested(tmp_path):
    files = {"boxes.py": BOXES.replace("FRAMEWORK", "tensorflow as tf"), "train.py": TRAIN_BOXES}
    assert {code for _, _, code in lint(tmp_path, files, 'select = ["HYB3"]\n')} == {"HYB301"}


TRAIN_BOXES = """
import tensorflow as tf

from boxes import box_area

for step in range(100):
    box_area(tf.random.uniform([64, 4]))
"""


# -- a parameter the body needs as a Python value -----------------------------------------------------------

def test_a_python_order_that_drives_range_and_math_is_static_by_design(tmp_path):
    # kgcnn DimeNet: `n` is a loop bound and a factorial argument; a tensor there fails
    files = {"m.py": ORDERS.replace("DECORATOR", "")}
    assert lint(tmp_path, files, 'select = ["HYB2", "HYB4"]\n') == set()


# -- one cause, one finding: a random draw stored on an object ---------------------------------------------

SHUFFLED = """
import numpy as np
import tensorflow as tf


class Trainer:
    def __init__(self):
        self.order = None
        self.offset = 0

    @tf.function
    def step(self, x):
        self.STORED
        return tf.gather(x, tf.constant(self.order))

    def current(self):
        return self.order, self.offset


trainer = Trainer()
for _ in range(5):
    trainer.step(tf.range(8))
"""


def test_storing_a_frozen_random_draw_is_reported_once_as_the_draw(tmp_path):
    files = {"m.py": SHUFFLED.replace("STORED", "order = np.random.permutation(8)")}
    assert lint(tmp_path, files) == {("m.py", 12, "HYB106")}


def test_storing_a_python_value_is_still_a_write_once_per_trace(tmp_path):
    files = {"m.py": SHUFFLED.replace("STORED", "offset = self.offset + 1")}
    assert lint(tmp_path, files) == {("m.py", 12, "HYB104")}


def test_an_order_the_function_validates_with_a_raise_is_static_by_design(tmp_path):
    # kgcnn tf_spherical_bessel_jn: `if n < 0: raise ValueError(...)`, then a recursion unrolled n times
    source = ORDERS.replace("DECORATOR", "").replace(
        "    coefficients = [math.factorial(n + k) / math.factorial(k) for k in range(n + 1)]\n",
        "    if n < 0:\n        raise ValueError('order must be >= 0')\n    coefficients = [n, 1]\n")
    assert "raise ValueError" in source
    assert lint(tmp_path, {"m.py": source}, 'select = ["HYB2", "HYB4"]\n') == set()
