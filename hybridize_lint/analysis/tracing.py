"""Graph code: the functions traced as graphs for a reason of their own (roots), and all they reach.

Roots are tf.functions (decorated, or wrapped by a call, by a project wrapper of ``tf.function``
or by a library's), functions TensorFlow traces (``Dataset.map``, ``tf.while_loop``…), Keras'
compiled loops (``fit``, ``predict``…) and functions defined inside any of them.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable, Iterator

from .call_graph import CallGraph, Target, value_parameters
from .refs import InstanceRef, display, name_of, parse
from .summary import BUILDS_A_GRAPH, KERAS_FIT, TF_DATA, TF_FUNCTION, CallSite, FunctionSummary, ModuleSummary
from .symbols import ClassId, FunctionId


@dataclass(frozen=True)
class GraphRoot:
    function: FunctionId
    reason: str
    signature: bool = False  # a tf.function with an input_signature: a concrete function on purpose
    autograph: bool = True  # False: traced with autograph=False (``int(t)``, Python ``if`` on tensors fail)
    wrapper: str = ""  # the project or library wrapper of tf.function it was wrapped with, if any
    # Made a graph only by test code (``tf.function(task)`` in a test of a library's ``task``): what
    # the test checks, not how the program runs it.
    only_by_tests: bool = False

    @property
    def traced_by_tf_data(self) -> bool:
        """Handed to ``Dataset.map`` or the like: tf.data traces it and runs it in a graph of its own."""
        return self.reason.startswith(TF_DATA)


@dataclass(frozen=True)
class Wrapping:
    """A function that returns ``tf.function`` of one of its parameters (directly or via another wrapper)."""

    param: str  # the wrapped parameter; ``*args``: the first positional argument
    autograph: bool | None = None  # what it passes to tf.function (None: tf.function's default)


def _binds(info: FunctionSummary, target: Target, param: str, argument: str) -> bool:
    """Whether a call's ``argument`` (a position or keyword) binds ``param`` (``*args``: the first position)."""
    if param.startswith("*"):
        return argument == "0"
    params = value_parameters(info, target.binding)
    return argument == param or (argument.isdigit() and int(argument) < len(params) and params[int(argument)] == param)


