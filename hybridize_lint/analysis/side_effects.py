"""Interprocedural side-effect (mod/ref) analysis over the call graph.

Summaries are combined bottom-up over strongly connected components: a
function has the side effects it performs itself plus those of its callees.
An effect on a parameter's object (``param:x``) counts for the caller only if
the argument it passed is not local to the caller; an effect on a variable of
an enclosing function (``closure:x``) is resolved by that function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from .project import ClassId, FunctionId, ProjectModel, Target, call_arguments
from .symbols import nested_in
from .refs import InstanceRef, NameRef, parse
from .statement_walk import within
from .summary import (CAPTURED, CLOSURE, ITERPARAM, LOCAL, PARAM, CallSite, Effect, EffectKind, FunctionSummary,
                      Locality)
from .values import OPAQUE, TENSOR, call_result_of, is_call_result


@dataclass(frozen=True)
class Witness:
    """One effect and the call chain that reaches it, for messages."""

    chain: tuple[str, ...]  # qualnames from the function that has it to the one performing it
    effect: Effect

    def through(self, qualname: str) -> "Witness":
        return Witness((qualname, *self.chain), self.effect)

    def describe(self) -> str:
        return " → ".join((*self.chain, _short(self.effect)))


def _replaces(known: Witness | None, new: Witness) -> bool:
    """Whether ``new`` becomes the witness of a function's unconditional effects: the first one is
    kept unless a stronger kind comes, a real effect over a log line, a log line over a diagnostic
    (neither of which is a hazard everywhere; see :func:`is_hazard`)."""
    return known is None or _weakness(new.effect) < _weakness(known.effect)


def _weakness(effect: Effect) -> int:
    return 2 if effect.diagnostic else 1 if effect.log_line else 0


def is_hazard(witness: Witness) -> bool:
    """Whether an effect reached through ``witness`` runs less often under a trace in a way that
    matters: not a diagnostic log line, and not a log line without tensors in a helper (it tells
    about trace-time facts; the function's own log lines are the developer's)."""
    effect = witness.effect
    return not (effect.diagnostic or (effect.log_line and witness.chain))


@dataclass
class TransitiveEffects:
    always: Witness | None = None
    on_params: dict[str, Witness] = field(default_factory=dict)
    on_closures: dict[str, Witness] = field(default_factory=dict)
    on_iterator_params: dict[str, Witness] = field(default_factory=dict)
    # Effects that run only when a flag parameter is true (``if verbose: print(...)``), by that parameter.
    on_flags: dict[str, Witness] = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.always is not None, tuple(sorted(self.on_params)), tuple(sorted(self.on_closures)),
                tuple(sorted(self.on_iterator_params)), tuple(sorted(self.on_flags)))


class SideEffectAnalysis:
    def __init__(self, project: ProjectModel):
        self.project = project
        self._specialised: dict[tuple[FunctionId, ClassId], TransitiveEffects] = {}
        self._read_in_the_trace: dict[tuple[FunctionId, str], bool] = {}  # see is_scratch

    @cached_property
    def effects(self) -> dict[FunctionId, TransitiveEffects]:
        results: dict[FunctionId, TransitiveEffects] = {}
        for component in self.project.components:
            for function in component:
                results[function] = self._own(function)
            changed = True
            pending = frozenset(component)
            while changed:  # a fixpoint inside recursive components; effects only grow
                changed = False
                for function in component:
                    before = results[function].key()
                    self._add_callees(function, results, pending)
                    changed |= results[function].key() != before
        return results

    @cached_property
    def _method_names(self) -> frozenset[str]:
        """Names of the methods of project classes."""
        names: set[str] = set()
        for summary in self.project.summaries.values():
            for info in summary.classes.values():
                names.update(info.methods)
        return frozenset(names)

    def counts(self, effect: Effect) -> bool:
        """A mutation known only by its method's name is none when some class in play has that method."""
        return effect.by_name is None or effect.by_name not in self._method_names

    def matters(self, function: FunctionId, effect: Effect) -> bool:
        """An effect of ``function`` that can outlive its call: not a mutation known only by a
        method name some class has, not scratch state."""
        return self.counts(effect) and not self.is_scratch(function, effect) \
            and not self._fixed_for_good(function, effect)

    def _fixed_for_good(self, function: FunctionId, effect: Effect) -> bool:
        """``self._ready = True`` or ``self._keys = sorted(x.keys())`` in graph code, when no other code of
        the project but set-up (``__init__``, ``build``) writes ``self._ready``: the trace writes what every
        call of that trace would write, and nothing changes it in between, so the object ends as eager
        calls leave it. Private attributes only: users may set a public one (``model.training = False``)
        between calls, which the graph would not undo; so would another method, which stays a finding."""
        name = effect.self_attribute
        if not effect.fixed_per_trace or name is None or not name.startswith("_"):
            return False
        setup = self.project.knowledge.construction_methods
        return all(other[1].rsplit(".", 1)[-1] in setup
                   for other in self.project.self_attribute_writers.get(name, set()) - {function})

    def is_scratch(self, function: FunctionId, effect: Effect) -> bool:
        """``self._reward = ...`` written before the function reads ``self._reward``, when nothing sees it
        after the call. Another object's attribute: only the writer reads it. Its own: every other code
        of the project that reads an attribute of that name (a method of the class or its relatives, or
        ``x._reward`` anywhere) runs only inside this call's trace, after the write (a helper it calls,
        say); or nothing reads it at all and no framework base class may (a dead store). Each trace
        then writes what its own later reads need."""
        name = effect.scratch_attribute
        info = self.project.function(function)
        if name is None or info is None or info.class_name is None:
            return False
        project = self.project
        mine = (function[0], info.class_name)
        readers = set(project.attribute_readers.get(name, set())) | {
            reader for reader in project.self_attribute_readers.get(name, set())
            if (other := project.function(reader)) is None or other.class_name is None
            or project.related_classes(mine, (reader[0], other.class_name))}
        if effect.self_attribute != name:  # another object's attribute: only the writer's own later reads
            return readers == {function}
        if not readers:  # a dead store, unless code not seen may read it (the paper's every-function mode: may)
            return not project.policy.every_function and not self._framework_may_read(mine, effect)
        readers.discard(function)
        key = (function, name)
        if key not in self._read_in_the_trace:  # asked for each effect at each call: the walks are long
            writes = [other for other in (*info.effects, *info.tensor_parks)
                      if other.scratch_attribute == name and other.self_attribute == name]
            self._read_in_the_trace[key] = all(
                self._read_later_in_the_trace(function, reader, writes) for reader in readers) \
                or self._read_after_the_call(function, readers, writes)
        return self._read_in_the_trace[key]

    def _read_after_the_call(self, writer: FunctionId, readers: set[FunctionId], writes: list[Effect]) -> bool:
        """Every caller of ``writer`` in graph code runs the readers in its own trace after calling it
        (``cache = self.build_cache(x)`` sets a flag, then the decode loop the caller runs next reads it),
        and every call of ``writer`` writes (outside any ``if`` or loop): each trace's reads follow the
        write of that trace, as each eager call's do. An eager caller's call writes every time."""
        graph_code = self.project.graph_functions
        callers = [(caller, site) for caller, site in self.project.callers.get(writer, [])
                   if caller is None or caller in graph_code]
        if not callers or writer in self.project.graph_roots or all(write.blocks for write in writes):
            return False
        return all(caller is not None and caller != writer and caller not in readers and not site.passed
                   and all(self._read_later_in_the_trace(caller, reader, [site]) for reader in readers)
                   for caller, site in callers)

    def _framework_may_read(self, cls: ClassId, write: Effect) -> bool:
        """A base class outside the project (a Keras ``Model`` reading ``stop_training``), or one not
        resolved, may read the attribute: any attribute but a public one the frameworks do not know
        (``read_attributes`` in rules/api/tensorflow.toml) holding a fact of the trace's inputs (a shape),
        which holds no variable or layer a framework would collect from it either."""
        name = write.self_attribute or ""
        if write.structure_fact and not name.startswith("_") \
                and name not in self.project.knowledge.framework_read_attributes:
            return False
        for klass in self.project.mro(cls):
            if isinstance(klass, str):
                return True
            info = self.project.class_info(klass)
            if info is None or len(self.project.bases(klass)) < len(info.bases):
                return True
        return False

    def _read_later_in_the_trace(self, writer: FunctionId, reader: FunctionId,
                                 writes: list[Effect] | list[CallSite]) -> bool:
        """``reader`` runs only inside ``writer``'s call, after a write: the writer reaches it without
        entering another graph (a nested tf.function has traces of its own), every caller of it up to
        the writer is reached that way too, and each of the writer's calls on the way comes after one of
        ``writes``, in its arms when it is under an ``if`` or in a loop (under a tensor condition a trace
        writes what only some calls would: a read after the ``if`` may see a value no eager call left)."""
        inside = self._inside_the_call(writer)

        def after_a_write(site: CallSite) -> bool:
            return any(site.loc[:2] > write.loc[:2] and within(site.blocks, write.blocks) for write in writes)
        return reader in inside and self.project.callers_lead_to(
            reader, lambda function: function == writer,
            lambda caller, site: caller in inside and (caller != writer or after_a_write(site)))

    def _inside_the_call(self, function: FunctionId) -> set[FunctionId]:
        """What a call of ``function`` runs in the same trace: what it reaches, other graphs not entered."""
        found = self._inside.get(function)
        if found is None:
            roots = self.project.graph_roots
            found = self._inside[function] = self.project.reachable(
                [function], stop=lambda reached: reached != function and reached in roots)
        return found

    @cached_property
    def _inside(self) -> dict[FunctionId, set[FunctionId]]:
        return {}

    def of(self, function: FunctionId) -> TransitiveEffects:
        return self.effects.get(function, TransitiveEffects())

    def call_effect(self, caller: FunctionId, site: CallSite, targets: list[Target],
                    is_external: Callable[[str, Effect], bool]) -> Witness | None:
        """A side effect a call performs, as seen from ``caller``.

        ``is_external(locality, effect)`` decides whether an effect on the
        caller's ``param:NAME`` / ``closure:NAME`` object escapes the caller.
        """
        caller_info = self.project.function(caller)
        if site.guarded:
            return None
        for target in targets:
            callee = self._callee_effects(target, self.effects) or TransitiveEffects()
            qualname = target.function[1]
            if callee.always and is_hazard(callee.always.through(qualname)) \
                    and not (site.diagnostic_log and self._logs(callee.always.effect)):
                return callee.always.through(qualname)
            for param, witness in callee.on_params.items():
                if self._parks_a_tensor(target, site, witness):
                    continue
                locality = _argument_locality(self.project, target, site, param)
                if locality == CAPTURED or (locality != LOCAL and is_external(locality, witness.effect)):
                    return witness.through(qualname)
            for param, witness in callee.on_iterator_params.items():
                if passes_python_iterator(self.project, target, site, param):
                    return witness.through(qualname)
            for param, witness in callee.on_flags.items():
                if flag_argument(self.project, target, site, param) is not OFF and is_hazard(witness.through(qualname)):
                    return witness.through(qualname)
            for name, witness in callee.on_closures.items():
                if caller_info and nested_in(target.function, caller):
                    locality = _closure_locality(caller_info.params, caller_info.local_localities, name)
                    if locality == CAPTURED or (locality != LOCAL and is_external(locality, witness.effect)):
                        return witness.through(qualname)
        return None

    def _logs(self, effect: Effect) -> bool:
        """A log line (``absl.logging.info``, ``logger.warning``, or a ``print``, which TF-DF's wrapper does
        besides logging, to be seen in notebooks): what a project's logging wrapper does."""
        return effect.kind == EffectKind.PRINT or (
            effect.kind == EffectKind.IO and effect.what.rsplit(".", 1)[-1] in self.project.knowledge.log_methods)

    def _parks_a_tensor(self, target: Target, site: CallSite, witness: Witness) -> bool:
        """A setter (``self.state = state``) called with a tensor: the object holds a tensor of the
        trace for the rest of it, recomputed by the graph on every call (not a skipped effect)."""
        stored, info = witness.effect.stored_param, self.project.function(target.function)
        if stored is None or witness.chain or info is None:
            return False
        atoms = next((atoms for param, _, atoms in call_arguments(info, target, site) if param == stored), [])
        if TENSOR in atoms or OPAQUE in atoms:  # an unnamed call's result in graph code: likely a tensor
            return True
        return any(TENSOR in (callee.returns if callee else ())
                   for atom in atoms if is_call_result(atom)
                   for callee in map(self.project.function,
                                     (t.function for t in self.project.resolve_ref(call_result_of(atom)))))

    def receives_python_iterator(self, function: FunctionId, param: str) -> bool:
        """Some caller passes a Python iterator as ``param`` (``next()`` on it is then a side effect)."""
        for _, site in self.project.callers.get(function, []):
            for target in (t for ref in site.callees for t in self.project.resolve_ref(ref)):
                if target.function == function and passes_python_iterator(self.project, target, site, param):
                    return True
        return False

    def _memoized(self, info: FunctionSummary | None) -> bool:
        """``@functools.cache``: its effects happen once per distinct arguments, eager or traced."""
        memoizing = self.project.knowledge.memoizing_decorators
        return info is not None and any(_decorator_name(ref) in memoizing for ref in info.decorators)

    def _own(self, function: FunctionId) -> TransitiveEffects:
        info = self.project.function(function)
        result = TransitiveEffects()
        if self._memoized(info):
            return result
        for effect in info.effects if info else []:
            if not self.matters(function, effect):
                continue
            witness = Witness((), effect)
            if effect.target is None and effect.enabled_by:
                result.on_flags.setdefault(effect.enabled_by[0], witness)  # one flag off is enough: the first
            elif effect.target is None:
                if _replaces(result.always, witness):
                    result.always = witness
            else:
                where = Locality.parse(effect.target)
                if where.kind == PARAM:
                    result.on_params.setdefault(where.name, witness)
                elif where.kind == CLOSURE:
                    result.on_closures.setdefault(where.name, witness)
                elif where.kind == ITERPARAM:
                    result.on_iterator_params.setdefault(where.name, witness)
        return result

    def _add_callees(self, function: FunctionId, results: dict[FunctionId, TransitiveEffects],
                     pending: frozenset[FunctionId] = frozenset()) -> None:
        info = self.project.function(function)
        if self._memoized(info):
            return
        mine = results[function]
        in_tests = self.project.in_test_code(function)
        for site, targets in self.project.call_graph.get(function, []):
            if site.guarded:  # runs once ever, or only eagerly: as often as in eager code
                continue
            for target in targets:
                if not in_tests and self.project.in_test_code(target.function):
                    continue  # a test's fake overriding a library method: the test's business
                callee = self._callee_effects(target, results, pending)
                if callee is not None:
                    self._add_call(function, mine, site, target, callee)

    def _add_call(self, function: FunctionId, mine: TransitiveEffects, site: CallSite, target: Target,
                  callee: TransitiveEffects) -> None:
        """Add to ``function``'s effects (``mine``) those of one call of ``target`` at ``site``."""
        qualname = target.function[1]
        if callee.always and _replaces(mine.always, callee.always) \
                and not (site.diagnostic_log and self._logs(callee.always.effect)):
            mine.always = callee.always.through(qualname)
        for param, witness in callee.on_params.items():
            self._bind(mine, _argument_locality(self.project, target, site, param), witness.through(qualname))
        for param, witness in callee.on_iterator_params.items():
            if passes_python_iterator(self.project, target, site, param):
                mine.always = mine.always or witness.through(qualname)
            else:
                locality = _argument_locality(self.project, target, site, param)
                where = Locality.parse(locality)
                if where.kind == PARAM:
                    mine.on_iterator_params.setdefault(where.name, witness.through(qualname))
        info = self.project.function(function)
        for param, witness in callee.on_flags.items():
            passed = flag_argument(self.project, target, site, param)
            if passed is OFF:
                continue  # left at its false default: the effect does not run for this call
            if info is not None and passed in info.receiverless_params():
                mine.on_flags.setdefault(passed, witness.through(qualname))  # the caller's own flag passed on
            elif _replaces(mine.always, witness):
                mine.always = witness.through(qualname)
        if info is None:
            return
        for name, witness in callee.on_closures.items():
            if nested_in(target.function, function):
                locality = _closure_locality(info.params, info.local_localities, name)
                self._bind(mine, locality, witness.through(qualname))

    # -- receivers of a known class ----------------------------------------------

    def _callee_effects(self, target: Target, results: dict[FunctionId, TransitiveEffects],
                        pending: frozenset[FunctionId] = frozenset(),
                        active: frozenset[tuple[FunctionId, ClassId]] = frozenset()) -> TransitiveEffects | None:
        """The effects of a call of ``target``: when the call knows the receiver's class (``Sub()``),
        ``self.NAME()`` inside dispatches along that class's MRO only, not to sibling overrides.
        ``pending``: functions whose effects are still growing (recursion), used as they are."""
        general = results.get(target.function)
        cls = target.receiver_class
        if general is None or cls is None or target.function in pending or not self.project.calls_self(target.function):
            return general
        key = (target.function, cls)
        if key in self._specialised:
            return self._specialised[key]
        if key in active:  # recursion through self calls: the general effects cover it
            return general
        mine = self._own(target.function)
        for site, targets in self.project.calls_with_receiver(target.function, cls):
            if site.guarded:  # once ever or only eagerly, as in `_add_callees`
                continue
            for callee_target in targets:
                callee = self._callee_effects(callee_target, results, pending, active | {key})
                if callee is not None:
                    self._add_call(target.function, mine, site, callee_target, callee)
        self._specialised[key] = mine
        return mine

    @staticmethod
    def _bind(mine: TransitiveEffects, locality: str, witness: Witness) -> None:
        where = Locality.parse(locality)
        if where.kind == CAPTURED:
            mine.always = mine.always or witness
        elif where.kind == PARAM:
            mine.on_params.setdefault(where.name, witness)
        elif where.kind == CLOSURE:
            mine.on_closures.setdefault(where.name, witness)


