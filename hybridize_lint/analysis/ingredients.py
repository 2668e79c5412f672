"""What keeps a function eager whoever calls it: its Python side effect, recursion, eager-only constructs.

The ingredients of a verdict that do not depend on the decision asked: a hybrid function keeps its
decorator and an eager one stays eager for the same side effect; recursion is read off the call
graph's strongly connected components; blockers are eager-only constructs in the function or in
anything it calls, with the conditions under which each applies.
"""

from __future__ import annotations

from functools import cached_property

from .dtypes import is_array
from .project import FunctionId, ProjectModel, call_arguments
from .symbols import nested_in
from .refs import NameRef, name_of
from .side_effects import SideEffectAnalysis, Witness, is_hazard
from .summary import Blocker, EffectKind, FunctionSummary
from .tensors import TensorInference
from .values import (CONTAINER, SYMBOLIC, TENSOR, call_result_of, global_of, is_call_result, is_condition_atom,
                     is_param, keras_method_of, made_object_of, param_of)

# Blocker atoms that are conditions decided here, and markers (see ``Blocker.atoms``).
_SUMMARIES_ONLY = "summaries-only"
_NUMPY_CALL = "numpy-call"
_MARKERS = frozenset({"as-entry", "python-str", _NUMPY_CALL})
_RESULT_DEPTH = 3  # helpers followed through `return helper(...)` to the object a builder returns
_CANNOT_RETURN = "a tf.function may return only tensors, ExtensionTypes, namedtuples and None (TypeError)"


