"""Classes of wrong or worthless findings met on TF2 libraries the tool had never seen (Sonnet,
TF-Agents, TFP, TF-GAN, TF-MOT): each has a negative case (no longer reported) and a positive one
(the same hazard outside the pattern, still reported), as small programs written for the test."""

from __future__ import annotations

from project_helpers import run

RETRACING = 'select = ["HYB2", "HYB402"]\n'

DEQUE = """
import tensorflow as tf


class Deque:
    def __init__(self):
        self.total = tf.Variable(0.0)

    @tf.function
    def add(self, x, value):
        self.total.assign_add(tf.reduce_sum(x) * value)
        return self.total
"""

CALLS = """
from deque import Deque
import tensorflow as tf

def check_add():
    d = Deque()
    x = tf.ones([3])
    d.add(x, 1)
    d.add(x, 2)
    d.add(x, 3)
"""


def codes(tmp_path, files: dict[str, str], settings: str = RETRACING) -> list[tuple[str, int, str]]:
    return [(f.path, f.row, f.code) for f in run(tmp_path, files, settings)]


# -- tests call with the literal values each case needs ----------------------------------------


def test_literal_arguments_in_test_files_are_no_retracing_hazard(tmp_path):
    assert codes(tmp_path, {"deque.py": DEQUE, "deque_test.py": CALLS}) == []


def test_literal_arguments_in_program_code_still_retrace(tmp_path):
    found = codes(tmp_path, {"deque.py": DEQUE, "usage.py": CALLS})
    # literals at the program's calls: evidence to dehybridize (HYB402 covers the calls' HYB201)
    assert found == [("deque.py", 9, "HYB402")]
    without = codes(tmp_path / "without", {"deque.py": DEQUE, "usage.py": CALLS}, RETRACING + 'ignore = ["HYB402"]\n')
    assert ("usage.py", 7, "HYB201") in without and ("usage.py", 9, "HYB201") in without


def test_methods_of_test_classes_are_test_code_outside_test_files(tmp_path):
    in_a_test_case = CALLS.replace("def check_add():", "class DequeTest:\n    def test_add(self):").replace(
        "\n    ", "\n        ")
    assert codes(tmp_path, {"deque.py": DEQUE, "checks.py": in_a_test_case}) == []


def test_hybridize_tests_setting_reports_them_again(tmp_path):
    found = codes(tmp_path, {"deque.py": DEQUE, "deque_test.py": CALLS}, RETRACING + "hybridize-tests = true\n")
    assert found == [("deque.py", 9, "HYB402")]


def test_a_tf_function_created_in_a_test_is_called_once_per_case(tmp_path):
    test = """
        import tensorflow as tf

        def test_double():
            assert tf.function(lambda x: x * 2)(tf.constant(1.0)) == 2.0
        """
    assert codes(tmp_path, {"double_test.py": test}) == []
    assert codes(tmp_path, {"double.py": test}) == [("double.py", 4, "HYB202")]


# -- a loop that wraps a different function on each iteration ---------------------------------


def test_wrapping_the_loop_variable_makes_a_different_function_each_time(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import tensorflow as tf

        def specialise(specialisations, x):
            compiled = {}
            for device, body in specialisations.items():
                compiled[device] = tf.function(body)
                compiled[device].get_concrete_function(x)
            return compiled

        def decode_all(batches, model):
            for batch in batches:
                @tf.function
                def decode():
                    return model(batch)
                decode()
        """}) == []


def test_wrapping_the_same_function_in_a_loop_is_still_reported(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import tensorflow as tf

        def train(batches, model):
            for batch in batches:
                @tf.function
                def step(x):
                    return model(x)
                step(batch)
                compiled = tf.function(model)
                compiled(batch)
        """}) == [("m.py", 5, "HYB202"), ("m.py", 9, "HYB202")]


# -- log lines about trace-time facts ---------------------------------------------------------

SIDE_EFFECTS = 'select = ["HYB1"]\n'


