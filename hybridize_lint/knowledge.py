"""The API knowledge base: what the analyses know about library functions.

Loaded from ``rules/api/*.toml`` so adding an API is a data change, and
extended by the user's ``[tool.hybridize-lint]`` knowledge keys.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from .registry import rules_directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class NameSet:
    """Dotted names, where ``module.*`` covers everything under ``module``, minus exceptions."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    exceptions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, names: Iterable[str], exceptions: Iterable[str] = ()) -> "NameSet":
        names = list(names)
        return cls(frozenset(n for n in names if not n.endswith(".*")),
                   tuple(n[:-1] for n in names if n.endswith(".*")), frozenset(exceptions))

    def __contains__(self, dotted: object) -> bool:
        if not isinstance(dotted, str) or dotted in self.exceptions:
            return False
        return dotted in self.exact or dotted.startswith(self.prefixes)


@dataclass(frozen=True)
class KnowledgeBase:
    module_aliases: dict[str, str]
    hybridize_functions: frozenset[str]
    hybrid_object_attributes: frozenset[str]  # `f.get_concrete_function()`: needs `f` to stay a tf.function
    hybrid_object_types: frozenset[str]  # `isinstance(f, tf.types.experimental.PolymorphicFunction)`
    python_print: str
    graph_print: str
    print_keywords_without_graph_equivalent: frozenset[str]
    io_calls: NameSet
    log_calls: NameSet  # print and logging: diagnostics when they log trace-time facts
    diagnostic_levels: frozenset[str]  # `logging.warning`: a line about the configuration, not progress
    log_methods: frozenset[str]  # `info`, `warning`: a project's logging wrapper is judged at its calls
    log_level_checks: frozenset[str]  # `absl.logging.vlog_is_on`: code under it runs only while debugging
    log_level_methods: frozenset[str]  # `logger.isEnabledFor`: the same, as a logger's method
    logger_query_methods: frozenset[str]  # `logger.hasHandlers()`: a logger's methods that do no I/O
    trace_fact_checks: frozenset[str]  # `isinstance(x, tf.RaggedTensor)`: the same for every call of a trace
    trace_fact_attributes: frozenset[str]  # `x.dtype`, `x.shape`: static in a trace
    trace_fact_calls: frozenset[str]  # `len(x)` of an input: a fact of its structure
    trace_fact_keepers: frozenset[str]  # `sorted(...)` of such a fact: the same fact
    python_only_modules: frozenset[str]  # `math`: arguments must be Python numbers
    string_methods: frozenset[str]  # `isnumeric`: what it is called on is a Python string
    non_calling_functions: frozenset[str]  # isinstance(x, C): C is named, not called
    other_process_starters: frozenset[str]  # threading.Thread(target=f): f runs elsewhere, not here
    other_process_starter_names: frozenset[str]  # `ctx.Process(target=f)` on an unresolved context
    binders: frozenset[str]  # functools.partial(f, ...): f is bound for later, not called now
    type_casts: frozenset[str]  # typing.cast(T, v) is v
    metadata_copiers: frozenset[str]  # functools.wraps(f)(g) is g
    nondeterministic_calls: NameSet
    io_factories: frozenset[str]
    logger_factories: frozenset[str]
    nondeterministic_factories: frozenset[str]
    structure_factories: frozenset[str]  # collections.namedtuple: its class's call is a tuple of the arguments
    container_mutators: dict[str, tuple[int, int]]  # method → (min, max) positional arguments
    memoizing_decorators: frozenset[str]  # `functools.cache`: the body runs once per distinct arguments
    container_types: frozenset[str]  # classes whose instances are Python containers
    container_annotations: frozenset[str]  # annotations that make a parameter a Python container
    scalar_annotations: frozenset[str]  # annotations that make a parameter a Python scalar
    framework_mutators: dict[str, tuple[int, int]]  # TF/Keras methods spelled like container mutators
    python_iterator_factories: NameSet
    python_collection_factories: frozenset[str]
    graph_entry_methods: frozenset[str]
    control_flow_functions: frozenset[str]  # tf.cond, tf.map_fn: run their functions where they are called
    graph_builders: frozenset[str]  # tf.estimator.Estimator: calls model_fn once to build a TF1 graph
    graph_factories: frozenset[str]  # tf.Graph, keras.backend.get_graph: `with g.as_default():` builds g
    dataset_modules: tuple[str, ...]
    eager_wrappers: frozenset[str]
    keras_layer_bases: frozenset[str]
    flag_setting_methods: dict[str, str]  # `build` → `built`: calling it sets that flag for good
    keras_model_bases: frozenset[str]
    keras_compiled_methods: frozenset[str]
    keras_step_methods: frozenset[str]  # run only by Keras' traced loops (not `call`, which `model(x)` runs)
    framework_hooks: frozenset[str]  # methods frameworks call from their own graphs (`update_state`)
    keras_compiling_calls: frozenset[str]
    variable_constructors: frozenset[str]
    tensor_types: frozenset[str]
    non_tensor_prefixes: tuple[str, ...]
    tensor_producing: NameSet
    symbolic_tensors: frozenset[str]  # keras.Input, tf.TensorSpec: shapes and dtypes without values
    model_inputs: frozenset[str]  # keras.Input: code making them builds a functional model
    not_computation: NameSet
    tensor_callable_prefixes: tuple[str, ...]
    non_tensor_methods: frozenset[str]
    non_tensor_attributes: frozenset[str]
    name_second_ops: frozenset[str]
    eager_only_keras_methods: frozenset[str]
    eager_only_functions: frozenset[str]
    tf1_graph_mode: frozenset[str]
    single_tensor_functions: frozenset[str]  # `tf.shape`: one tensor, which Python must not iterate in a graph
    operation_results: frozenset[str]  # calls returning an Operation in a graph, None when eager
    non_tensor_types: NameSet  # external classes a tf.function cannot return instances of
    plain_bases: NameSet  # external bases of project classes a tf.function cannot return
    plain_class_decorators: frozenset[str]
    summary_writes: frozenset[str]
    state_update_methods: frozenset[str]
    eager_checks: frozenset[str]  # `tf.executing_eagerly`: false while tracing
    eager_attributes: frozenset[str]  # `hasattr(x, "numpy")`: false for a symbolic tensor
    eager_disablers: frozenset[str]  # `tf.compat.v1.disable_eager_execution()`: a TF1 graph-mode program
    eager_scopes: frozenset[str]  # `tf.init_scope`: its body runs eagerly even while tracing
    array_constructors: dict[str, dict[str, Any]]  # NumPy call → what it makes (rules/api/numpy.toml)
    dtype_names: dict[str, str]  # `numpy.float32`, `tensorflow.float32`, `builtins.float` → dtype name
    tensor_python_types: dict[str, str]  # `builtins.float` as a TensorFlow dtype: float32
    tensor_from_value: dict[str, dict[str, Any]]  # tf.Variable & co.: dtype of the initial value by default
    tensor_float32_by_default: dict[str, dict[str, Any]]
    other_frameworks: frozenset[str] = frozenset()  # torch, jax: a module of theirs without TensorFlow is no TF code
    tensorflow_family: tuple[str, ...] = ()  # prefixes of top-level packages that are TensorFlow or built on it
    keras_non_building_methods: frozenset[str] = frozenset()
    fresh_list_attributes: frozenset[str] = frozenset()  # `model.trainable_variables`: a new list per read
    framework_read_attributes: frozenset[str] = frozenset()  # `stop_training`: Keras reads it on subclasses
    trace_time_flags: frozenset[str] = frozenset()  # `trainable`: Keras reads it only while building or tracing
    variable_owner_prefixes: tuple[str, ...] = ()
    variable_owner_exceptions: tuple[str, ...] = ()
    heavy_methods: frozenset[str] = frozenset()  # weigh heavy_weight operations in the benefit estimate
    heavy_weight: int = 1
    opaque_call_weight: int = 1
    python_value_methods: frozenset[str] = frozenset()  # `.format`, `.items`: Python work, weighs nothing
    dataset_running_methods: frozenset[str] = frozenset()  # `reduce`: a dataset's other methods build it
    class_results: frozenset[str] = frozenset()  # `type(x)`: calling its result constructs an object
    loop_weight: int = 1
    pure_functions: frozenset[str] = frozenset()
    # Library functions returning ``tf.function(fn, ...)`` of their first argument → the ``autograph``
    # they pass by default (None: tf.function's own default, on)
    function_wrappers: dict[str, bool | None] = field(default_factory=dict)
    # Decorators from outside the project that keep the function as it is (`gin.configurable`)
    transparent_decorators: NameSet = field(default_factory=lambda: NameSet.of(()))
    # Debug switches that turn graph execution off (HYB303): calls that do when their first argument is
    # true, calls that always do, method → keyword (`compile(run_eagerly=True)`), words of debug guards.
    eager_switches_when_true: frozenset[str] = frozenset()
    eager_switches_always: frozenset[str] = frozenset()
    eager_switch_keywords: dict[str, str] = field(default_factory=dict)
    debug_guard_words: tuple[str, ...] = ()
    eager_switch_announcements: frozenset[str] = frozenset()  # `warnings.warn` next to a deliberate switch
    eager_switch_comment_subjects: tuple[str, ...] = ()  # words of a comment explaining a switch
    eager_switch_leftover_marks: tuple[str, ...] = ()  # words of a comment marking it a leftover
    # HYB108: methods that set an object up (attributes they set are not changes after a trace), and
    # calls that return Python values.
    construction_methods: frozenset[str] = frozenset()
    python_value_calls: NameSet = NameSet.of(())

    def canonical(self, dotted: str) -> str:
        """Map alternative module spellings onto the canonical TensorFlow name."""
        for alias, target in self.module_aliases.items():
            if dotted == alias or dotted.startswith(alias + "."):
                return target + dotted[len(alias):]
        return dotted

    def produces_tensor(self, dotted: str | None) -> bool:
        """A call of ``dotted`` returns a tensor (TensorFlow ops, Keras backend/ops, tape gradients)."""
        if dotted is None:
            return False
        dotted = self.canonical(dotted)
        if dotted in self.tensor_producing:
            return True
        if dotted in self.tensor_producing.exceptions:
            return False
        if not dotted.startswith("tensorflow.") or dotted.startswith(self.non_tensor_prefixes):
            return False
        return dotted.rsplit(".", 1)[-1][:1].islower()

    def is_tensor_computation(self, dotted: str | None) -> bool:
        """A TensorFlow call that computes (``tf.print`` and summaries only output)."""
        return dotted is not None and self.produces_tensor(dotted) and self.canonical(dotted) not in self.not_computation

    def instances_compute_tensors(self, class_dotted: str) -> bool:
        """Calling an instance of this (external) class computes tensors: Keras layers, models, losses."""
        return self.canonical(class_dotted).startswith(self.tensor_callable_prefixes)

    def mutates_container(self, method: str, positional_arguments: int) -> bool:
        bounds = self.container_mutators.get(method)
        return bounds is not None and bounds[0] <= positional_arguments <= bounds[1]

    def creates_variable_owner(self, dotted: str | None) -> bool:
        """``tf.keras.metrics.Mean()``, ``tf.keras.layers.Dense(4)``: a class whose objects own variables."""
        return dotted is not None and dotted.startswith(self.variable_owner_prefixes) \
            and not dotted.startswith(self.variable_owner_exceptions) and dotted.rsplit(".", 1)[-1][:1].isupper()

    def may_be_framework_method(self, method: str, positional_arguments: int) -> bool:
        """``model.add(layer)``, ``table.insert(keys, values)``: a TF/Keras method, not a container's."""
        bounds = self.framework_mutators.get(method)
        return bounds is not None and bounds[0] <= positional_arguments <= bounds[1]

    def is_hybridizer(self, dotted: str | None) -> bool:
        return dotted is not None and self.canonical(dotted) in self.hybridize_functions

    def is_tensorflow(self, dotted: str | None) -> bool:
        return dotted is not None and (dotted == "tensorflow" or self.canonical(dotted).startswith("tensorflow."))

    def wrapper_autograph(self, dotted: str) -> tuple[bool, bool | None]:
        """Whether ``dotted`` is a known library wrapper of tf.function, and the autograph it defaults to."""
        dotted = self.canonical(dotted)
        return dotted in self.function_wrappers, self.function_wrappers.get(dotted)

    def extended(self, user: dict[str, tuple[str, ...]]) -> "KnowledgeBase":
        """This knowledge base plus the user's ``impure-functions``, ``pure-functions`` and ``function-wrappers``."""
        impure = user.get("impure-functions", ())
        pure = frozenset(user.get("pure-functions", ()))
        wrappers = user.get("function-wrappers", ())
        if wrappers:
            self = replace(self, function_wrappers={**dict.fromkeys(wrappers), **self.function_wrappers})
        if not impure and not pure:
            return self
        io_calls = NameSet(self.io_calls.exact | {n for n in impure if not n.endswith(".*")},
                           self.io_calls.prefixes + tuple(n[:-1] for n in impure if n.endswith(".*")),
                           self.io_calls.exceptions | pure)
        return replace(self, io_calls=io_calls, pure_functions=self.pure_functions | pure)


