"""The project model: modules, symbols, classes and the call graph.

Assembled from module summaries, it resolves the references they recorded —
imports (absolute, relative, aliased, wildcard, re-exported through
``__init__``), methods along the MRO, ``super()``, constructors, callable
objects (a Keras layer's ``__call__`` runs its ``call``), custom decorators —
into calls between functions, and decides which functions run as graph code.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterator

from ..knowledge import KnowledgeBase
from .policy import HybridizationPolicy
from .summary import KERAS_FIT, TF_FUNCTION, CallSite, ClassSummary, FunctionSummary, ModuleSummary

FunctionId = tuple[str, str]  # (module, qualname)
ClassId = tuple[str, str]

_MAX_DEPTH = 25


@dataclass(frozen=True)
class Symbol:
    # function | method (a function reached through an instance: the call binds its first parameter)
    # | class | instance | module | external | result (what calling a function returns)
    kind: str
    module: str = ""
    qualname: str = ""
    dotted: str = ""  # for external symbols and instances of external classes


@dataclass(frozen=True)
class Target:
    """A function a call site may run, and how the call binds its first parameter."""

    function: FunctionId
    binding: str  # "plain" | "bound" (first parameter is the receiver) | "constructor" (a fresh object)
    # The receiver's exact class when the call site knows it (``Sub()``, ``x = Sub(); x.run()``): then
    # ``self.NAME()`` inside runs that class's NAME, not an override of a sibling class.
    receiver_class: ClassId | None = None


def value_parameters(info: FunctionSummary, binding: str) -> list[str]:
    """Parameters a call's arguments bind: without the receiver of a bound method or constructor."""
    return info.params[1:] if binding in ("bound", "constructor") else list(info.params)


def call_arguments(info: FunctionSummary, target: Target, site: CallSite) -> Iterator[tuple[str, int | str, list[str]]]:
    """(parameter, position or keyword, abstract value) for every argument of ``site`` calling ``info``."""
    params = value_parameters(info, target.binding)
    for index, atoms in enumerate(site.arg_values):
        if index < len(params):
            yield params[index], index, atoms
    for name, atoms in site.keyword_values.items():
        yield name, name, atoms


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


def _display(ref: str) -> str:
    """A wrapper's reference as the user spelled it, for messages."""
    kind, _, rest = ref.partition(":")
    if kind == "inst":
        return _display(rest.rpartition("|")[0]) + "(...)"
    return rest.replace(":", ".") if kind == "fn" else rest if kind == "name" else rest.rpartition(":")[2]


