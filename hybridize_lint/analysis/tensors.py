"""Interprocedural tensor and literal inference.

Which parameters receive tensors, and which receive Python literals, at some
call site of the project; what each function returns; whether a function
computes on tensors at all.  Abstract values recorded per module
(:mod:`.values`) are evaluated here against the whole project, growing
monotonically to a fixpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from .project import FunctionId, ProjectModel, Target, call_arguments, value_parameters
from .refs import AttrRef, InstanceRef, MethodRef, NameRef, name_of, parse
from .summary import TF_DATA, CallSite, FunctionSummary
from .dtypes import array_dtype, is_array
from .values import (ARITHMETIC, CONTAINER, LITERAL, OPAQUE, RANGE, SYMBOLIC, TENSOR, VARYING_SHAPE, call_result_of,
                     global_of, is_call_result, is_param, param_of, symbolic_of)

# The paper's speculative names for code with no visible caller (libraries): DL entry points.
SPECULATIVE_NAMES = re.compile(r"^(.*(train|test).*_step|call|__call__|run_model|.*inference)$")
_MAX_ROUNDS = 50
# Top-level modules whose functions never compute on tensors.
_KNOWN_NON_TENSOR_MODULES = frozenset({
    "builtins", "numpy", "math", "os", "sys", "re", "json", "collections", "itertools", "functools", "typing",
    "time", "random", "logging", "string", "abc", "dataclasses", "enum", "copy", "operator", "pathlib",
    "warnings", "absl", "tensorflow",
})


@dataclass(frozen=True)
class Evidence:
    """Why a parameter is believed to receive a tensor or a literal."""

    description: str
    module: str = ""
    line: int = 0
    caller: FunctionId | None = None
    site: CallSite | None = field(default=None, compare=False, hash=False)
    maybe_tensor: bool = False  # literal evidence for a (non-container) value that may be a tensor instead

    def render(self, paths: dict[str, str] | None = None) -> str:
        if not self.module:
            return self.description
        where = (paths or {}).get(self.module, self.module)
        return f"{self.description} at {where}:{self.line}"


@dataclass
class ParameterFacts:
    tensors: dict[str, Evidence] = field(default_factory=dict)
    literals: dict[str, list[Evidence]] = field(default_factory=dict)
    varying_shapes: dict[str, Evidence] = field(default_factory=dict)
    arrays: dict[str, Evidence] = field(default_factory=dict)  # parameters that receive NumPy arrays
    kinds: dict[str, set[str]] = field(default_factory=dict)  # base kinds each parameter receives
    # parameter → source (a call site, or a hint) → the kinds it passes; ``kinds`` is their union
    sources: dict[str, dict[object, set[str]]] = field(default_factory=dict)


class TensorInference:
    def __init__(self, project: ProjectModel):
        self.project = project
        self.kb = project.knowledge

    # -- results ------------------------------------------------------------

    @cached_property
    def facts(self) -> dict[FunctionId, ParameterFacts]:
        self._returns: dict[FunctionId, set[str]] = {}
        facts = {function: ParameterFacts() for function in self.project.call_graph}
        self._progress = facts
        self._seed(facts)
        dirty: set[FunctionId | None] = {*self.project.call_graph, None}  # None: module top levels
        for _ in range(_MAX_ROUNDS):
            dirty = self._round(facts, dirty)
            if not dirty:
                break
        for known in facts.values():  # evidence of kinds a call site's final evaluation no longer gives
            known.arrays = {p: e for p, e in known.arrays.items()
                            if any(is_array(kind) for kind in known.kinds.get(p, ()))}
            known.tensors = {p: e for p, e in known.tensors.items() if TENSOR in known.kinds.get(p, ())}
        return facts

    def of(self, function: FunctionId) -> ParameterFacts:
        return self.facts.get(function, ParameterFacts())

    def speculative_tensor_params(self, function: FunctionId) -> list[str]:
        """The paper's name heuristic: parameters of a `train_step`-like function nobody tells us about.

        Weak evidence: it stops a function from being called tensor-free (P2), never proposes P1.
        """
        info = self.project.function(function)
        name = function[1].rsplit(".", 1)[-1]
        if info is None or info.nested or not SPECULATIVE_NAMES.match(name):
            return []
        facts = self.of(function)
        params = _value_params(info, Target(function, "bound" if info.class_name else "plain"))
        return [param for param in params if not facts.kinds.get(param)]

    def returns(self, function: FunctionId) -> set[str]:
        self.facts  # noqa: B018 - computes the fixpoint
        return self._returns.get(function, set())

    def computes_tensors(self, function: FunctionId, certain: bool = True) -> bool:
        """Whether a function (or what it calls) computes on tensors.

        ``certain=False`` asks whether it might: a parameter of unknown type or an unresolved call
        could be a tensor; a function is "barren" only when that is False too.  Decided on demand
        over the function's callees only, so checking one file does not evaluate the whole project.
        """
        known = self._computes[certain]
        if function not in known:
            self._decide_computation(function, certain)
        return known.get(function, False)

    @cached_property
    def _computes(self) -> dict[bool, dict[FunctionId, bool]]:
        return {True: {}, False: {}}

    def _decide_computation(self, start: FunctionId, certain: bool) -> None:
        """Settle ``start`` and every function it reaches: own tensor work, then propagate up the calls."""
        self.facts  # noqa: B018 - computes the fixpoint first
        known, graph = self._computes[certain], self.project.call_graph
        reached, stack = [], [start]
        seen = {start}
        while stack:
            function = stack.pop()
            if function in known:
                continue
            reached.append(function)
            for _, targets in graph.get(function, []):
                for target in targets:
                    if target.function not in seen:
                        seen.add(target.function)
                        stack.append(target.function)
        result = {}
        for function in reached:
            info = self.project.function(function)
            result[function] = bool(info) and (info.direct_tensor_work or any(
                self._operand_computes(set(atoms), function, certain) for atoms in info.tensor_work))
        changed = True
        while changed:
            changed = False
            for function in reached:
                if result[function]:
                    continue
                # Functions passed as values (strategy.run(step), tf.map_fn(fn, x)) run as part of the call.
                if any(result.get(t.function, known.get(t.function)) for _, targets in graph.get(function, [])
                       for t in targets):
                    result[function] = changed = True
        known.update(result)

    def _operand_computes(self, atoms: set[str], function: FunctionId, certain: bool) -> bool:
        kinds = self._kinds(atoms, function)
        if TENSOR in kinds:
            return True
        if certain:
            return False
        if OPAQUE in atoms:
            return True  # `self._fn(x)`: a function kept in an attribute may well compute on tensors
        facts = self.of(function)
        if any(is_array(kind) for atom in atoms if is_param(atom) for kind in facts.kinds.get(param_of(atom), ())):
            return True  # NumPy arguments: NumPy work in eager code, tensor work in a graph
        for atom in atoms:
            if is_param(atom) and not facts.kinds.get(param_of(atom)):
                return True  # nothing known about what this parameter receives
            ref = call_result_of(atom)
            if ref is not None and not self.project.resolve_ref(ref):
                external = self._external_callee(ref)
                if external is None:
                    return True  # an unresolved call might be a model or layer
                if self.kb.is_tensor_computation(external) or self._instance_call_computes(ref) \
                        or self._tensorflow_object_method(external):
                    return True
                if external.split(".")[0] not in _KNOWN_NON_TENSOR_MODULES:
                    return True  # a library we know nothing about may well compute on tensors
        return False

    def _tensorflow_object_method(self, dotted: str) -> bool:
        """``ema.apply(vs)`` on a ``tf.train.ExponentialMovingAverage``: a method of a TensorFlow class's
        object, which may well run ops on the variables it keeps (not certain: not every method does)."""
        owner, _, method = dotted.rpartition(".")
        return self.kb.is_tensorflow(owner) and owner.rpartition(".")[2][:1].isupper() \
            and not method.startswith("_") and method != "__call__"

    # -- fixpoint -----------------------------------------------------------

    def _seed(self, facts: dict[FunctionId, ParameterFacts]) -> None:
        for function in facts:
            info = self.project.function(function)
            for param in info.tensor_hints if info else []:
                self._add(facts[function], param, {TENSOR}, Evidence("has a tensor type hint or input_signature"))

        for summary in self.project.summaries.values():
            for entry in summary.graph_entries:
                if not entry.via.startswith((TF_DATA, "tf.map_fn", "tf.vectorized_map")):
                    continue
                for target in self.project.resolve_ref(entry.ref):
                    info = self.project.function(target.function)
                    params = _value_params(info, target)
                    for param in params:
                        self._add(facts.setdefault(target.function, ParameterFacts()), param, {TENSOR},
                                  Evidence(f"elements of {entry.via}", summary.module, entry.loc[0]))

    def _round(self, facts: dict[FunctionId, ParameterFacts], dirty: set[FunctionId | None]) -> set[FunctionId | None]:
        """Re-evaluate the functions whose inputs changed; returns those to revisit next round.

        A function's returns and outgoing arguments depend on its own parameters' facts, on what
        its callees return and on module globals; so a change in a function's facts revisits it,
        a change in its returns revisits its callers, and (rarely) every user of a global.
        """
        project = self.project
        ordered = [function for function in project.call_graph if function in dirty]  # deterministic evidence
        if None in dirty:
            ordered.append(None)
        returns_changed: list[FunctionId] = []
        for function in ordered:
            info = project.function(function) if function is not None else None
            if info is None:
                continue
            kinds = self._kinds(set(info.returns), function)
            if kinds != self._returns.get(function, set()):  # recomputed, not accumulated: `x * 2` is
                self._returns[function] = kinds  # a literal only until `x` turns out to be a tensor
                returns_changed.append(function)
        revisit: set[FunctionId | None] = set()
        for caller, site in self._sites_of(ordered):
            for ref in site.callees:
                for target in project.resolve_ref(ref):
                    if self._bind_site(facts, caller, site, target):
                        revisit.add(target.function)
        if returns_changed:
            readers = self._readers
            for function in returns_changed:
                revisit |= readers.get(function, set())
            revisit |= readers.get(None, set())
        return revisit

    @cached_property
    def _readers(self) -> dict[FunctionId | None, set[FunctionId | None]]:
        """Function → the functions whose values use what it returns (None: module top levels).

        Key None lists the readers of module globals, whose values may use any function's returns.
        """
        readers: dict[FunctionId | None, set[FunctionId | None]] = {None: {None}}

        def read(reader: FunctionId | None, atoms) -> None:
            for atom in atoms:
                if global_of(atom) is not None:
                    readers[None].add(reader)
                elif is_call_result(atom):
                    for target in self.project.resolve_ref(call_result_of(atom)):
                        readers.setdefault(target.function, set()).add(reader)

        for function, edges in self.project.call_graph.items():
            info = self.project.function(function)
            arguments = (atom for site, _ in edges for atom in _argument_atoms(site))
            read(function, {*(info.returns if info else ()), *arguments})
        for summary in self.project.summaries.values():
            read(None, {atom for site in summary.module_calls for atom in _argument_atoms(site)})
        return readers

    def _sites_of(self, functions: list[FunctionId | None]):
        graph = self.project.call_graph
        for function in functions:
            if function is None:
                for summary in self.project.summaries.values():
                    for site in summary.module_calls:
                        if not site.passed:
                            yield (summary.module, "<module>"), site
                continue
            for site, _ in graph.get(function, []):
                if not site.passed:
                    yield function, site

    def _bind_site(self, facts, caller: FunctionId, site: CallSite, target: Target) -> bool:
        info = self.project.function(target.function)
        if info is None:
            return False
        target_facts = facts.setdefault(target.function, ParameterFacts())
        passed: dict[str, tuple[set[str], list[str]]] = {}  # several for one `*args` parameter
        unpacked: set[str] = set()
        for param, where, atoms in _bindings(info, target, site):
            kinds, all_atoms = passed.setdefault(param, (set(), []))
            kinds |= self._kinds(set(atoms), caller)
            all_atoms.extend(atoms)
            if where in site.unpacked_args:
                unpacked.add(param)
        changed = False
        for param, (kinds, atoms) in passed.items():
            if kinds:
                evidence = Evidence(_describe(kinds, atoms), caller[0], site.loc[0], caller, site)
                changed |= self._add(target_facts, param, kinds, evidence, source=(caller, id(site)),
                                     unpacked=param in unpacked)
        return changed

    def _add(self, facts: ParameterFacts, param: str, kinds: set[str], evidence: Evidence,
             source: object = None, unpacked: bool = False) -> bool:
        """Record what one source passes as ``param``; returns whether the parameter's kinds changed.

        A call site's latest kinds replace its earlier ones, since they are recomputed each round:
        ``x * 2`` passes a literal only until ``x`` turns out to be a tensor. Hints (no source)
        only add.
        """
        sources = facts.sources.setdefault(param, {})
        key = source if source is not None else ("hint", evidence.description)
        sources[key] = set(kinds) if source is not None else sources.get(key, set()) | kinds
        known = set().union(*sources.values())
        changed = known != facts.kinds.get(param, set())
        facts.kinds[param] = known
        if TENSOR in kinds:
            facts.tensors.setdefault(param, evidence)
        if VARYING_SHAPE in kinds:
            facts.varying_shapes.setdefault(param, evidence)
        if any(is_array(kind) for kind in kinds):
            facts.arrays.setdefault(param, evidence)
        if evidence.site is not None:
            listed = [known_evidence for known_evidence in facts.literals.get(param, [])
                      if known_evidence.site is not evidence.site]
            if LITERAL in kinds:
                # a container holds both; a plain value is one or the other, we cannot tell which; so is
                # one element of a structure unpacked without knowing which (`x, _ = prepare(x, None)`)
                computed = TENSOR in kinds or any(is_array(kind) for kind in kinds)
                listed.append(replace(evidence, maybe_tensor=computed and (CONTAINER not in kinds or unpacked)))
            facts.literals[param] = listed
        return changed

    # -- evaluating atoms ---------------------------------------------------

    def _kinds(self, atoms: set[str], context: FunctionId, depth: int = 0) -> set[str]:
        """Base kinds (T, L, S, C, K, arrays) an abstract value may have, in ``context``."""
        kinds: set[str] = set()
        for atom in atoms:
            if atom in (TENSOR, LITERAL, VARYING_SHAPE, CONTAINER, SYMBOLIC):
                kinds.add(atom)
            elif (param := param_of(atom)) is not None:
                facts = self.facts_in_progress(context)
                kinds |= facts.kinds.get(param, set()) - {CONTAINER} if facts else set()
            elif (ref := call_result_of(atom)) is not None:
                kinds |= self._call_kinds(ref)
            elif (dotted := global_of(atom)) is not None and depth < 5:
                kinds |= self._global_kinds(dotted, depth)
            elif (inner := symbolic_of(atom)) is not None and SYMBOLIC in self._kinds({inner}, context, depth + 1):
                kinds.add(SYMBOLIC)
            elif is_array(atom):
                kinds.add(atom)
        if ARITHMETIC in atoms and TENSOR in kinds:
            kinds -= {LITERAL, *(kind for kind in kinds if is_array(kind))}  # tensor * literal is a tensor
        return kinds

    def kinds(self, atoms: set[str], context: FunctionId) -> set[str]:
        """Base kinds (T, L, S, C) an abstract value may have in ``context``, once inference is done."""
        self.facts  # noqa: B018
        return self._kinds(atoms, context)

    def facts_in_progress(self, function: FunctionId) -> ParameterFacts | None:
        return getattr(self, "_progress", {}).get(function)

    def _call_kinds(self, ref: str) -> set[str]:
        targets = self.project.resolve_ref(ref)
        if targets:
            kinds: set[str] = set()
            for target in targets:
                if target.binding != "constructor":
                    kinds |= self._returns.get(target.function, set())
            return kinds
        external = self._external_callee(ref)
        if external is not None and (self.kb.produces_tensor(external) or self._instance_call_computes(ref)):
            return {TENSOR}
        return set()

    def _external_callee(self, ref: str) -> str | None:
        parsed = parse(ref)
        if isinstance(parsed, NameRef):
            symbol = self.project.resolve_symbol(parsed.dotted)
            if symbol is not None and symbol.kind == "external":
                return symbol.dotted
            if symbol is not None and symbol.kind == "instance" and symbol.dotted:
                return symbol.dotted + ".__call__"
            return None
        if isinstance(parsed, InstanceRef):
            dotted = self._external_type(parsed.typeref)
            return f"{dotted}.{parsed.method}" if dotted else None
        if isinstance(parsed, (AttrRef, MethodRef)):
            attribute = parsed.attribute if isinstance(parsed, AttrRef) else parsed.name
            typeref = self.project.attribute_type(parsed.owner, attribute)
            dotted = self._external_type(typeref) if typeref else None
            method = parsed.method if isinstance(parsed, AttrRef) else "__call__"
            return f"{dotted}.{method}" if dotted else None
        return None

    def _external_type(self, typeref: str) -> str | None:
        dotted = name_of(typeref)
        if dotted is None:
            return None
        symbol = self.project.resolve_symbol(dotted)
        return symbol.dotted if symbol is not None and symbol.kind == "external" else None

    def _instance_call_computes(self, ref: str) -> bool:
        """``layer(x)`` on a Keras layer/model instance (external class) computes tensors."""
        external = self._external_callee(ref)
        if external is None or not external.endswith(".__call__"):
            return False
        return self.kb.instances_compute_tensors(external[: -len(".__call__")])

    def _global_kinds(self, dotted: str, depth: int) -> set[str]:
        module, _, name = dotted.rpartition(".")
        summary = self.project.summaries.get(module)
        if summary is None or name not in summary.values:
            return set()
        return self._kinds(set(summary.values[name]), (module, "<module>"), depth + 1)


def _argument_atoms(site: CallSite):
    """Every atom of every argument of a call site, positional and keyword."""
    for value in (*site.arg_values, *site.keyword_values.values()):
        yield from value


def _value_params(info: FunctionSummary | None, target: Target) -> list[str]:
    return value_parameters(info, target.binding) if info is not None else []


def _bindings(info: FunctionSummary, target: Target, site: CallSite):
    """(parameter, where, abstract value) of a call site's arguments (keywords only for named parameters)."""
    for param, where, atoms in call_arguments(info, target, site):
        if isinstance(where, int) or param in info.params:
            yield param, where, atoms


def _describe(kinds: set[str], atoms: list[str]) -> str:
    dtypes = sorted(array_dtype(kind) for kind in kinds if is_array(kind))
    if dtypes and TENSOR not in kinds:
        return f"receives {'an' if dtypes[0].startswith('int') else 'a'} {dtypes[0]} NumPy array" \
            if dtypes != ["?"] and len(set(dtypes)) == 1 else \
            "receives a NumPy array"
    if SYMBOLIC in kinds:
        return "receives a Keras symbolic tensor or a TensorSpec"
    if TENSOR in kinds and LITERAL in kinds:
        return "receives a container of tensors and Python literals" if CONTAINER in kinds else \
            "receives a tensor or a Python literal"
    if TENSOR in kinds:
        return "receives a tensor"
    if LITERAL in kinds:
        return "receives a Python int from `range()`" if RANGE in atoms else "receives a Python literal"
    return "receives a value"