@dataclass(frozen=True)
class BoundKeyword:
    """A keyword argument of a call site."""

    name: str


def bound_argument(project: ProjectModel, target: Target, site: CallSite,
                   param: str) -> int | str | BoundKeyword | None:
    """Which argument of ``site`` binds ``param``: a position, a keyword, "receiver", "fresh" or None."""
    info = project.function(target.function)
    if info is None or param not in info.params:
        return None
    index = info.params.index(param)
    if site.passed:  # called elsewhere with arguments we do not see; a bound method keeps its receiver
        return "receiver" if target.binding == "bound" and index == 0 else None
    if target.binding in ("bound", "constructor"):
        if index == 0:
            return "fresh" if target.binding == "constructor" else "receiver"
        index -= 1
    if param in site.keywords:
        return BoundKeyword(param)
    return index if index < len(site.args) else None


def _argument_locality(project: ProjectModel, target: Target, site: CallSite, param: str) -> str:
    """The locality, in the caller, of the argument bound to ``param`` of the callee."""
    bound = bound_argument(project, target, site, param)
    if isinstance(bound, int):
        return site.args[bound]
    if bound == "receiver":
        return site.receiver or LOCAL
    if isinstance(bound, BoundKeyword):
        return site.keywords[bound.name]
    return LOCAL