@cache
def load_knowledge(directory: Path | None = None) -> KnowledgeBase:
    directory = directory or rules_directory() / "api"
    data: dict[str, Any] = {}
    for path in sorted(directory.glob("*.toml")):
        _merge(data, tomllib.loads(path.read_text(encoding="utf-8")))
    return KnowledgeBase(**_call_knowledge(data), **_graph_knowledge(data), **_tensor_knowledge(data))


def _call_knowledge(data: dict[str, Any]) -> dict[str, Any]:
    """What calls do: module aliases, tf.function and print, side effects, objects and iterators."""
    effects, objects = data["effects"], data["objects"]
    return dict(
        module_aliases=dict(data["modules"]["aliases"]),
        other_frameworks=frozenset(data["modules"]["other_frameworks"]),
        tensorflow_family=tuple(data["modules"]["tensorflow_family"]),
        hybridize_functions=frozenset(data["hybridize"]["functions"]),
        hybrid_object_attributes=frozenset(data["hybridize"]["object_attributes"]),
        hybrid_object_types=frozenset(data["hybridize"]["object_types"]),
        python_print=data["print"]["python"],
        graph_print=data["print"]["graph_replacement"],
        print_keywords_without_graph_equivalent=frozenset(data["print"]["unsupported_keywords"]),
        io_calls=NameSet.of(effects["io"], effects["io_exceptions"]),
        transparent_decorators=NameSet.of(data["decorators"]["transparent"]),
        log_calls=NameSet.of(effects["log_calls"]),
        diagnostic_levels=frozenset(effects["diagnostic_levels"]),
        log_methods=frozenset(effects["log_methods"]),
        log_level_checks=frozenset(effects["log_level_checks"]),
        log_level_methods=frozenset(effects["log_level_methods"]),
        logger_query_methods=frozenset(effects["logger_query_methods"]),
        trace_fact_checks=frozenset(effects["trace_fact_checks"]),
        trace_fact_attributes=frozenset(effects["trace_fact_attributes"]),
        trace_fact_calls=frozenset(effects["trace_fact_calls"]),
        trace_fact_keepers=frozenset(effects["trace_fact_keepers"]),
        python_only_modules=frozenset(effects["python_only_modules"]),
        string_methods=frozenset(effects["string_methods"]),
        non_calling_functions=frozenset(effects["non_calling"]),
        other_process_starters=frozenset(effects["other_process_starters"]),
        other_process_starter_names=frozenset(effects["other_process_starter_names"]),
        binders=frozenset(effects["binders"]),
        type_casts=frozenset(effects["type_casts"]),
        metadata_copiers=frozenset(effects["metadata_copiers"]),
        nondeterministic_calls=NameSet.of(effects["nondeterministic"], effects["nondeterministic_exceptions"]),
        io_factories=frozenset(objects["io_factories"]),
        logger_factories=frozenset(objects["logger_factories"]),
        nondeterministic_factories=frozenset(objects["nondeterministic_factories"]),
        structure_factories=frozenset(objects["structure_factories"]),
        container_mutators={name: (low, high) for name, (low, high) in objects["container_mutators"].items()},
        container_types=frozenset(objects["container_types"]),
        memoizing_decorators=frozenset(effects["memoizing_decorators"]),
        container_annotations=frozenset(objects["container_annotations"]),
        scalar_annotations=frozenset(objects["scalar_annotations"]),
        framework_mutators={name: (low, high) for name, (low, high) in objects["framework_methods"].items()},
        python_iterator_factories=NameSet.of(data["iterators"]["factories"]),
        python_collection_factories=frozenset(data["iterators"]["collection_factories"]),
        function_wrappers={name: spec.get("autograph") for name, spec in data["hybridize"].get("wrappers", {}).items()},
    )