class VerdictIngredients:
    """Side effects, recursion and blockers of the project's functions, over the whole-project analyses."""

    def __init__(self, project: ProjectModel, tensors: TensorInference, side_effects: SideEffectAnalysis):
        self.project = project
        self.tensors = tensors
        self.side_effects = side_effects

    @cached_property
    def recursive(self) -> set[FunctionId]:
        """Functions that call themselves, directly or through others (passing itself as a value is no self-call)."""
        graph = self.project.call_graph
        found: set[FunctionId] = set()
        for component in self.project.components:
            if len(component) > 1:
                found.update(component)
            elif any(t.function == component[0] for site, ts in graph.get(component[0], []) if not site.passed
                     for t in ts):
                found.add(component[0])
        return found

    def side_effect(self, function: FunctionId) -> Witness | None:
        """The first Python side effect that would change behaviour under tf.function (None: there is none)."""
        analysis = self.side_effects
        effects = analysis.of(function)
        if effects.always and is_hazard(effects.always):
            return effects.always
        info = self.project.function(function)
        fresh = info.params[0] if info and info.class_name and function[1].endswith(".__init__") and info.params \
            else None  # a constructor's self is the object being made
        for param, witness in effects.on_params.items():
            if param != fresh:
                return witness
        for witness in effects.on_closures.values():
            return witness
        for witness in effects.on_flags.values():  # what its callers pass for the flag is not asked
            if is_hazard(witness):
                return witness
        for param, witness in effects.on_iterator_params.items():
            if analysis.receives_python_iterator(function, param):
                return witness
        return None

    def blockers(self, function: FunctionId, info: FunctionSummary) -> list[Blocker]:
        """Eager-only constructs in the function or anything it calls."""
        found: list[Blocker] = []
        for blocker in info.blockers:
            if self._blocker_applies(blocker, function):
                found.append(blocker)
        found.extend(self._symbolic_parameters(function, info))
        found.extend(self._built_results(function, info))
        for error in info.errors:
            found.append(Blocker(f"`{error.what}` fails in graph mode" if error.kind == EffectKind.EAGER_ONLY_CALL
                                 else "creates a tf.Variable on every call", error.loc))
        for site, targets in self.project.call_graph.get(function, []):
            for target in targets:
                callee = self.project.function(target.function)
                # a function nested in this one and passed on (to `tf.nest.map_structure` or the like) runs here
                if callee is None or target.function == function \
                        or site.passed and not nested_in(target.function, function):
                    continue
                if callee.errors or any(self._blocker_applies(b, target.function) for b in callee.blockers
                                        if "as-entry" not in b.atoms):
                    found.append(Blocker(f"calls `{target.function[1]}`, which cannot run in graph mode", site.loc))
                    break
        return found

    def _symbolic_parameters(self, function: FunctionId, info: FunctionSummary) -> list[Blocker]:
        """Parameters receiving ``keras.Input`` or ``tf.TensorSpec``: the function builds, it does not compute."""
        return [Blocker(f"parameter `{param}` receives a Keras symbolic tensor or a TensorSpec: model-building "
                        "code, not computation (a tf.function rejects symbolic tensors)",
                        (info.lineno, 0, info.lineno, 0))
                for param, kinds in self.tensors.of(function).kinds.items() if SYMBOLIC in kinds]

    def _built_results(self, function: FunctionId, info: FunctionSummary) -> list[Blocker]:
        """A builder of objects, not a computation: it makes the inputs of a Keras functional model (itself or
        through a helper), or returns what a helper returns, a plain object (a tf.function can return neither)."""
        found, where = [], (info.lineno, 0, info.lineno, 0)
        maker = self._model_builders.get(function)
        if maker is not None:
            how = "" if maker == function else f" (through `{maker[1]}`)"
            found.append(Blocker(f"builds a Keras functional model{how}: it makes `keras.Input`s and calls layers on "
                                 "KerasTensors, model construction rather than computation", where))
        made = self._returned_object(function, info)
        if made is not None:
            found.append(Blocker(f"returns what `{made[0][1]}` returns, a `{made[1]}` object: {_CANNOT_RETURN}",
                                 where, ["as-entry"]))
        return found

    @cached_property
    def _model_builders(self) -> dict[FunctionId, FunctionId]:
        """Function → a function it runs (itself, maybe) that calls ``keras.Input``: callers of such are found
        once for the project, walking the call graph backwards."""
        inputs = {str(NameRef(name)) for name in self.project.knowledge.model_inputs}
        found = {(summary.module, qualname): (summary.module, qualname) for summary in self.project.summaries.values()
                 for qualname, info in summary.functions.items()
                 if any(ref in inputs for site in info.calls for ref in site.callees)}
        stack = sorted(found)
        while stack:
            callee = stack.pop()
            for caller, _ in self.project.callers.get(callee, []):
                if caller is not None and caller not in found:
                    found[caller] = found[callee]
                    stack.append(caller)
        return found

    def _returned_object(self, function: FunctionId, info: FunctionSummary,
                         depth: int = 0) -> tuple[FunctionId, str] | None:
        """(the helper, the class) when ``function`` returns a helper's result that is a plain object it makes
        (``return self.fully_random_weight_set(mother)``, which ends ``return Individual(...)``)."""
        for atom in info.returns:
            ref = call_result_of(atom)
            targets = self.project.resolve_ref(ref) if ref is not None and depth < _RESULT_DEPTH else []
            for target in targets:
                callee = self.project.function(target.function)
                if callee is None or target.function == function:
                    continue
                made = next((m for b in callee.blockers for m in map(made_object_of, b.atoms)
                             if m is not None and self._blocker_applies(b, target.function)), None)
                if made is not None:
                    return target.function, (name_of(made) or made).rsplit(".", 1)[-1]
                deeper = self._returned_object(target.function, callee, depth + 1)
                if deeper is not None:
                    return deeper
        return None

    def _blocker_applies(self, blocker: Blocker, function: FunctionId) -> bool:
        atoms = [a for a in blocker.atoms if not is_condition_atom(a) and a != _SUMMARIES_ONLY and a not in _MARKERS]
        keras_method = next((m for m in map(keras_method_of, blocker.atoms) if m is not None), None)
        if keras_method is not None:
            return not self._user_class_defines(atoms, keras_method, function)
        made = next((m for m in map(made_object_of, blocker.atoms) if m is not None), None)
        if made is not None:
            return self._makes_plain_object(made)
        if _SUMMARIES_ONLY in blocker.atoms:
            return self._writes_only_summaries(function)
        if not atoms:
            return True
        facts = self.tensors.of(function)
        for atom in atoms:
            if is_param(atom):  # NumPy arguments are tensors once the function is a graph
                kinds = facts.kinds.get(param_of(atom), set())
                if (TENSOR in kinds or any(is_array(kind) for kind in kinds)) and CONTAINER not in kinds:
                    return True
                if not kinds and _NUMPY_CALL in blocker.atoms and not self.project.policy.every_function:
                    return True  # NumPy on what callers pass, nothing known of it: a batch is a tensor once traced
            elif TENSOR in self.tensors.kinds({atom}, function):
                return True
        return False

    def _writes_only_summaries(self, function: FunctionId, seen: frozenset = frozenset()) -> bool:
        """No callee does anything but write summaries itself (a training step that logs does more)."""
        for site, targets in self.project.call_graph.get(function, []):
            for target in targets:
                callee = self.project.function(target.function)
                if callee is None or target.function in seen or target.function == function:
                    continue
                if not any(_SUMMARIES_ONLY in b.atoms for b in callee.blockers) or \
                        not self._writes_only_summaries(target.function, seen | {function}):
                    return False
        return True

    def _makes_plain_object(self, ref: str) -> bool:
        """Whether calling ``ref`` surely makes an object a tf.function cannot return (not a namedtuple,
        an ExtensionType, an attrs class or anything the analysis cannot see through)."""
        project, kb = self.project, self.project.knowledge
        dotted = name_of(ref)
        symbol = project.resolve_symbol(dotted) if dotted is not None else None
        if symbol is None or symbol.kind not in ("class", "external"):
            return False
        if symbol.kind == "external":
            return symbol.dotted in kb.non_tensor_types
        for klass in project.mro((symbol.module, symbol.qualname)):
            if isinstance(klass, str):
                if klass not in kb.plain_bases:
                    return False
                continue
            info = project.class_info(klass)
            if info is None or info.unnamed_bases or len(project.bases(klass)) != len(info.bases):
                return False
            if any(name is None or name not in kb.plain_class_decorators for name in project.decorator_names(info)):
                return False
        return True

    def _user_class_defines(self, atoms: list[str], method: str, function: FunctionId) -> bool:
        """``e.predict(x)`` where ``e`` is an instance of a project class with its own ``predict``."""
        classes = self._receiver_classes(atoms, function)
        return bool(classes) and all(self.project.lookup_method(cls, method) is not None
                                     and not self.project.is_keras_model(cls) for cls in classes)

    def _receiver_classes(self, atoms: list[str], function: FunctionId) -> list:
        """Project classes of the receiver's possible values; empty when any value is not one."""
        values = []
        for atom in atoms:
            if is_call_result(atom):
                values.append(atom)
            elif is_param(atom):
                values.extend(self._argument_values(function, param_of(atom)))
        classes = [self.project.class_of_value(value) for value in values]
        return [] if None in classes else classes

    def _argument_values(self, function: FunctionId, param: str) -> list[str]:
        """Abstract values callers pass positionally as ``param`` that may name an object (``Estimator()``)."""
        values: list[str] = []
        info = self.project.function(function)
        for _, site in self.project.callers.get(function, []):
            for target in (t for ref in site.callees for t in self.project.resolve_ref(ref)):
                if target.function != function or info is None:
                    continue
                values.extend(atom for name, where, atoms in call_arguments(info, target, site)
                              if name == param and isinstance(where, int)
                              for atom in atoms if is_call_result(atom) or global_of(atom) is not None)
        return values