def test_warnings_and_conditional_log_lines_about_python_facts_are_diagnostics(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import logging

        from absl import logging as absl_logging
        import tensorflow as tf

        log = logging.getLogger(__name__)


        def filter_grads(grads_and_vars):
            missing = [v.name for g, v in grads_and_vars if g is None]
            if missing:
                absl_logging.warning("No gradient for %s", missing)
            return [(g, v) for g, v in grads_and_vars if g is not None]


        def aggregate(losses, regularization=None):
            if regularization is None:
                logging.info("no regularization loss: using the data loss only")
            log.warning("aggregating %d losses", len(losses))
            return tf.add_n(losses)


        @tf.function
        def step(x, v):
            total = aggregate([tf.reduce_sum(x * v)])
            return filter_grads([(total, v)])
        """}, SIDE_EFFECTS) == []


def test_own_progress_lines_and_logged_tensors_are_still_side_effects(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import logging

        import tensorflow as tf


        def report(loss):
            logging.info("step done")  # a helper's line with no tensor: about trace-time facts


        def check(loss):
            value = tf.reduce_mean(loss)
            logging.warning("loss is %s", value)


        @tf.function
        def step(x):
            loss = tf.reduce_sum(x)
            report(loss)
            check(loss)
            logging.warning("traced")
            logging.info("step done")  # the graph function's own progress line
            return loss
        """}, SIDE_EFFECTS) == [("m.py", 19, "HYB110"), ("m.py", 21, "HYB102")]


