"""The paper's two refactorings as decisions, with the reasons in its terms.

- Convert Eager Function to Hybrid (P1 → HYB301): an eager function with a
  likely-tensor parameter, no parameter bound to Python literals, no Python
  side effects, not recursive — plus our own conditions: it computes on
  tensors and nothing in it is eager-only.
- Optimize Hybrid Function: P2 (HYB401) a hybrid function that does no tensor
  computation ("barren"), with or without tensor parameters (the research tool's
  later P6), unless its body is a placeholder stub taking tensors; P3 (HYB402) a hybrid function with tensor and
  literal parameters (each new literal retraces).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .project import FunctionId, ProjectModel, call_arguments
from .side_effects import Witness
from .signatures import array_signature, conversion_hazard
from .dtypes import is_array
from .summary import Blocker, FunctionSummary
from .tensors import Evidence, TensorInference
from .values import CONTAINER, TENSOR

HYBRIDIZE = "hybridize"
DEHYBRIDIZE_BARREN = "dehybridize-barren"
DEHYBRIDIZE_RETRACING = "dehybridize-retracing"
NONE = "none"
_NEVER_CONVERTED = frozenset({"__init__", "__new__", "__del__", "__enter__", "__exit__", "__repr__", "__str__",
                              "__eq__", "__hash__", "__getattr__", "__setattr__", "__len__", "__iter__", "__next__",
                              "build", "get_config", "from_config", "compute_output_shape"})


@dataclass
class Verdict:
    """The decision for one function and every reason behind it."""

    function: FunctionId
    hybrid: bool
    action: str = NONE
    reasons: list[str] = field(default_factory=list)  # why not (or, for an action, the evidence)
    tensor_params: dict[str, Evidence] = field(default_factory=dict)
    array_params: dict[str, Evidence] = field(default_factory=dict)  # receive NumPy arrays
    input_signature: tuple[tuple[str, int], ...] = ()  # (dtype, rank) per spec HYB301 adds for NumPy arguments
    literal_params: dict[str, list[Evidence]] = field(default_factory=dict)
    retracing_params: dict[str, list[Evidence]] = field(default_factory=dict)  # surely literals (P3)
    side_effect: Witness | None = None
    recursive: bool = False
    tensor_computation: bool = False
    barren: bool = False  # certainly no tensor computation
    blockers: list[Blocker] = field(default_factory=list)


class HybridizationAnalysis:
    def __init__(self, project: ProjectModel):
        self.project = project
        self.tensors = TensorInference(project)

    @cached_property
    def _verdicts(self) -> dict[FunctionId, Verdict]:
        return {}

    def verdict(self, function: FunctionId) -> Verdict | None:
        """Decided on demand: a run that checks one file needs the verdicts of its functions only."""
        if function not in self._verdicts:
            self._verdicts[function] = self._decide(function) if function in self.project.call_graph else None
        return self._verdicts[function]

    @cached_property
    def recursive(self) -> set[FunctionId]:
        from .side_effects import _strongly_connected_components

        graph = self.project.call_graph
        found: set[FunctionId] = set()
        for component in _strongly_connected_components(graph):
            if len(component) > 1:
                found.update(component)
            elif any(t.function == component[0] for site, ts in graph.get(component[0], []) if not site.passed
                     for t in ts):
                found.add(component[0])
        return found

    # -- one function -------------------------------------------------------

    def _decide(self, function: FunctionId) -> Verdict:
        project = self.project
        info = project.function(function)
        assert info is not None
        root = project.graph_roots.get(function)
        hybrid = root is not None and root.reason == "tf.function"
        facts = self.tensors.of(function)
        verdict = Verdict(function, hybrid)
        verdict.tensor_params = dict(facts.tensors)
        verdict.array_params = dict(facts.arrays)
        verdict.literal_params = {param: evidence for param, evidence in facts.literals.items() if evidence}
        verdict.side_effect = self._side_effect(function)
        verdict.recursive = function in self.recursive
        verdict.tensor_computation = self.tensors.computes_tensors(function)
        verdict.barren = not self.tensors.computes_tensors(function, certain=False)
        verdict.blockers = self._blockers(function, info)
        if hybrid:
            self._decide_hybrid(verdict, info)
        else:
            self._decide_eager(verdict, info)
        return verdict

    def _decide_hybrid(self, verdict: Verdict, info: FunctionSummary) -> None:
        reasons = verdict.reasons
        if verdict.side_effect is not None:
            reasons.append(f"has Python side effects ({verdict.side_effect.describe()}): removing tf.function "
                           "would change behaviour; fix the side effect first")
            return
        if verdict.recursive:
            reasons.append("is recursive")
        if verdict.function in self.project.hybrid_objects_used:
            reasons.append("its tf.function object is used as one (`get_concrete_function` or the like): "
                           "removing the decorator would break that code")
            return
        if self.project.graph_roots[verdict.function].signature:
            reasons.append("has an `input_signature`: a concrete function on purpose (SavedModel export, serving), "
                           "and literal arguments are converted, not retraced")
            return
        if "jit_compile" in info.hybrid_keywords:
            reasons.append("is compiled with XLA (`jit_compile=True`): its Python arguments are compile-time "
                           "constants on purpose, and removing tf.function would drop the compilation")
            return
        speculative = self.tensors.speculative_tensor_params(verdict.function)
        stub_with_tensors = info.stub and bool(verdict.tensor_params)
        if verdict.barren and not speculative and not info.decorators and not stub_with_tensors:
            verdict.action = DEHYBRIDIZE_BARREN
            reasons.append(("does no tensor computation (its tensor parameters only pass through)"
                            if verdict.tensor_params else "has no tensor parameters and does no tensor computation")
                           + ": tracing only adds overhead")
            return
        if verdict.barren:
            reasons.append("does no tensor computation, but " + (
                f"`{verdict.function[1]}` looks like a deep-learning step (speculative)" if speculative else
                "other decorators wrap it" if info.decorators else
                "its body is a placeholder (`pass`, `...`, a docstring or `raise NotImplementedError`) for graph "
                "code that takes tensors"))
            return
        # Removing the decorator needs literals for sure: an argument that is a tensor on some
        # paths and a literal on others (as far as the analysis can tell) is no evidence of retracing.
        verdict.retracing_params = {param: certain for param, evidences in verdict.literal_params.items()
                                    if (certain := [e for e in evidences if not e.maybe_tensor])}
        if verdict.tensor_params and verdict.retracing_params and not verdict.recursive:
            verdict.action = DEHYBRIDIZE_RETRACING
            reasons.append("has tensor parameters and parameters bound to Python literals: every new literal "
                           "value retraces")
            return
        if not verdict.tensor_params:
            reasons.append("has no tensor parameters but computes on tensors (captured state): keep it hybrid")
        elif verdict.literal_params:
            reasons.append("its literal-looking arguments may be tensors: not evidence enough of retracing")
        else:
            reasons.append("is already optimal: tensor parameters, no literal parameters")

    def _decide_eager(self, verdict: Verdict, info: FunctionSummary) -> None:
        project, function, reasons = self.project, verdict.function, verdict.reasons
        summary = project.summaries[function[0]]
        name = function[1].rsplit(".", 1)[-1]
        if function in project.graph_functions:
            reasons.append("already runs as graph code (called from a tf.function or traced by TensorFlow)")
        if info.nested:
            reasons.append("is defined inside another function: a tf.function made per call always retraces")
        if info.is_generator or info.is_async:
            reasons.append("is a generator or coroutine")
        if name in _NEVER_CONVERTED:
            reasons.append(f"`{name}` is not a computation to trace")
        if function in self._inside_keras_calls:
            reasons.append("runs inside a Keras layer's or model's `call`, which is traced with the model")
        if self._keras_compiled_method(function, info):
            reasons.append("Keras already compiles it when the model is used through fit/evaluate/predict")
        keras_class = (function[0], info.class_name) if info.class_name else None
        if name == "call" and keras_class and project.is_keras_class(keras_class) \
                and not project.is_keras_model(keras_class):
            reasons.append("Keras layer `call`: layers run inside the models that call them; decorate the model's "
                           "step instead")
        elif name == "call" and keras_class and project.is_keras_class(keras_class) \
                and self._may_run_under_gradient_tape(function):
            reasons.append("Keras `call` of a model trained with a GradientTape: a model first built inside the "
                           "tape loses its gradients under tf.function (Keras 3); decorate the training step instead")
        if summary.graph_mode_tf1:
            reasons.append("the module is written for TF1 graph mode (sessions, placeholders)")
        if summary.keras_without_tensorflow:
            reasons.append("Keras 3 code not bound to the TensorFlow backend")
        if self._already_wrapped(function):
            reasons.append("is already wrapped with tf.function elsewhere")
        signature = array_signature(self.tensors, function, info)
        hazard = conversion_hazard(self.tensors, function, info) if verdict.tensor_params and signature else None
        if signature is not None and not verdict.tensor_params and signature.refused is None:
            verdict.input_signature = signature.specs
        elif not verdict.tensor_params:
            reasons.append("has no tensor parameters" + (
                f" and no `input_signature` keeps its NumPy arguments' behaviour: {signature.refused}"
                if signature is not None else ""))
        elif hazard:
            reasons.append(hazard)
        if verdict.literal_params:
            param, evidence = next(iter(verdict.literal_params.items()))
            reasons.append(f"parameter `{param}` {evidence[0].render(project.module_paths())} "
                           "(each new value would retrace)")
        if verdict.side_effect is not None:
            reasons.append(f"has Python side effects ({verdict.side_effect.describe()})")
        if verdict.recursive:
            reasons.append("is recursive")
        if not verdict.tensor_computation:
            reasons.append("does no tensor computation")
        for blocker in verdict.blockers:
            reasons.append(f"{blocker.reason} (line {blocker.loc[0]})")
        if not reasons:
            verdict.action = HYBRIDIZE
        else:
            verdict.input_signature = ()

    # -- ingredients ----------------------------------------------------------

    def _side_effect(self, function: FunctionId) -> Witness | None:
        analysis = self.project.side_effects
        effects = analysis.of(function)
        if effects.always:
            return effects.always
        info = self.project.function(function)
        fresh = info.params[0] if info and info.class_name and function[1].endswith(".__init__") and info.params \
            else None  # a constructor's self is the object being made
        for param, witness in effects.on_params.items():
            if param != fresh:
                return witness
        for witness in effects.on_closures.values():
            return witness
        for param, witness in effects.on_iterator_params.items():
            if analysis.receives_python_iterator(function, param):
                return witness
        return None

    def _blockers(self, function: FunctionId, info: FunctionSummary) -> list[Blocker]:
        """Eager-only constructs in the function or anything it calls."""
        found: list[Blocker] = []
        for blocker in info.blockers:
            if self._blocker_applies(blocker, function):
                found.append(blocker)
        for error in info.errors:
            found.append(Blocker(f"`{error.what}` fails in graph mode" if error.code == "HYB501"
                                 else "creates a tf.Variable on every call", error.loc))
        for site, targets in self.project.call_graph.get(function, []):
            if site.passed:
                continue
            for target in targets:
                callee = self.project.function(target.function)
                if callee is None or target.function == function:
                    continue
                if callee.errors or any(self._blocker_applies(b, target.function) for b in callee.blockers):
                    found.append(Blocker(f"calls `{target.function[1]}`, which cannot run in graph mode", site.loc))
                    break
        return found

    def _blocker_applies(self, blocker: Blocker, function: FunctionId) -> bool:
        atoms = [a for a in blocker.atoms if not a.startswith("keras-method:")]
        keras_method = next((a.split(":", 1)[1] for a in blocker.atoms if a.startswith("keras-method:")), None)
        if keras_method is not None:
            return not self._user_class_defines(atoms, keras_method, function)
        if not blocker.atoms:
            return True
        facts = self.tensors.of(function)
        for atom in atoms:
            if atom.startswith("p:"):  # NumPy arguments are tensors once the function is a graph
                kinds = facts.kinds.get(atom[2:], set())
                if (TENSOR in kinds or any(is_array(kind) for kind in kinds)) and CONTAINER not in kinds:
                    return True
            elif TENSOR in self.tensors.kinds({atom}, function):
                return True
        return False

    def _user_class_defines(self, atoms: list[str], method: str, function: FunctionId) -> bool:
        """``e.predict(x)`` where ``e`` is an instance of a project class with its own ``predict``."""
        classes = self._receiver_classes(atoms, function)
        return bool(classes) and all(self.project.lookup_method(cls, method) is not None
                                     and not self.project.is_keras_model(cls) for cls in classes)

    def _receiver_classes(self, atoms: list[str], function: FunctionId) -> list:
        """Project classes of the receiver's possible values; empty when any value is not one."""
        values = []
        for atom in atoms:
            if atom.startswith("r:"):
                values.append(atom)
            elif atom.startswith("p:"):
                values.extend(self._argument_values(function, atom[2:]))
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
                              for atom in atoms if atom.startswith(("r:", "n:")))
        return values

    @cached_property
    def _inside_keras_calls(self) -> set[FunctionId]:
        """Functions reached from the `call` of a project Keras class (not the calls themselves)."""
        project = self.project
        starts = [(summary.module, qualname) for summary in project.summaries.values()
                  for qualname, info in summary.functions.items()
                  if qualname.endswith(".call") and info.class_name
                  and project.is_keras_class((summary.module, info.class_name))]
        callees = [t.function for start in starts for _, targets in project.call_graph.get(start, []) for t in targets]
        return project.reachable(callees) - set(starts)

    def _may_run_under_gradient_tape(self, function: FunctionId) -> bool:
        """Whether a function that opens a ``tf.GradientTape`` calls ``function`` (transitively).

        Also true when such a function calls something the analysis cannot follow (a model passed
        in as a parameter, say): then the model in question might be this one.
        """
        reached, opaque = self._under_gradient_tape
        return function in reached or opaque

    @cached_property
    def _under_gradient_tape(self) -> tuple[set[FunctionId], bool]:
        tape = "name:tensorflow.GradientTape"
        starts = [(summary.module, qualname) for summary in self.project.summaries.values()
                  for qualname, info in summary.functions.items()
                  if any(ref == tape for site in info.calls for ref in site.callees)]
        module_level = any(ref == tape for summary in self.project.summaries.values()
                           for site in summary.module_calls for ref in site.callees)
        opaque = module_level or any(  # `model(x)` on a parameter or a local the analysis cannot follow
            (not site.callees or all(ref.startswith("param:") for ref in site.callees))
            and not self._resolved(start, site)
            for start in starts for site in self.project.function(start).calls)
        return self.project.reachable(starts), opaque

    def _resolved(self, function: FunctionId, site) -> bool:
        return any(known is site for known, _ in self.project.call_graph.get(function, []))

    def _keras_compiled_method(self, function: FunctionId, info: FunctionSummary) -> bool:
        if not info.class_name:
            return False
        name = function[1].rsplit(".", 1)[-1]
        return name in self.project.knowledge.keras_compiled_methods and name != "call" and \
            self.project.is_keras_model((function[0], info.class_name))

    def _already_wrapped(self, function: FunctionId) -> bool:
        root = self.project.graph_roots.get(function)
        return root is not None
