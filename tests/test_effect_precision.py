"""Side effects that are no graph hazard: each class of false finding has a positive (still
reported) and a negative (no longer reported) case, as small TF2 programs."""

from __future__ import annotations

from project_helpers import run


def codes(tmp_path, text: str, settings: str | None = None) -> list[tuple[int, str]]:
    found = run(tmp_path, {"m.py": text}, settings) if settings else run(tmp_path, {"m.py": text})
    return [(f.row, f.code) for f in found]


# -- guarded one-time builds --------------------------------------------------


def test_build_guarded_by_its_own_unset_test_is_not_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Scale(tf.Module):
            def __init__(self):
                self.w = None

            @tf.function
            def __call__(self, x):
                if self.w is None:
                    self.w = tf.Variable(1.0)
                return x * self.w
        """) == []


def test_builds_under_a_built_flag_the_block_sets_are_not_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Dense(tf.Module):
            def __init__(self):
                self.built = False

            def build(self):
                self.kernel = tf.Variable(tf.ones((2, 2)))
                print("building")

            @tf.function
            def __call__(self, x):
                if not self.built:
                    self.build()
                    self.bias = tf.Variable(0.0)
                    self.built = True
                return x @ self.kernel + self.bias
        """) == []


def test_early_return_on_a_set_cache_guards_the_rest(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Table(tf.Module):
            def lookup(self):
                if hasattr(self, "_table"):
                    return self._table
                print("building the table")
                self._table = {"a": 1}
                return self._table

            @tf.function
            def __call__(self, x):
                return x * self.lookup()["a"]
        """) == []


def test_global_flag_set_once_is_not_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        _WARNED = False

        @tf.function
        def step(x):
            global _WARNED
            if not _WARNED:
                print("first trace")
                _WARNED = True
            return x + 1.0
        """) == []


def test_writes_not_guarded_by_their_flag_are_still_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Counter(tf.Module):
            def __init__(self):
                self.built = False
                self.calls = 0

            @tf.function
            def __call__(self, x):
                if not self.built:
                    self.calls += 1
                if self.calls is None:
                    print("never set")
                return x
        """) == [(11, "HYB104"), (13, "HYB101")]


def test_flag_tested_but_reset_to_the_running_state_is_still_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        _FIRST = True

        @tf.function
        def step(x):
            global _FIRST
            if _FIRST:
                print("again")
                _FIRST = True
            return x
        """) == [(9, "HYB101"), (10, "HYB103")]


def test_caching_a_traced_tensor_under_a_guard_is_still_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Model(tf.Module):
            def __init__(self):
                self.mean = None

            @tf.function
            def __call__(self, x):
                if self.mean is None:
                    self.mean = tf.reduce_mean(x)
                return x - self.mean
        """) == [(10, "HYB104")]


# -- eager-only code ----------------------------------------------------------


def test_code_under_executing_eagerly_is_not_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf
        from tensorflow.python.eager import context

        history = []

        @tf.function
        def step(x):
            if tf.executing_eagerly():
                print("value", x.numpy())
                history.append(x)
            if not context.executing_eagerly():
                pass
            else:
                print(x.numpy())
            return x + 1.0
        """) == []


def test_code_after_a_graph_mode_early_return_is_not_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        def describe(x):
            if not tf.executing_eagerly():
                return x
            print("value", x.numpy())
            return x

        @tf.function
        def step(x):
            return describe(x) + 1.0
        """) == []


def test_code_under_init_scope_is_not_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        @tf.function
        def step(x):
            with tf.init_scope():
                v = tf.Variable(1.0)
                print("made", v.numpy())
            return x * v
        """) == []


def test_the_traced_branch_of_executing_eagerly_is_still_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        @tf.function
        def step(x):
            if tf.executing_eagerly():
                pass
            else:
                print("tracing", x.numpy())
            with tf.name_scope("s"):
                v = tf.Variable(1.0)
            return x * v
        """) == [(8, "HYB101"), (8, "HYB501"), (10, "HYB502")]


def test_warnings_warn_is_not_a_side_effect(tmp_path):
    assert codes(tmp_path, """
        import logging
        import warnings
        import tensorflow as tf

        @tf.function
        def step(x, legacy=False):
            if legacy:
                warnings.warn("legacy mode is deprecated", DeprecationWarning)
            logging.info("traced")
            return x + 1.0
        """) == [(9, "HYB102")]


# -- container mutation by method name alone ------------------------------------


def test_methods_named_like_mutators_on_objects_that_are_not_containers(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Tracker(tf.keras.metrics.Metric):
            def update(self, value):
                self.total.assign_add(value)

        class Buffer:
            def append(self, value):
                self.last = value

        buffer = make_buffer()
        layers = get_layers()

        class Model(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.tracker = Tracker()
                self.table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, 0.0)

            @tf.function
            def step(self, x, keys, values):
                self.tracker.update(x)
                self.table.insert(keys, values)
                self.update(x)
                buffer.append(x)
                layers.add(x)
                return x

        class Chain(tf.Module):
            @tf.function
            def __call__(self, x):
                self.add(x)
                return x
        """) == []