def test_uuids_name_things_and_are_no_frozen_random_value(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import uuid

        import tensorflow as tf


        def unique_name(prefix):
            return f"{prefix}_{uuid.uuid4()}"


        @tf.function
        def step(x):
            return tf.identity(x, name=unique_name("out"))
        """}, SIDE_EFFECTS) == []


# -- state saved and put back -------------------------------------------------------------------

SCOPED = """
import contextlib

import tensorflow as tf

_IN_SCOPE = False


@contextlib.contextmanager
def instance_scope():
    global _IN_SCOPE
    was_in_scope = _IN_SCOPE
    _IN_SCOPE = True
    try:
        yield
    finally:
        _IN_SCOPE = was_in_scope


class Sampler:
    def sample(self, x):
        with instance_scope():
            return x * 2.0


@tf.function
def draw(x):
    return Sampler().sample(x)
"""


def test_a_global_saved_and_put_back_is_no_side_effect(tmp_path):
    assert codes(tmp_path, {"m.py": SCOPED}, SIDE_EFFECTS) == []


def test_a_global_set_and_not_put_back_is_still_a_side_effect(tmp_path):
    leaky = SCOPED.replace("        _IN_SCOPE = was_in_scope", "        print_later = was_in_scope")
    assert codes(tmp_path, {"m.py": leaky}, SIDE_EFFECTS) == [("m.py", 27, "HYB110")]


# -- programs that never run eagerly ----------------------------------------------------------

HYB3 = 'select = ["HYB301"]\n'

NETWORK = """
import tensorflow as tf


def block(x, scale):
    y = tf.nn.relu(x * scale + 1.0)
    y = tf.nn.relu(y * scale - 1.0)
    y = tf.reduce_mean(tf.square(y)) + tf.reduce_sum(y) * 0.5
    return tf.sigmoid(y) * tf.tanh(y) + tf.exp(-y)
"""

SCRIPT = """
import tensorflow as tf
from network import block


def main():
    x = tf.ones([8, 8])
    scale = tf.constant(0.5)
    for _ in range(1000):
        x = block(x, scale)


if __name__ == "__main__":
    main()
"""


def test_an_eager_script_calling_in_a_loop_gets_the_suggestion(tmp_path):
    assert codes(tmp_path, {"network.py": NETWORK, "train.py": SCRIPT}, HYB3) == [("network.py", 4, "HYB301")]


def test_a_tf1_graph_mode_program_runs_nothing_eagerly(tmp_path):
    tf1 = SCRIPT.replace('if __name__ == "__main__":\n', 'if __name__ == "__main__":\n    tf.compat.v1.disable_eager_execution()\n')
    assert codes(tmp_path, {"network.py": NETWORK, "train.py": tf1}, HYB3) == []


def test_an_estimator_model_fn_is_graph_code(tmp_path):
    estimator = """
        import tensorflow as tf
        from network import block


        def model_fn(features, labels, mode):
            x = features
            scale = tf.constant(0.5)
            for _ in range(1000):
                x = block(x, scale)
            return tf.estimator.EstimatorSpec(mode, predictions=x)


        class BlockEstimator(tf.estimator.Estimator):
            def __init__(self, model_dir=None):
                super().__init__(model_fn=model_fn, model_dir=model_dir)


        def main():
            BlockEstimator().predict(lambda: tf.ones([8, 8]))
            tf.estimator.Estimator(model_fn=model_fn).predict(lambda: tf.ones([8, 8]))


        main()
        """
    assert codes(tmp_path, {"network.py": NETWORK, "estimate.py": estimator}, HYB3) == []
    eager = estimator.replace("super().__init__(model_fn=model_fn, model_dir=model_dir)", "pass").replace(
        "tf.estimator.Estimator(model_fn=model_fn).predict(lambda: tf.ones([8, 8]))", "model_fn(tf.ones([8, 8]), 1, 2)")
    assert codes(tmp_path / "eager", {"network.py": NETWORK, "estimate.py": eager}, HYB3) == [
        ("network.py", 4, "HYB301")]


def test_a_function_bound_by_partial_is_not_called_yet(tmp_path):
    bound = SCRIPT.replace('if __name__ == "__main__":\n    main()', "import functools\nrun = functools.partial(main)")
    assert codes(tmp_path, {"network.py": NETWORK, "train.py": bound}, HYB3) == []


# -- what a tf.function lambda calls is no tf.function ----------------------------------------

INITIALIZER = """
import tensorflow as tf


class Normal:
    def __call__(self, shape, dtype):
        return tf.random.normal(shape, dtype=dtype) * 2.0 + 1.0


init = Normal()
traced = tf.function(lambda t: init(tf.shape(t), t.dtype))
traced(tf.ones([2, 3]))
for size in range(1, 20):
    init([size, 4], tf.float32)
"""


def test_calls_of_a_function_a_tf_function_lambda_calls_are_eager(tmp_path):
    assert codes(tmp_path, {"m.py": INITIALIZER}) == []


def test_calls_of_the_tf_function_itself_still_retrace(tmp_path):
    decorated = INITIALIZER.replace("    def __call__", "    @tf.function\n    def __call__")
    assert codes(tmp_path, {"m.py": decorated}) == [("m.py", 6, "HYB402"), ("m.py", 14, "HYB205")]


def test_side_effects_of_what_a_tf_function_lambda_calls_are_still_reported(tmp_path):
    noisy = INITIALIZER.replace("        return tf.random", "        print(shape)\n        return tf.random")
    assert codes(tmp_path, {"m.py": noisy}, SIDE_EFFECTS) == [("m.py", 6, "HYB101")]


# -- a captured container filled once ------------------------------------------------------------


def test_a_container_filled_once_under_its_emptiness_test_is_a_one_time_build(tmp_path):
    once = """
        import tensorflow as tf


        def make_encoder():
            structure = {}

            @tf.function
            def encode(x):
                if not structure:
                    structure["shape"] = tuple(x.shape)
                return x * 2.0

            return encode, structure
        """
    assert codes(tmp_path, {"m.py": once}, SIDE_EFFECTS) == []
    every_call = once.replace("if not structure:", "if structure is not None:")
    assert codes(tmp_path / "every", {"m.py": every_call}, SIDE_EFFECTS) == [("m.py", 10, "HYB105")]


def test_an_estimator_model_fn_is_called_once_per_graph_so_its_effects_are_not_lost(tmp_path):
    estimator = """
        import tensorflow as tf


        def dense_block(x):
            print("building a block on", x)
            return tf.nn.relu(x)


        def model_fn(features, labels, mode):
            return tf.estimator.EstimatorSpec(mode, predictions=dense_block(features))


        estimator = tf.estimator.Estimator(model_fn=model_fn)
        """
    assert codes(tmp_path, {"m.py": estimator}, SIDE_EFFECTS) == []
    traced = estimator.replace("        def model_fn", "        @tf.function\n        def model_fn")
    assert codes(tmp_path / "traced", {"m.py": traced}, SIDE_EFFECTS) == [("m.py", 11, "HYB110")]


def test_a_tf_function_made_and_called_once_per_call_traces_every_time(tmp_path):
    made_per_call = """
        import tensorflow as tf


        def variable_order(module, x):
            logged = []

            @tf.function
            def record():
                module(x)
                logged.append([v.name for v in module.trainable_variables])

            record()
            return logged
        """
    assert codes(tmp_path, {"m.py": made_per_call}, SIDE_EFFECTS) == []
    reused = made_per_call.replace("            record()\n", "            record()\n            record()\n")
    assert codes(tmp_path / "reused", {"m.py": reused}, SIDE_EFFECTS) == [("m.py", 10, "HYB105")]
    handed_out = made_per_call.replace("return logged", "return record")
    assert codes(tmp_path / "out", {"m.py": handed_out}, SIDE_EFFECTS) == [("m.py", 10, "HYB105")]


# -- caches filled on a miss ---------------------------------------------------------------------

CACHE = """
import tensorflow as tf

_TYPES = {}


def struct_type(names):
    key = ",".join(names)
    try:
        return _TYPES[key]
    except KeyError:
        pass
    made = type(key, (tuple,), {})
    _TYPES[key] = made
    return made


_SCALES = {}


def scale_of(name):
    if name not in _SCALES:
        _SCALES[name] = len(name)
    return _SCALES[name]


@tf.function
def pack(x):
    return struct_type(["a", "b"]), x * scale_of("ab")
"""


def test_a_cache_filled_on_a_miss_is_no_side_effect(tmp_path):
    assert codes(tmp_path, {"m.py": CACHE}, SIDE_EFFECTS) == []


def test_a_table_written_whatever_it_holds_is_still_a_side_effect(tmp_path):
    overwritten = CACHE.replace("    if name not in _SCALES:\n        _SCALES[name] = len(name)\n",
                                "    _SCALES[name] = _SCALES.get(name, 0) + 1\n")
    assert codes(tmp_path, {"m.py": overwritten}, SIDE_EFFECTS) == [("m.py", 27, "HYB110")]


# -- graphs made only to be inspected ------------------------------------------------------------


def test_a_tf_function_only_traced_for_its_concrete_function_does_what_it_is_for(tmp_path):
    shapes = """
        import tensorflow as tf


        def result_shapes(fn, spec):
            found = {}

            @tf.function
            def report(x):
                result = fn(x)
                found["shape"] = result.shape
                return result

            report.get_concrete_function(spec)
            return found
        """
    assert codes(tmp_path, {"m.py": shapes}, SIDE_EFFECTS) == []
    called = shapes.replace("report.get_concrete_function(spec)", "report.get_concrete_function(spec)\n"
                            "            report(tf.ones([2]))\n            report(tf.ones([2]))")
    assert codes(tmp_path / "called", {"m.py": called}, SIDE_EFFECTS) == [("m.py", 10, "HYB105")]


MONITOR = """
import tensorflow as tf

CALLS = {"count": 0}


def step(value):
    CALLS["count"] += 1
    return value * 2.0
"""


def test_library_code_made_a_graph_only_by_a_test_is_not_blamed_on_the_library(tmp_path):
    test = "import tensorflow as tf\nfrom task import step\n\n\ndef test_task_in_graph():\n" \
           "    traced = tf.function(step)\n    traced(tf.constant(1.0))\n"
    assert codes(tmp_path, {"task.py": MONITOR, "task_test.py": test}, SIDE_EFFECTS) == []
    program = test.replace("def test_task_in_graph", "def run_task")
    assert codes(tmp_path / "program", {"task.py": MONITOR, "run.py": program}, SIDE_EFFECTS) == [
        ("task.py", 7, "HYB105")]


# -- re-entry bounded by a flag ------------------------------------------------------------------

JIT_REENTRY = """
import tensorflow as tf


def minimize(loss_fn, steps, jit_compile=False):
    if jit_compile:
        @tf.function(jit_compile=True)
        def run_jitted():
            return minimize(loss_fn, steps, jit_compile=False)
        return run_jitted()
    return tf.add_n([loss_fn() for _ in range(steps)])
"""


def test_re_entry_through_a_tf_function_made_under_a_flag_is_bounded(tmp_path):
    assert codes(tmp_path, {"m.py": JIT_REENTRY}, 'select = ["HYB503"]\n') == []


def test_unconditional_re_entry_is_still_recursion(tmp_path):
    unbounded = JIT_REENTRY.replace("    if jit_compile:\n", "    with tf.name_scope('minimize'):\n")
    assert codes(tmp_path, {"m.py": unbounded}, 'select = ["HYB503"]\n') == [("m.py", 8, "HYB503")]


# -- a tf.function another decorator receives ----------------------------------------------------

STACKED = """
import functools

import tensorflow as tf


def never_eager(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        return fn.get_concrete_function(*args, **kwargs)(*args, **kwargs)
    return run


@never_eager
@tf.function(autograph=False)
def sample(shape, rates):
    return tf.random.poisson(shape, rates)


for n in range(1, 20):
    sample([n], tf.ones([3]))
"""


def test_a_tf_function_an_outer_decorator_receives_is_not_dehybridized(tmp_path):
    assert ("m.py", 15, "HYB402") not in codes(tmp_path, {"m.py": STACKED})


def test_a_tf_function_on_the_outside_still_is(tmp_path):
    swapped = STACKED.replace("@never_eager\n@tf.function(autograph=False)", "@tf.function(autograph=False)\n@never_eager")
    assert ("m.py", 15, "HYB402") in codes(tmp_path, {"m.py": swapped})


def test_a_build_guarded_by_its_own_slot_of_a_list_is_once_only(tmp_path):
    lazily = """
        import tensorflow as tf


        def lazily_compiled(fn):
            compiled = [None]

            @tf.function
            def run(x):
                if compiled[0] is None:
                    compiled[0] = fn
                return compiled[0](x)

            return run
        """
    assert codes(tmp_path, {"m.py": lazily}, SIDE_EFFECTS) == []
    every_call = lazily.replace("if compiled[0] is None:", "if compiled[1] is None:")
    assert codes(tmp_path / "every", {"m.py": every_call}, SIDE_EFFECTS) == [("m.py", 10, "HYB105")]


def test_tracing_an_inline_tf_function_for_its_concrete_function_is_no_side_effect(tmp_path):
    concrete = """
        import tensorflow as tf


        def unrolled_steps(fn, spec):
            steps = []

            def unroll(x):
                steps.append(x.shape)
                return fn(x)

            tf.function(unroll).get_concrete_function(spec)
            return steps
        """
    assert codes(tmp_path, {"m.py": concrete}, SIDE_EFFECTS) == []


def test_the_iterable_of_a_comprehension_is_evaluated_once(tmp_path):
    once = NETWORK.replace("def block", "def shapes(x):\n    return tf.unstack(tf.shape(x))\n\n\ndef block") + \
        "\n\ndef count(x, scale):\n    return [s for s in block(x, scale)]\n"
    script = SCRIPT.replace("from network import block", "from network import count").replace(
        "    for _ in range(1000):\n        x = block(x, scale)", "    count(x, scale)")
    assert codes(tmp_path, {"network.py": once, "train.py": script}, HYB3) == []
    per_item = script.replace("    count(x, scale)", "    [count(x, scale) for _ in range(1000)]")
    assert codes(tmp_path / "loop", {"network.py": once, "train.py": per_item}, HYB3) != []


# -- a traced tensor parked on an object ---------------------------------------------------------

WEIGHT_NORM = """
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(2)
        self.g = tf.Variable(1.0)
        self.v = tf.Variable(tf.ones((3, 2)))

    def _compute_weights(self):
        self.dense.kernel = tf.nn.l2_normalize(self.v, axis=0) * self.g

    def call(self, inputs):
        self._compute_weights()
        return self.dense(inputs)


net = Net()
net.compile(loss="mse")
net.fit(tf.ones((4, 3)), tf.ones((4, 2)))
"""


def test_a_tensor_the_call_computes_and_parks_on_an_object_is_recomputed_every_call(tmp_path):
    assert codes(tmp_path, {"m.py": WEIGHT_NORM}, SIDE_EFFECTS) == []


def test_a_python_value_parked_on_an_object_is_still_a_side_effect(tmp_path):
    counting = WEIGHT_NORM.replace("self.dense.kernel = tf.nn.l2_normalize(self.v, axis=0) * self.g",
                                   "self.dense.calls += 1")
    assert codes(tmp_path, {"m.py": counting}, SIDE_EFFECTS) == [("m.py", 15, "HYB110")]


def test_a_tf_function_made_and_called_on_the_spot_traces_every_time(tmp_path):
    on_the_spot = """
        import tensorflow as tf


        def variable_names(module, x):
            names = []

            def record():
                module(x)
                names.append([v.name for v in module.trainable_variables])

            tf.function(record)()
            return names
        """
    assert codes(tmp_path, {"m.py": on_the_spot}, SIDE_EFFECTS) == []
    kept = on_the_spot.replace("tf.function(record)()", "traced = tf.function(record)\n            traced()\n"
                               "            traced()")
    assert codes(tmp_path / "kept", {"m.py": kept}, SIDE_EFFECTS) == [("m.py", 9, "HYB105")]


# -- scratch state for the rest of the call -------------------------------------------------------

ENVIRONMENT = """
import tensorflow as tf


class Dynamics:
    def reward(self, observation):
        return observation * 2.0


class Environment:
    def __init__(self):
        self._dynamics = Dynamics()
        self._observation = tf.Variable(tf.ones([3]))

    def _apply_action(self, action):
        self._reward = self._dynamics.reward(self._observation)
        return tf.gather(self._reward, action)

    @tf.function
    def step(self, action):
        return self._apply_action(action)
"""


def test_an_attribute_written_then_read_only_in_the_same_function_is_scratch(tmp_path):
    assert codes(tmp_path, {"m.py": ENVIRONMENT}, SIDE_EFFECTS) == []


def test_an_attribute_someone_else_reads_is_state(tmp_path):
    read_elsewhere = ENVIRONMENT + "\n    def last_reward(self):\n        return self._reward\n"
    assert codes(tmp_path, {"m.py": read_elsewhere}, SIDE_EFFECTS) == [("m.py", 20, "HYB110")]
    counter = ENVIRONMENT.replace("        self._reward = self._dynamics.reward(self._observation)\n",
                                  "        self._reward = self._dynamics.reward(self._observation)\n"
                                  "        self._steps = self._steps + 1\n")
    assert codes(tmp_path / "counter", {"m.py": counter}, SIDE_EFFECTS) == [("m.py", 21, "HYB110")]


def test_a_helper_logging_what_its_caller_passes_is_still_a_side_effect(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import logging

        import tensorflow as tf


        def log_metrics(loss):
            logging.info("loss: %s", loss)


        @tf.function
        def step(x):
            loss = tf.reduce_sum(x)
            log_metrics(loss)
            return loss
        """}, SIDE_EFFECTS) == [("m.py", 13, "HYB110")]