@dataclass
class ProjectModel:
    knowledge: KnowledgeBase
    summaries: dict[str, ModuleSummary] = field(default_factory=dict)
    policy: HybridizationPolicy = field(default_factory=HybridizationPolicy)

    def add(self, *summaries: ModuleSummary) -> None:
        """Add or replace module summaries; derived analyses are dropped once, however many."""
        for summary in summaries:
            self.summaries[summary.module] = summary
        for name, member in vars(ProjectModel).items():  # every derived fact, so none is forgotten
            if isinstance(member, cached_property):
                self.__dict__.pop(name, None)

    # -- symbols ----------------------------------------------------------

    def module_paths(self) -> dict[str, str]:
        """Module name → file path relative to the project root, for messages."""
        return {module: summary.path for module, summary in self.summaries.items() if summary.path}

    def in_test_module(self, module: str) -> bool:
        """A test file, unless the policy asks to treat tests like other code (``hybridize-tests``)."""
        summary = self.summaries.get(module)
        return (not self.policy.hybridize_tests and summary is not None
                and self.policy.is_test_path(summary.path or module.replace(".", "/") + ".py"))

    def in_test_code(self, function: FunctionId | None) -> bool:
        """Test code (a test file, or a method of a test class), unless the policy asks to include it.

        Tests call functions once per case, with the literal values a case needs: what they do is no
        evidence of how often a function runs, or with which values, in the program."""
        return function is not None and not self.policy.hybridize_tests and (
            self.in_test_module(function[0]) or self.policy.is_test_function(function[1]))

    def function(self, function: FunctionId) -> FunctionSummary | None:
        summary = self.summaries.get(function[0])
        return summary.functions.get(function[1]) if summary else None

    def class_info(self, cls: ClassId) -> ClassSummary | None:
        summary = self.summaries.get(cls[0])
        return summary.classes.get(cls[1]) if summary else None

    def resolve_symbol(self, dotted: str, depth: int = 0) -> Symbol | None:
        if depth > _MAX_DEPTH:
            return None
        if depth == 0:  # memoised: the analyses ask for the same names hundreds of thousands of times
            memo = self._resolved_symbols
            if dotted not in memo:
                memo[dotted] = self._resolve_symbol(dotted, 0)
            return memo[dotted]
        return self._resolve_symbol(dotted, depth)

    @cached_property
    def _resolved_symbols(self) -> dict[str, Symbol | None]:
        return {}

    def _resolve_symbol(self, dotted: str, depth: int) -> Symbol | None:
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.summaries:
                return self._resolve_in_module(module, parts[cut:], depth)
        return Symbol("external", dotted=self.knowledge.canonical(dotted))

    def _resolve_in_module(self, module: str, rest: list[str], depth: int) -> Symbol | None:
        if not rest:
            return Symbol("module", module)
        if depth > _MAX_DEPTH:
            return None
        summary = self.summaries[module]
        name, tail = rest[0], rest[1:]
        if name in summary.functions:
            return Symbol("function", module, name) if not tail else None
        if name in summary.classes:
            return self._member(Symbol("class", module, name), tail, depth)
        if name in summary.aliases:
            return self._member(self._symbol_of_ref(summary.aliases[name], depth + 1), tail, depth)
        if name in summary.instances:
            return self._member(self._instance_of(summary.instances[name], depth + 1), tail, depth)
        if name in summary.bindings:
            target = summary.bindings[name]
            if target != f"{module}.{name}":
                return self.resolve_symbol(".".join([target, *tail]), depth + 1)
        if f"{module}.{name}" in self.summaries:
            return self._resolve_in_module(f"{module}.{name}", tail, depth)
        for star in summary.star_imports:
            exported = self.summaries.get(star)
            if exported is None:
                continue
            if exported.all_names is not None:
                if name in exported.all_names:
                    return self._resolve_in_module(star, rest, depth + 1)
                continue
            # Without __all__, every public name of the module's namespace, including what it got
            # from its own wildcard imports.
            if not name.startswith("_"):
                found = self._resolve_in_module(star, rest, depth + 1)
                if found is not None:
                    return found
        return None

    def _member(self, symbol: Symbol | None, tail: list[str], depth: int) -> Symbol | None:
        """``Class.method``, ``Class.Nested``, ``instance.method``."""
        if symbol is None or not tail:
            return symbol
        if symbol.kind == "class":
            nested = f"{symbol.qualname}.{tail[0]}"
            if nested in self.summaries[symbol.module].classes:
                return self._member(Symbol("class", symbol.module, nested), tail[1:], depth)
            method = self.lookup_method((symbol.module, symbol.qualname), tail[0])
            return Symbol("function", *method) if method and len(tail) == 1 else None
        if symbol.kind == "instance" and symbol.qualname:
            method = self.lookup_method((symbol.module, symbol.qualname), tail[0])
            return Symbol("method", *method) if method and len(tail) == 1 else None
        if symbol.kind in ("external",):
            return Symbol("external", dotted=".".join([symbol.dotted, *tail]))
        return None

    def _symbol_of_ref(self, ref: str, depth: int) -> Symbol | None:
        if ref.startswith("fn:"):
            _, module, qualname = ref.split(":", 2)
            return Symbol("function", module, qualname)
        if ref.startswith("name:"):
            return self.resolve_symbol(ref[5:], depth)
        return None

    def _instance_of(self, typeref: str, depth: int) -> Symbol | None:
        """What calling the symbol ``typeref`` refers to produces."""
        symbol = self._symbol_of_ref(typeref, depth)
        if symbol is None:
            return None
        if symbol.kind == "class":
            return Symbol("instance", symbol.module, symbol.qualname)
        if symbol.kind == "external":
            return Symbol("instance", dotted=symbol.dotted)
        if symbol.kind in ("function", "method"):  # a factory: its result is what it returns
            return Symbol("result", symbol.module, symbol.qualname)
        return None

    def class_of_typeref(self, typeref: str, depth: int = 0) -> ClassId | None:
        """The project class a TYPEREF (or ``attr:MODULE:CLASS:ATTR``, the type of ``self.ATTR``) names."""
        if typeref.startswith("attr:") and typeref.count(":") == 3:
            module, cls, attribute = typeref[5:].split(":")
            inner = self.attribute_type((module, cls), attribute)
            return self.class_of_typeref(inner, depth + 1) if inner and depth < _MAX_DEPTH else None
        symbol = self._symbol_of_ref(typeref, 0)
        return (symbol.module, symbol.qualname) if symbol and symbol.kind == "class" else None

    # -- classes ----------------------------------------------------------

    def bases(self, cls: ClassId) -> list[ClassId | str]:
        """Direct bases: project classes as ids, external ones as dotted names."""
        info = self.class_info(cls)
        result: list[ClassId | str] = []
        for ref in info.bases if info else []:
            symbol = self._symbol_of_ref(ref, 0)
            if symbol is None:
                continue
            if symbol.kind == "class":
                result.append((symbol.module, symbol.qualname))
            elif symbol.kind == "external":
                result.append(symbol.dotted)
        return result

    def mro(self, cls: ClassId) -> list[ClassId | str]:
        """C3 linearisation; external bases end their branch."""
        found = self._mros.get(cls)
        if found is None:
            found = self._mros[cls] = tuple(self._mro(cls, ()))
        return list(found)

    @cached_property
    def _mros(self) -> dict[ClassId, tuple[ClassId | str, ...]]:
        return {}

    def _mro(self, cls: ClassId | str, seen: tuple) -> list[ClassId | str]:
        if isinstance(cls, str) or cls in seen:
            return [cls]
        sequences = [self._mro(base, (*seen, cls)) for base in self.bases(cls)]
        sequences.append(list(self.bases(cls)))
        result: list[ClassId | str] = [cls]
        while any(sequences):
            for sequence in sequences:
                if not sequence:
                    continue
                head = sequence[0]
                if not any(head in other[1:] for other in sequences):
                    break
            else:  # inconsistent hierarchy: fall back to depth-first order
                head = next(sequence[0] for sequence in sequences if sequence)
            result.append(head)
            sequences = [[c for c in sequence if c != head] for sequence in sequences]
        return result

    def lookup_method(self, cls: ClassId, name: str, after: ClassId | None = None) -> FunctionId | None:
        order = self.mro(cls)
        if after is not None and after in order:
            order = order[order.index(after) + 1:]
        for klass in order:
            if isinstance(klass, str):
                continue
            info = self.class_info(klass)
            if info and name in info.methods:
                return (klass[0], f"{klass[1]}.{name}")
        return None

    @cached_property
    def subclasses(self) -> dict[ClassId, list[ClassId]]:
        """Every project class → the project classes whose MRO contains it (itself included), sorted."""
        index: dict[ClassId, list[ClassId]] = {}
        for summary in self.summaries.values():
            for qualname in summary.classes:
                sub = (summary.module, qualname)
                for klass in self.mro(sub):
                    if not isinstance(klass, str):
                        index.setdefault(klass, []).append(sub)
        return {cls: sorted(set(subs)) for cls, subs in index.items()}

    def is_keras_class(self, cls: ClassId) -> bool:
        return any(isinstance(k, str) and k in self.knowledge.keras_layer_bases for k in self.mro(cls))

    def is_keras_model(self, cls: ClassId) -> bool:
        return any(isinstance(k, str) and k in self.knowledge.keras_model_bases for k in self.mro(cls))

    def call_method(self, cls: ClassId, name: str) -> FunctionId | None:
        """What ``obj.name(...)`` runs; calling a Keras layer runs its ``call``."""
        if name == "__call__":
            defined = self.lookup_method(cls, "__call__")
            if defined is not None:
                return defined
            return self.lookup_method(cls, "call") if self.is_keras_class(cls) else None
        return self.lookup_method(cls, name)

    def attribute_type(self, cls: ClassId, attribute: str) -> str | None:
        for klass in self.mro(cls):
            if isinstance(klass, str):
                continue
            info = self.class_info(klass)
            if info and attribute in info.attribute_types:
                return info.attribute_types[attribute]
        return None

    # -- call resolution --------------------------------------------------

    def resolve_ref(self, ref: str) -> list[Target]:
        """The functions a call through ``ref`` may run (memoised until the summaries change)."""
        found = self._resolved_refs.get(ref)
        if found is None:
            found = self._resolved_refs[ref] = tuple(self._resolve_ref(ref))
        return list(found)

    @cached_property
    def _resolved_refs(self) -> dict[str, tuple[Target, ...]]:
        return {}

    def _resolve_ref(self, ref: str) -> list[Target]:
        kind, _, rest = ref.partition(":")
        if kind == "fn":
            module, qualname = rest.split(":", 1)
            return self._method_targets([(module, qualname)], "plain")
        if kind == "name":
            return self._targets_of_symbol(self.resolve_symbol(rest))
        if kind in ("method", "super"):
            module, cls, name = rest.split(":", 2)
            found = self._dispatch((module, cls), name, super_call=kind == "super")
            if found:
                return self._method_targets(found, "bound")
            wrapped = self.hybrid_wrappers.get(ref)  # self.fn = tf.function(self.step); self.fn(x)
            if wrapped:
                return self.resolve_ref(wrapped)
            typeref = self.attribute_type((module, cls), name) if kind == "method" else None
            return self._instance_call(typeref, "__call__") if typeref else []  # self.layer(x)
        if kind == "attr":
            module, cls, attribute, name = rest.split(":", 3)
            typeref = self.attribute_type((module, cls), attribute)
            return self._instance_call(typeref, name) if typeref else []
        if kind == "inst":
            typeref, _, name = rest.rpartition("|")
            return self._instance_call(typeref, name)
        return []

    def _dispatch(self, cls: ClassId, name: str, super_call: bool) -> list[FunctionId]:
        """The methods ``self.NAME()`` (or ``super().NAME()``) in a method of ``cls`` may run.

        ``self`` may be an instance of any project subclass of ``cls``: ``self.NAME`` is looked up
        along each one's MRO (an override in a subclass runs), and ``super().NAME`` continues along
        each one's MRO after ``cls`` (cooperative ``super()`` in a diamond). An over-approximation:
        every subclass is assumed to be instantiated.
        """
        after = cls if super_call else None
        found: list[FunctionId] = []
        for sub in [cls, *self.subclasses.get(cls, [])]:
            method = self.lookup_method(sub, name, after)
            if method is not None and method not in found:
                found.append(method)
        return found

    def calls_self(self, function: FunctionId) -> bool:
        """Whether ``function`` calls ``self.NAME()`` or ``super().NAME()``: what it runs depends on the receiver."""
        return function in self._self_callers

    @cached_property
    def _self_callers(self) -> frozenset[FunctionId]:
        return frozenset((summary.module, qualname) for summary in self.summaries.values()
                         for qualname, info in summary.functions.items()
                         if any(ref.startswith(("method:", "super:")) for site in info.calls for ref in site.callees))

    def calls_with_receiver(self, function: FunctionId,
                            receiver: ClassId | None) -> list[tuple[CallSite, list[Target]]]:
        """``function``'s call-graph edges when ``self`` is exactly a ``receiver`` (None: any class)."""
        edges = self.call_graph.get(function, [])
        if receiver is None or not self.calls_self(function):
            return edges
        key = (function, receiver)
        found = self._receiver_edges.get(key)
        if found is None:
            found = self._receiver_edges[key] = [(site, self._receiver_call_targets(site, targets, receiver))
                                                 for site, targets in edges]
        return found

    @cached_property
    def _receiver_edges(self) -> dict[tuple[FunctionId, ClassId], list[tuple[CallSite, list[Target]]]]:
        return {}

    def _receiver_call_targets(self, site: CallSite, targets: list[Target], receiver: ClassId) -> list[Target]:
        """``targets`` of a call in a method, with its ``self``/``super()`` calls resolved for ``receiver``."""
        general: list[Target] = []
        special: list[Target] = []
        for ref in site.callees:
            resolved = self.receiver_targets(ref, receiver)
            if resolved is not None:
                general.extend(self.resolve_ref(ref))
                special.extend(resolved)
        if not general or not any(t in general for t in targets):
            return targets  # e.g. the edge of a parameter's method (``e.predict(t)``) at the same site
        return [t for t in targets if t not in general] + special

    def _method_targets(self, functions: list[FunctionId], binding: str,
                        receiver: ClassId | None = None) -> list[Target]:
        """Targets for calls of ``functions``; ``@staticmethod``/``@classmethod`` decide the binding."""
        targets: list[Target] = []
        for function in functions:
            info = self.function(function)
            kind = info.method_kind if info else "instance"
            bound = "plain" if kind == "static" else "bound" if kind == "class" else binding
            targets.extend(self._with_wrappers(Target(function, bound, receiver if bound != "plain" else None)))
        return targets

    def receiver_targets(self, ref: str, receiver: ClassId) -> list[Target] | None:
        """What ``self.NAME()``/``super().NAME()`` (``ref``) runs when ``self`` is exactly a ``receiver``:
        the method along that class's MRO only, not the overrides of its sibling classes.
        None when ``ref`` is no such call, or ``receiver`` is no subclass of the class it is written in."""
        kind, _, rest = ref.partition(":")
        if kind not in ("method", "super"):
            return None
        module, owner, name = rest.split(":", 2)
        if receiver not in self.subclasses.get((module, owner), ()) or not self._dispatch(
                (module, owner), name, super_call=kind == "super"):
            return None
        found = self.lookup_method(receiver, name, (module, owner) if kind == "super" else None)
        return self._method_targets([found], "bound", receiver) if found else []

    def _instance_call(self, typeref: str, name: str) -> list[Target]:
        cls = self.class_of_typeref(typeref)
        if cls is None:
            symbol = self._instance_of(typeref, 0) if name == "__call__" else None
            return self._targets_of_symbol(symbol) if symbol and symbol.kind == "result" else []
        found = self.call_method(cls, name)
        return self._method_targets([found], "bound", cls) if found else []

    def _targets_of_symbol(self, symbol: Symbol | None) -> list[Target]:
        if symbol is None:
            return []
        if symbol.kind in ("function", "method"):
            function = (symbol.module, symbol.qualname)
            info = self.function(function)
            if info is None:
                return []
            return self._method_targets([function], "bound" if symbol.kind == "method" else "plain")
        if symbol.kind == "class":
            cls = (symbol.module, symbol.qualname)
            init = self.lookup_method(cls, "__init__")
            return [Target(init, "constructor", cls)] if init else []
        if symbol.kind == "instance" and symbol.qualname:
            cls = (symbol.module, symbol.qualname)
            found = self.call_method(cls, "__call__")
            return self._method_targets([found], "bound", cls) if found else []
        if symbol.kind == "result":  # calling what a factory returned runs the functions it returns
            info = self.function((symbol.module, symbol.qualname))
            returned = [tuple(ref.split(":", 2)[1:]) for ref in info.returned_functions] if info else []
            return self._method_targets([f for f in returned if self.function(f)], "plain")
        return []

    def _with_wrappers(self, target: Target) -> list[Target]:
        """A function with custom decorators also runs their wrapper functions."""
        info = self.function(target.function)
        targets = [target]
        for decorator in info.decorators if info else []:
            for resolved in self.resolve_ref(decorator) if not decorator.startswith("fn:") else \
                    [Target(tuple(decorator.split(":", 2)[1:]), "plain")]:
                wrapper_source = self.function(resolved.function)
                for wrapper in wrapper_source.returned_functions if wrapper_source else []:
                    _, module, qualname = wrapper.split(":", 2)
                    targets.append(Target((module, qualname), "plain"))
        return targets

    @cached_property
    def call_graph(self) -> dict[FunctionId, list[tuple[CallSite, list[Target]]]]:
        graph: dict[FunctionId, list[tuple[CallSite, list[Target]]]] = {}
        deferred: list[tuple[FunctionId, CallSite, list[str]]] = []
        for summary in self.summaries.values():
            for qualname, info in summary.functions.items():
                edges = []
                for site in info.calls:
                    targets = [t for ref in site.callees for t in self.resolve_ref(ref)]
                    if site.passed:  # `self.iterations` naming a property is a read, not a function value
                        targets = [t for t in targets if self._method_kind(t.function) != "property"]
                    if targets:
                        edges.append((site, targets))
                    parameter_refs = [ref for ref in site.callees if ref.startswith("param:")]
                    if parameter_refs:
                        deferred.append(((summary.module, qualname), site, parameter_refs))
                graph[(summary.module, qualname)] = edges
        self._add_parameter_calls(graph, deferred)
        return graph

    def _method_kind(self, function: FunctionId) -> str:
        info = self.function(function)
        return info.method_kind if info else "instance"

    def _add_parameter_calls(self, graph, deferred) -> None:
        """``e.predict(t)`` on a parameter runs the method of whatever object callers pass as ``e``."""
        if not deferred:
            return
        passed: dict[FunctionId, list[tuple[CallSite, Target]]] = {}
        sites = [site for edges in graph.values() for site, _ in edges]
        sites += [site for summary in self.summaries.values() for site in summary.module_calls]
        for site in sites:
            for ref in site.callees:
                for target in self.resolve_ref(ref):
                    passed.setdefault(target.function, []).append((site, target))
        for function, site, refs in deferred:
            info = self.function(function)
            targets: list[Target] = []
            for ref in refs:
                param, _, method = ref[len("param:"):].partition("|")
                for caller_site, target in passed.get(function, []):
                    for cls in self._argument_classes(info, target, caller_site, param):
                        found = self.call_method(cls, method)
                        if found and all(t.function != found for t in targets):
                            targets.extend(self._method_targets([found], "bound"))
            if targets:
                graph[function].append((site, targets))

    def _argument_classes(self, info: FunctionSummary | None, target: Target, site: CallSite,
                          param: str) -> list[ClassId]:
        if info is None or param not in info.params or site.passed:
            return []
        atoms = next((atoms for name, _, atoms in call_arguments(info, target, site) if name == param), [])
        classes = []
        for atom in atoms:
            cls = self.class_of_value(atom)
            if cls is not None:
                classes.append(cls)
        return classes

    def class_of_value(self, atom: str) -> ClassId | None:
        """The project class of ``Estimator()`` (``r:name:...``) or of a module-level instance (``n:...``)."""
        ref = atom[2:] if atom.startswith("r:") else "name:" + atom[2:] if atom.startswith("n:") else None
        if ref is None or not ref.startswith("name:"):
            return None
        symbol = self.resolve_symbol(ref[5:])
        if symbol is not None and symbol.kind in ("class", "instance") and symbol.qualname:
            return (symbol.module, symbol.qualname)
        return None

    @cached_property
    def callers(self) -> dict[FunctionId, list[tuple[FunctionId | None, CallSite]]]:
        """Who calls each function, and where (None: module top level)."""
        found: dict[FunctionId, list[tuple[FunctionId | None, CallSite]]] = {}
        for caller, edges in self.call_graph.items():
            for site, targets in edges:
                for target in targets:
                    found.setdefault(target.function, []).append((caller, site))
        for summary in self.summaries.values():
            for site in summary.module_calls:
                for ref in site.callees:
                    for target in self.resolve_ref(ref):
                        found.setdefault(target.function, []).append((None, site))
        return found

    # -- graph code -------------------------------------------------------

    @cached_property
    def hybrid_wrappers(self) -> dict[str, str]:
        """Refs of tf.functions wrapping one object's method (``fast = tf.function(model)``) → the wrapped ref."""
        return {ref: wrapped for s in self.summaries.values() for ref, wrapped in s.hybrid_wrappers.items()}

    @cached_property
    def eager_functions(self) -> set[FunctionId]:
        """Functions run through ``tf.py_function``/``tf.numpy_function``: eager even from graph code."""
        return {t.function for s in self.summaries.values() for ref in s.eager_entries for t in self.resolve_ref(ref)}

    @cached_property
    def attribute_readers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the functions that read an attribute of that name on some object other
        than their own ``self`` (module-level code as ``(module, "<module>")``)."""
        readers: dict[str, set[FunctionId]] = {}
        for summary in self.summaries.values():
            for name in summary.attribute_loads:
                readers.setdefault(name, set()).add((summary.module, "<module>"))
            for qualname, info in summary.functions.items():
                for name in info.attribute_loads:
                    readers.setdefault(name, set()).add((summary.module, qualname))
        return readers

    @cached_property
    def self_attribute_readers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the methods that read ``self.NAME``."""
        readers: dict[str, set[FunctionId]] = {}
        for summary in self.summaries.values():
            for qualname, info in summary.functions.items():
                for name in info.self_attribute_loads:
                    readers.setdefault(name, set()).add((summary.module, qualname))
        return readers

    def related_classes(self, one: ClassId, other: ClassId) -> bool:
        """Whether one class is the other or derives from it (so they share ``self`` attributes)."""
        return one == other or other in self.mro(one) or one in self.mro(other)

    @cached_property
    def hybrid_objects_used(self) -> set[FunctionId]:
        """tf.functions whose function object is used as one (``f.get_concrete_function(...)``)."""
        return {t.function for s in self.summaries.values() for ref in s.hybrid_object_uses
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
            if function not in roots and function not in self.eager_functions and self.function(function):
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
                        add(target.function, TF_FUNCTION, autograph=autograph, wrapper=_display(entry.wrapper))
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
                add((module, qualname), f"inside {outer}")
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
            if found is None and wrapper.startswith("inst:") and wrapper.endswith("|__call__"):
                found = self._wrapping_of(wrapper[5:-len("|__call__")], "0", wrappers)
            return found
        if wrapper.startswith("name:"):
            dotted = self.knowledge.canonical(wrapper[5:])
            if self.knowledge.is_hybridizer(dotted):
                return Wrapping("func") if argument in ("0", "func") else None
            symbol = self.resolve_symbol(wrapper[5:])
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
            if cls is None or not self.is_keras_model(cls):
                continue
            if self.lookup_method(cls, method, after=cls if how == ["super"] else None) is None:
                yield cls

    @cached_property
    def graph_functions(self) -> dict[FunctionId, FunctionId]:
        """Every function run as graph code, mapped to a root that reaches it."""
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
            for _, targets in self.calls_with_receiver(function, receiver):
                stack.extend((target.function, root, target.receiver_class) for target in targets)
        return reached

    def reachable(self, starts) -> set[FunctionId]:
        """``starts`` and every function they call, transitively."""
        reached: set[FunctionId] = set()
        stack = list(starts)
        while stack:
            function = stack.pop()
            if function not in reached:
                reached.add(function)
                stack.extend(t.function for _, targets in self.call_graph.get(function, []) for t in targets)
        return reached

    @cached_property
    def components(self) -> list[list[FunctionId]]:
        """The call graph's strongly connected components (recursion), callees first."""
        return strongly_connected_components(self.call_graph)



def strongly_connected_components(graph) -> list[list[FunctionId]]:
    """Tarjan's algorithm, iterative; components come out callees first."""
    index: dict[FunctionId, int] = {}
    low: dict[FunctionId, int] = {}
    on_stack: set[FunctionId] = set()
    stack: list[FunctionId] = []
    components: list[list[FunctionId]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter([t.function for _, ts in graph.get(start, []) for t in ts]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter([t.function for _, ts in graph.get(child, []) for t in ts])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