def test_python_containers_are_still_reported(tmp_path):
    assert codes(tmp_path, """
        import collections
        import tensorflow as tf

        seen = []
        counts = collections.Counter()

        class Model(tf.Module):
            def __init__(self):
                self.history = {}

            @tf.function
            def __call__(self, x):
                seen.append(x)
                counts.update(["call"])
                self.history.update(last=x)
                return x
        """) == [(13, "HYB105"), (14, "HYB105"), (15, "HYB105")]


# -- decorators: registration at definition, wrapper at each call -----------------


def test_registration_by_a_decorator_factory_is_not_blamed_on_calls(tmp_path):
    assert codes(tmp_path, """
        import functools
        import tensorflow as tf

        LOSSES = {}

        def register(name):
            def decorator(fn):
                LOSSES[name] = fn
                print("registered", name)
                return fn
            return decorator

        def traced_once(fn):
            REGISTRY = LOSSES
            REGISTRY["traced"] = fn
            @functools.wraps(fn)
            def wrapper(*args):
                return fn(*args)
            return wrapper

        @register("l2")
        def l2(x):
            return tf.reduce_sum(x * x)

        @traced_once
        def l1(x):
            return tf.reduce_sum(tf.abs(x))

        @tf.function
        def step(x):
            return l2(x) + l1(x)
        """) == []


def test_a_wrapper_with_side_effects_is_still_blamed_on_calls(tmp_path):
    assert codes(tmp_path, """
        import functools
        import tensorflow as tf

        def logged(prefix):
            def decorator(fn):
                @functools.wraps(fn)
                def wrapper(*args):
                    print(prefix, fn.__name__)
                    return fn(*args)
                return wrapper
            return decorator

        def counted(fn):
            def wrapper(*args):
                print("call")
                return fn(*args)
            return wrapper

        @logged("loss")
        def l2(x):
            return tf.reduce_sum(x * x)

        @counted
        def l1(x):
            return tf.reduce_sum(tf.abs(x))

        @tf.function
        def step(x):
            return l2(x) + l1(x)
        """) == [(29, "HYB110"), (29, "HYB110")]


# -- retracing that cannot happen ----------------------------------------------

RETRACING = 'select = ["HYB2", "HYB402"]\n'


def test_batches_of_one_shape_are_not_varying_shapes(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        features = tf.data.Dataset.from_tensor_slices(tf.ones((10, 3)))

        @tf.function
        def step(x):
            return tf.reduce_sum(x)

        for batch in features.batch(4):
            step(batch)
        for batch in features.repeat().batch(4).take(5):
            step(batch)
        for batch in features.padded_batch(4, padded_shapes=[3]):
            step(batch)
        """, RETRACING) == []


def test_padded_batches_are_varying_shapes(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        lengths = tf.data.Dataset.range(1, 20)

        @tf.function
        def step(x):
            return tf.reduce_sum(x)

        for batch in lengths.map(lambda n: tf.ones([n])).padded_batch(4):
            step(batch)
        for batch in lengths.map(lambda n: tf.ones([n])).padded_batch(4, padded_shapes=[None]):
            step(batch)
        """, RETRACING) == [(10, "HYB203"), (12, "HYB203")]