def _graph_knowledge(data: dict[str, Any]) -> dict[str, Any]:
    """Graph code: where TensorFlow traces, Keras, what fails or is eager-only in a graph, cost, switches."""
    keras = data["keras"]
    return dict(
        graph_entry_methods=frozenset(data["graph_entry"]["method_calls"]),
        control_flow_functions=frozenset(data["control_flow"]["functions"]),
        graph_builders=frozenset(data["graph_entry"]["builders"]),
        graph_factories=frozenset(data["graph_entry"]["graph_factories"]),
        dataset_modules=tuple(data["graph_entry"]["dataset_factories"]),
        eager_wrappers=frozenset(data["eager_wrappers"]["functions"]),
        keras_layer_bases=frozenset(keras["layer_bases"]),
        flag_setting_methods=dict(keras["flag_setting_methods"]),
        keras_model_bases=frozenset(keras["model_bases"]),
        keras_compiled_methods=frozenset(keras["compiled_methods"]),
        keras_step_methods=frozenset(keras["step_methods"]),
        framework_hooks=frozenset(keras["framework_hooks"]),
        keras_compiling_calls=frozenset(keras["compiling_calls"]),
        keras_non_building_methods=frozenset(keras["non_building_methods"]),
        fresh_list_attributes=frozenset(keras["fresh_list_attributes"]),
        framework_read_attributes=frozenset(keras["read_attributes"]),
        trace_time_flags=frozenset(keras["trace_time_flags"]),
        variable_constructors=frozenset(data["graph_errors"]["variable_constructors"]),
        variable_owner_prefixes=tuple(data["graph_errors"]["variable_owner_prefixes"]),
        variable_owner_exceptions=tuple(data["graph_errors"]["variable_owner_exceptions"]),
        eager_only_keras_methods=frozenset(data["eager_only"]["keras_methods"]),
        heavy_methods=frozenset(data["cost"]["heavy_methods"]),
        heavy_weight=int(data["cost"]["heavy_weight"]),
        opaque_call_weight=int(data["cost"]["opaque_call_weight"]),
        python_value_methods=frozenset(data["cost"]["python_value_methods"]),
        dataset_running_methods=frozenset(data["cost"]["dataset_running_methods"]),
        class_results=frozenset(data["cost"]["class_results"]),
        loop_weight=int(data["cost"]["loop_weight"]),
        eager_only_functions=frozenset(data["eager_only"]["functions"]),
        tf1_graph_mode=frozenset(data["eager_only"]["tf1_graph_mode"]),
        single_tensor_functions=frozenset(data["eager_only"]["single_tensor_functions"]),
        operation_results=frozenset(data["graph_results"]["operations"]),
        non_tensor_types=NameSet.of(data["graph_results"]["non_tensor_types"],
                                    data["graph_results"]["non_tensor_types_exceptions"]),
        plain_bases=NameSet.of(data["graph_results"]["plain_bases"]),
        plain_class_decorators=frozenset(data["graph_results"]["plain_class_decorators"]),
        summary_writes=frozenset(data["summaries"]["writes"]),
        state_update_methods=frozenset(data["summaries"]["state_updates"]),
        eager_checks=frozenset(data["eager_guards"]["checks"]),
        eager_attributes=frozenset(data["eager_guards"]["eager_attributes"]),
        eager_disablers=frozenset(data["eager_guards"]["disablers"]),
        eager_scopes=frozenset(data["eager_guards"]["scopes"]),
        eager_switches_when_true=frozenset(data["eager_switches"]["when_true"]),
        eager_switches_always=frozenset(data["eager_switches"]["always"]),
        eager_switch_keywords=dict(data["eager_switches"]["keywords"]),
        debug_guard_words=tuple(data["eager_switches"]["guard_words"]),
        eager_switch_announcements=frozenset(data["eager_switches"]["announcements"]),
        eager_switch_comment_subjects=tuple(data["eager_switches"]["comment_subjects"]),
        eager_switch_leftover_marks=tuple(data["eager_switches"]["leftover_marks"]),
        construction_methods=frozenset(data["frozen_values"]["construction_methods"]),
        python_value_calls=NameSet.of(data["frozen_values"]["python_value_calls"]),
    )