def test_a_namesake_attribute_of_an_unrelated_class_is_another_attribute(tmp_path):
    other = ENVIRONMENT + "\n\nclass Recorder:\n    def __init__(self):\n        self._reward = 0.0\n\n" \
        "    def last(self):\n        return self._reward\n"
    assert codes(tmp_path, {"m.py": other}, SIDE_EFFECTS) == []
    subclass = ENVIRONMENT + "\n\nclass Logged(Environment):\n    def last(self):\n        return self._reward\n"
    assert codes(tmp_path / "sub", {"m.py": subclass}, SIDE_EFFECTS) == [("m.py", 20, "HYB110")]


def test_overriding_an_attribute_with_what_the_caller_passes_is_rerun_per_trace(tmp_path):
    agent = """
        import tensorflow as tf


        class Agent:
            def __init__(self, loss_fn):
                self._loss_fn = loss_fn

            def _loss(self, x, loss_fn=None):
                self._loss_fn = loss_fn or self._loss_fn
                return self._loss_fn(x)

            @tf.function
            def train(self, x):
                return self._loss(x, loss_fn=self._loss_fn)

            def loss_fn(self):
                return self._loss_fn
        """
    assert codes(tmp_path, {"m.py": agent}, SIDE_EFFECTS) == []
    replaced = agent.replace("self._loss_fn = loss_fn or self._loss_fn", "self._loss_fn = loss_fn")
    assert codes(tmp_path / "replaced", {"m.py": replaced}, SIDE_EFFECTS) == [("m.py", 14, "HYB110")]