def test_the_same_python_values_at_every_call_are_one_trace(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Options:
            scale = 2.0

        OPTIONS = Options()
        SIZES = (1, 2, 2, 1)
        REPEATS = 3
        images = tf.ones((1, 8, 8, 1))

        @tf.function
        def patches(sizes, options, repeats):
            found = tf.image.extract_patches(images, sizes, sizes, [1, 1, 1, 1], "VALID")
            return tf.tile(found * options.scale, [repeats, 1, 1, 1])

        for _ in range(10):
            patches((1, 2, 2, 1), OPTIONS, REPEATS)
            patches(SIZES, OPTIONS, 3)
        """, RETRACING) == []


def test_python_values_that_change_between_calls_still_retrace(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Options:
            def __init__(self, scale):
                self.scale = scale

        images = tf.ones((1, 8, 8, 1))

        @tf.function
        def patches(sizes, options, repeats):
            found = tf.image.extract_patches(images, sizes, sizes, [1, 1, 1, 1], "VALID")
            return tf.tile(found * options.scale, [repeats, 1, 1, 1])

        patches((1, 4, 4, 1), Options(1.0), 1)
        for size in range(1, 4):
            options = Options(float(size))
            patches((1, size, size, 1), options, size)
        """, RETRACING) == [(14, "HYB205"), (14, "HYB201"), (17, "HYB205"), (17, "HYB205"), (17, "HYB201")]


def test_static_arguments_of_xla_functions_are_intended(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        @tf.function(jit_compile=True)
        def frames(x, size):
            return tf.signal.frame(x, size, size)

        @tf.function(jit_compile=False)
        def tiles(x, times):
            return tf.tile(x, [times])

        signal = tf.ones((64,))
        for size in (4, 8, 16):
            frames(signal, size)
            tiles(signal, size)
        """, RETRACING) == [(8, "HYB402")]  # the calls of `tiles` are HYB402's cause, not reported again as HYB201


def test_tf_functions_built_in_a_loop_while_tracing_are_not_per_call(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        def shard(x):
            return x * 2.0

        @tf.function
        def replicated(x):
            outputs = []
            for device in ["/cpu:0", "/cpu:0"]:
                with tf.device(device):
                    outputs.append(tf.function(shard)(x))
            return tf.add_n(outputs)

        def eager_loop(xs):
            for x in xs:
                tf.function(shard)(x)
        """, RETRACING) == [(16, "HYB202")]


# -- tf.function of one object's method -------------------------------------------