class Tracing(CallGraph):
    """What runs as graph code, over the project's call graph."""

    @cached_property
    def eager_functions(self) -> set[FunctionId]:
        """Functions run through ``tf.py_function``/``tf.numpy_function``: eager even from graph code."""
        return {t.function for s in self.summaries.values() for ref in s.eager_entries for t in self.resolve_ref(ref)}

    @cached_property
    def hybrid_objects_used(self) -> set[FunctionId]:
        """tf.functions whose function object is used as one (``f.get_concrete_function(...)``)."""
        return {t.function for s in self.summaries.values() for ref in s.hybrid_object_uses
                for t in self.resolve_ref(ref)}

    @cached_property
    def stored_functions(self) -> set[FunctionId]:
        """Functions kept on an object (``self.fn = f``) and called through it, by callers not followed."""
        return {t.function for s in self.summaries.values() for ref in s.stored_functions
                for t in self.resolve_ref(ref)}

    @cached_property
    def graph_roots(self) -> dict[FunctionId, GraphRoot]:
        """Functions traced for a reason of their own, not only because graph code calls them."""
        roots: dict[FunctionId, GraphRoot] = {}
        by_program: set[FunctionId] = set()  # made roots by code outside tests
        tests = False  # whether the entries being added are in a test module

        def add(function: FunctionId, reason: str, signature: bool = False, autograph: bool | None = None,
                wrapper: str = "") -> None:
            if not tests:
                by_program.add(function)
            if function not in roots and function not in self.eager_functions \
                    and (info := self.function(function)) and not info.never_defined:
                roots[function] = GraphRoot(function, reason, signature, autograph is not False, wrapper)

        for summary in self.summaries.values():
            tests = self.in_test_module(summary.module)
            for qualname, info in summary.functions.items():
                if info.hybrid:
                    add((summary.module, qualname), TF_FUNCTION, "input_signature" in info.hybrid_keywords,
                        info.autograph)
            for entry in summary.graph_entries:
                if entry.via == "wrapper":
                    wrapping = self.wrapping_of(entry.wrapper, entry.argument)
                    if wrapping is None:
                        continue
                    autograph = entry.autograph if entry.autograph is not None else wrapping.autograph
                    for target in self.resolve_ref(entry.ref):
                        add(target.function, TF_FUNCTION, autograph=autograph, wrapper=display(entry.wrapper))
                    continue
                for target in self.resolve_ref(entry.ref):
                    add(target.function, entry.via, entry.signature, entry.autograph)
            for cls in self._keras_compiled_models(summary):
                for method in sorted(self.knowledge.keras_compiled_methods):
                    found = self.lookup_method(cls, method)
                    if found:
                        add(found, KERAS_FIT)
        sorted_names: dict[str, list[str]] = {}
        tests = True  # nested functions follow their enclosing root
        for function in list(roots):  # functions defined inside graph functions are traced with them
            module, outer = function
            names = sorted_names.get(module)
            if names is None:
                names = sorted_names[module] = sorted(self.summaries[module].functions)
            prefix = outer + "."
            for qualname in names[bisect_left(names, prefix):]:
                if not qualname.startswith(prefix):
                    break
                if function in by_program:
                    by_program.add((module, qualname))
                # what a graph's builder defines runs while it builds that graph, once, like the builder
                builds = roots[function].reason == BUILDS_A_GRAPH
                add((module, qualname), BUILDS_A_GRAPH if builds else f"inside {outer}")
        return {function: root if function in by_program or self.in_test_code(function)
                else replace(root, only_by_tests=True) for function, root in roots.items()}

    # -- wrappers of tf.function ----------------------------------------------

    @cached_property
    def function_wrappers(self) -> dict[FunctionId, Wrapping]:
        """Project functions whose result is ``tf.function`` of a parameter: directly, through another
        wrapper, or returned by an inner decorator closure (a fixpoint: wrappers of wrappers)."""
        found: dict[FunctionId, Wrapping] = {}
        candidates = [((summary.module, qualname), info) for summary in self.summaries.values()
                      for qualname, info in summary.functions.items() if info.wrapper_calls]
        changed = True
        while changed:
            changed = False
            for function, info in candidates:
                if function in found:
                    continue
                for call in info.wrapper_calls:
                    inner = self._wrapping_of(call.callee, call.argument, found)
                    if inner is not None:
                        autograph = call.autograph if call.autograph is not None else inner.autograph
                        found[function] = Wrapping(call.param, autograph)
                        changed = True
                        break
        return found

    def wrapping_of(self, wrapper: str, argument: str) -> Wrapping | None:
        """How ``wrapper`` wraps the function it receives at ``argument`` (a position or keyword); None: it does not."""
        return self._wrapping_of(wrapper, argument, self.function_wrappers)

    def _wrapping_of(self, wrapper: str, argument: str, wrappers: dict[FunctionId, Wrapping]) -> Wrapping | None:
        if argument == "@":  # @W(...): W is a decorator factory, or a wrapper whose function is optional
            found = self._wrapping_of(wrapper, "0", wrappers)
            parsed = parse(wrapper)
            if found is None and isinstance(parsed, InstanceRef) and parsed.method == "__call__":
                found = self._wrapping_of(parsed.typeref, "0", wrappers)
            return found
        named = name_of(wrapper)
        if named is not None:
            dotted = self.knowledge.canonical(named)
            if self.knowledge.is_hybridizer(dotted):
                return Wrapping("func") if argument in ("0", "func") else None
            symbol = self.resolve_symbol(named)
            if symbol is not None and symbol.kind == "external":
                known, autograph = self.knowledge.wrapper_autograph(symbol.dotted)
                return Wrapping("*args", autograph) if known and argument == "0" else None
        for target in self.resolve_ref(wrapper):
            wrapping = wrappers.get(target.function)
            info = self.function(target.function)
            if wrapping is not None and info is not None and _binds(info, target, wrapping.param, argument):
                return wrapping
        return None

    def _keras_compiled_models(self, summary: ModuleSummary) -> Iterator[ClassId]:
        """Models this module runs through Keras' compiled loops (``fit``, ``predict``…).

        ``model.predict(x)`` runs the project's own ``predict`` when a class of the model's MRO
        overrides it: an eager loop calling ``self(x)`` runs ``call`` eagerly, traced by no one.
        """
        for typeref, method, *how in summary.compiled_calls:
            cls = self.class_of_typeref(typeref)
            if cls is None or not self.is_keras_model(cls) or self._eager_steps(cls):
                continue
            if self.lookup_method(cls, method, after=cls if how == ["super"] else None) is None:
                yield cls

    def _eager_steps(self, cls: ClassId) -> bool:
        """The ``compile`` its objects run forces ``run_eagerly=True`` (``ClassSummary.eager_steps``)."""
        compile_method = self.lookup_method(cls, "compile")
        if compile_method is None:
            return False
        info = self.class_info((compile_method[0], compile_method[1].rpartition(".")[0]))
        return info is not None and info.eager_steps

    @cached_property
    def graph_functions(self) -> dict[FunctionId, FunctionId]:
        """Every function run as graph code, mapped to a root that reaches it."""
        return self.graph_reach(lambda function, site: True)

    def graph_reach(self, follows: Callable[[FunctionId, CallSite], bool]) -> dict[FunctionId, FunctionId]:
        """The functions graph roots reach through the calls ``follows`` accepts (given the caller and the
        site), each mapped to a root that reaches it."""
        reached: dict[FunctionId, FunctionId] = {}
        seen: set[tuple[FunctionId, ClassId | None]] = set()
        stack: list[tuple[FunctionId, FunctionId, ClassId | None]] = [(root, root, None) for root in self.graph_roots]
        while stack:  # a receiver's class, where known, follows self calls (no sibling class's override)
            function, root, receiver = stack.pop()
            if receiver is not None and not self.calls_self(function):
                receiver = None
            if (function, receiver) in seen or function in self.eager_functions:
                continue
            seen.add((function, receiver))
            reached.setdefault(function, root)
            for site, targets in self.calls_with_receiver(function, receiver):
                if follows(function, site):
                    stack.extend((target.function, root, target.receiver_class) for target in targets)
        return reached

    def runs_only_in_graphs(self, function: FunctionId) -> bool:
        """Every way into ``function`` the project shows goes through a ``tf.function`` first: it runs
        only while some tf.function traces (a nested tf.function it calls retraces then, not per call)."""
        def traced(current: FunctionId) -> bool:
            root = self.graph_roots.get(current)
            return (root is not None and not root.only_by_tests and root.reason == TF_FUNCTION) \
                or (not self.callers.get(current) and self._keras_step(current))
        return self.callers_lead_to(function, traced, lambda caller, site: True)

    def _keras_step(self, function: FunctionId) -> bool:
        """A Keras model's ``train_step`` (or kin), which only Keras' loops run, traced: its class's own
        ``compile`` does not force ``run_eagerly=True``."""
        info = self.function(function)
        if info is None or info.class_name is None or function[1].rsplit(".", 1)[-1] not in \
                self.knowledge.keras_step_methods:
            return False
        cls = (function[0], info.class_name)
        return self.is_keras_model(cls) and not self._eager_steps(cls)