def test_speculative_loops_over_python_sequences_or_in_interface_methods_are_no_entry_points(tmp_path):
    from test_boundary import LIBRARY, SPECULATIVE, found
    entry = LIBRARY + "\n\ndef standardize_all(batches):\n    return [normalize(batch) for batch in batches]\n"
    assert "normalize" in found(tmp_path / "entry", entry, SPECULATIVE)
    parts = LIBRARY + "\n\ndef standardize_parts(first, second):\n" \
        "    return [normalize(part) for part in [first, second]]\n"
    assert "normalize" not in found(tmp_path / "parts", parts, SPECULATIVE)
    interface = LIBRARY + "\n\nclass Stage:\n    def encode(self, batches):\n        raise NotImplementedError\n\n\n" \
        "class Normalizing(Stage):\n    def encode(self, batches):\n        return [normalize(b) for b in batches]\n"
    assert "normalize" not in found(tmp_path / "interface", interface, SPECULATIVE)


def test_super_names_its_class_and_does_not_construct_it(tmp_path):
    agents = """
        import tensorflow as tf


        class Agent:
            def __init__(self):
                print("made an agent")

            def _train(self, x):
                return x * 2.0


        class Dropout(Agent):
            @tf.function
            def _train(self, x):
                return super(Dropout, self)._train(x)
        """
    assert codes(tmp_path, {"m.py": agents}, SIDE_EFFECTS) == []
    constructs = agents.replace("return super(Dropout, self)._train(x)", "return Dropout()._train(x)")
    assert codes(tmp_path / "constructs", {"m.py": constructs}, SIDE_EFFECTS) == [("m.py", 15, "HYB110")]


def test_a_fake_in_test_code_overriding_a_library_method_is_not_blamed_on_the_library(tmp_path):
    library = """
        import tensorflow as tf


        class Agent:
            @tf.function
            def train(self, x):
                return self._train(x)

            def _train(self, x):
                return x * 2.0
        """
    fake = """
        from agent import Agent


        class FakeAgent(Agent):
            def __init__(self):
                self.calls = 0

            def _train(self, x):
                self.calls += 1
                return x
        """
    assert codes(tmp_path, {"agent.py": library, "agent_test_utils.py": fake}, SIDE_EFFECTS) == []
    assert codes(tmp_path / "program", {"agent.py": library, "fakes.py": fake}, SIDE_EFFECTS) == [
        ("agent.py", 7, "HYB110")]


def test_a_logger_made_on_the_spot_logs_like_a_named_one(tmp_path):
    assert codes(tmp_path, {"m.py": """
        import logging

        import tensorflow as tf


        @tf.function
        def step(x):
            logging.getLogger(__name__).info("step")
            return x * 2
        """}, SIDE_EFFECTS) == [("m.py", 8, "HYB102")]