def test_calls_of_a_method_wrapped_for_one_instance_elsewhere_are_eager(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Scaler(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(1)
                self.fast_scale = tf.function(self.scale)

            def scale(self, x, factor):
                return self.dense(x) * factor

            def call(self, x, factor):
                return self.dense(x) * factor

        model = Scaler()
        fast = tf.function(model)
        other = Scaler()
        x = tf.ones((2, 2))
        for factor in range(3):
            other.scale(x, factor)
            other(x, factor)
            other.scale(x, [factor])
        """, RETRACING) == []


def test_calls_through_the_wrapper_of_one_instance_are_graph_calls(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Scaler(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(1)
                self.fast_scale = tf.function(self.scale)

            def scale(self, x, factor):
                return self.dense(x) * factor

            def call(self, x, factor):
                return self.dense(x) * factor

            def run(self, x):
                for factor in range(3):
                    self.fast_scale(x, factor)

        model = Scaler()
        fast = tf.function(model)
        x = tf.ones((2, 2))
        for factor in range(3):
            fast(x, factor)
        """, RETRACING) == [(17, "HYB201"), (23, "HYB201")]


def test_side_effects_of_a_method_wrapped_for_one_instance_are_still_reported(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Trainer:
            def __init__(self):
                self.steps = 0
                self.fast_step = tf.function(self.step)

            def step(self, x):
                print("step", self.steps)
                self.steps += 1
                return x * 2.0
        """) == [(9, "HYB101"), (10, "HYB104")]


def test_parameters_annotated_as_containers_are_containers(tmp_path):
    found = run(tmp_path, {"m.py": """
        from typing import Any, Dict
        import tensorflow as tf

        class Config:
            def update(self, **values):
                self.values = values

        def configure(x, config: Dict[str, Any], options):
            config.update({"width": 3})
            options.update({"width": 3})
            return x

        CONFIG = {}

        @tf.function
        def step(x):
            return configure(x, CONFIG, CONFIG)
        """})
    assert [(f.row, f.code) for f in found] == [(17, "HYB110")]
    assert "config.update" in found[0].message


def test_arithmetic_on_a_value_of_unknown_kind_is_no_python_scalar(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        @tf.function
        def clip(x, limit):
            return tf.minimum(x, limit)

        def predict(dataset):
            for _, features in dataset.enumerate():
                ids = features["ids"]
                clip(ids, ids.row_lengths() - 1)
                clip(ids, len(features) - 1)
        """, RETRACING) == [(11, "HYB201")]


def test_log_first_n_is_not_io(tmp_path):
    assert codes(tmp_path, """
        from absl import logging
        import tensorflow as tf

        @tf.function
        def step(x):
            logging.log_first_n(logging.WARNING, "tracing step", 1)
            logging.info("traced")
            return x
        """) == [(7, "HYB102")]


def test_a_reentry_flag_set_and_set_back_is_no_side_effect(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Model(tf.Module):
            def __init__(self):
                self._in_call = False

            @tf.function
            def __call__(self, x):
                if self._in_call:
                    return x
                self._in_call = True
                print("outermost call")
                y = self(x * 2.0)
                self._in_call = False
                return y
        """) == [(12, "HYB101")]


def test_a_flag_set_without_being_set_back_is_still_a_side_effect(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Model(tf.Module):
            def __init__(self):
                self.training = False

            @tf.function
            def __call__(self, x):
                self.training = True
                return x
        """) == [(9, "HYB104")]


def test_strings_built_from_values_of_unknown_kind_are_python_strings(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        @tf.function
        def log_image(x, tag):
            tf.summary.image(tag, x)
            return x

        def log_weights(weights):
            for weight in weights:
                log_image(weight, weight.name.replace(":", "_") + "/image")
        """, RETRACING) == [(10, "HYB201")]


def test_memoized_functions_run_their_effects_once_per_arguments(tmp_path):
    assert codes(tmp_path, """
        import functools
        import tensorflow as tf

        @functools.lru_cache(maxsize=None)
        def vocabulary(path):
            print("loading", path)
            return {"a": 1}

        @functools.cache
        def table():
            print("building")
            return {"b": 2}

        def uncached():
            print("every trace")
            return 3

        @tf.function
        def lookup(x):
            return x * vocabulary("v.txt")["a"] * table()["b"] * uncached()
        """) == [(20, "HYB110")]


def test_a_default_argument_filled_in_is_no_once_only_guard(tmp_path):
    assert codes(tmp_path, """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def noisy(x, seed=None):
            if seed is None:
                seed = np.random.randint(10000)
            return x + tf.random.normal(tf.shape(x), seed=seed)
        """) == [(7, "HYB106")]


def test_keyword_arguments_dict_is_made_for_each_call(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        def rename(x, **kwargs):
            kwargs.pop("name", None)
            return x

        def configure(x, config):
            config.pop("name", None)
            return x

        CONFIG = {"name": "a"}

        @tf.function
        def step(x):
            return rename(x, name="b") + configure(x, CONFIG)
        """) == [(15, "HYB110")]


def test_flags_of_objects_the_call_did_not_make_are_once_only(tmp_path):
    assert codes(tmp_path, """
        import tensorflow as tf

        class Stack(tf.Module):
            def __init__(self, cells):
                self.cells = cells

            @tf.function
            def __call__(self, x):
                for cell in self.cells:
                    if not cell.built:
                        cell.build(x.shape)
                        cell.built = True
                    x = cell(x)
                scratch = Scratch()
                if not scratch.ready:
                    print("every call")
                    scratch.ready = True
                return x

        class Scratch:
            ready = False
        """) == [(16, "HYB101")]


def test_a_tf_function_made_per_factory_call_is_compared_only_within_the_factory(tmp_path):
    """Each factory call makes a new tf.function: values passed to different objects retrace nothing."""
    factory = """
        import tensorflow as tf


        def make_decay(rate):
            @tf.function
            def decay(step, value):
                return value * tf.pow(rate, tf.cast(step, tf.float32))
            return decay


        first = make_decay(0.5)(3, 1.0)
        second = make_decay(0.9)(4, 2.0)
        """
    assert codes(tmp_path, factory, 'select = ["HYB201"]\n') == []
    inside = """
        import tensorflow as tf


        def train(rate):
            @tf.function
            def decay(step, value):
                return value * tf.pow(rate, tf.cast(step, tf.float32))
            for step in range(10):
                decay(step, 1.0)
        """
    assert {code for _, code in codes(tmp_path / "inside", inside, 'select = ["HYB201"]\n')} == {"HYB201"}


def test_a_class_named_in_isinstance_is_not_called(tmp_path):
    text = """
        import logging

        import tensorflow as tf


        class Config:
            def __init__(self):
                print("made a config")


        class Other(Config):
            pass


        @tf.function
        def serve(x, config=None):
            if isinstance(config, Other):
                return x * 2.0
            return x


        serve(tf.ones([2]))
        """
    assert codes(tmp_path, text) == []
    calls = text.replace("if isinstance(config, Other):", "if Other() is None:")
    assert calls != text and [code for _, code in codes(tmp_path / "calls", calls)] == ["HYB110"]