def _tensor_knowledge(data: dict[str, Any]) -> dict[str, Any]:
    """Values: what makes or is a tensor, NumPy arrays and dtypes."""
    return dict(
        tensor_types=frozenset(data["tensors"]["types"]),
        non_tensor_prefixes=tuple(data["tensors"]["non_tensor_prefixes"]),
        tensor_producing=NameSet.of(data["tensors"]["producing"], data["tensors"]["producing_exceptions"]),
        symbolic_tensors=frozenset(data["tensors"]["symbolic"]),
        model_inputs=frozenset(data["tensors"]["model_inputs"]),
        not_computation=NameSet.of(data["tensors"]["not_computation"]),
        tensor_callable_prefixes=tuple(data["tensors"]["callable_prefixes"]),
        non_tensor_methods=frozenset(data["tensors"]["non_tensor_methods"]),
        non_tensor_attributes=frozenset(data["tensors"]["non_tensor_attributes"]),
        name_second_ops=frozenset(data["tensors"]["name_second"]),
        array_constructors=dict(data["arrays"]["constructors"]),
        dtype_names=dict(data["dtypes"]["names"]),
        tensor_python_types=dict(data["dtypes"]["tensor_python_types"]),
        tensor_from_value=dict(data["dtypes"]["tensors"]["from_value"]),
        tensor_float32_by_default=dict(data["dtypes"]["tensors"]["float32_by_default"]),
    )


def _merge(into: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = [*into[key], *value]
        else:
            into[key] = value