class _LeftOff:
    """What a call passes for a flag parameter it leaves at its false default (see :func:`flag_argument`)."""


OFF = _LeftOff()


def flag_argument(project: ProjectModel, target: Target, site: CallSite, param: str) -> str | _LeftOff | None:
    """What ``site`` passes for the flag parameter ``param`` of ``target``: ``OFF`` when it leaves it at a
    false default or passes a false constant, else the bare name it passes (None: another expression, or
    the default when it is true)."""
    info = project.function(target.function)
    if info is not None and param == info.keywords_param:  # ``**kwargs``: empty unless a keyword lands in it
        extra = [keyword for keyword in site.keywords if keyword not in info.params]
        return OFF if not extra and not site.splats and not site.passed else None
    bound = bound_argument(project, target, site, param)
    if bound is None:
        left_false = info is not None and param in info.flag_params
        return OFF if left_false and not site.splats and not site.passed else None
    if isinstance(bound, int):
        text, name = site.constant_text(bound), site.arg_names[bound] if bound < len(site.arg_names) else ""
    elif isinstance(bound, BoundKeyword):
        text, name = site.constant_text(bound.name), site.keyword_names.get(bound.name, "")
    else:
        return None
    return OFF if _false_constant(text) else name or None


def _false_constant(text: str | None) -> bool:
    """A constant written at a call that Python takes for false (``None``, ``False``, ``0``, ``0.0``, ``""``):
    the same test ``flag_parameters`` makes of a default."""
    try:
        return text is not None and not ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False


def passes_python_iterator(project: ProjectModel, target: Target, site: CallSite, param: str) -> bool:
    bound = bound_argument(project, target, site, param)
    return isinstance(bound, int) and bound in site.iterator_args


def _closure_locality(params: list[str], localities: dict[str, str], name: str) -> str:
    if name in params:
        return Locality.of_param(name)
    if name in localities:
        return localities[name]
    return Locality.of_closure(name)


def _short(effect: Effect) -> str:
    return effect.what.strip("`")


def _decorator_name(ref: str) -> str | None:
    """The dotted name a decorator reference names: ``@functools.cache`` or ``@functools.lru_cache()``."""
    parsed = parse(ref)
    if isinstance(parsed, InstanceRef) and parsed.method == "__call__":
        parsed = parse(parsed.typeref)
    return parsed.dotted if isinstance(parsed, NameRef) else None
