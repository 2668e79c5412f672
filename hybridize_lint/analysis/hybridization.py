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

from .boundary import Boundary, BoundaryAnalysis
from .policy import NOT_COMPUTATIONS
from .project import FunctionId, ProjectModel, call_arguments
from .side_effects import SideEffectAnalysis, Witness, is_hazard
from .signatures import ArraySignature, array_signature, conversion_hazard
from .dtypes import array_dtype, is_array
from .summary import CAPTURED, LOCAL, TF_FUNCTION, Blocker, EffectKind, FunctionSummary
from .tensors import Evidence, TensorInference
from .values import CONTAINER, RANGE, SYMBOLIC, TENSOR

# Blocker atoms that are conditions decided here, and markers (see ``Blocker.atoms``).
_CONDITIONS = ("keras-method:", "object:", "summaries-only")
_MARKERS = frozenset({"as-entry", "python-str"})

HYBRIDIZE = "hybridize"
DEHYBRIDIZE_BARREN = "dehybridize-barren"
DEHYBRIDIZE_RETRACING = "dehybridize-retracing"
NONE = "none"


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
    boundary: Boundary | None = None  # HYB301: the outermost function called eagerly and repeatedly
    speculative: bool = False  # HYB302: no in-project eager caller to show the graph pays


def _defined_in(target, function: FunctionId) -> bool:
    """A function nested in ``function``: passed to ``tf.nest.map_structure`` or the like, it runs there."""
    return target.function[0] == function[0] and target.function[1].startswith(function[1] + ".")


class HybridizationAnalysis:
    def __init__(self, project: ProjectModel, side_effects: SideEffectAnalysis):
        self.project = project
        self.side_effects = side_effects
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
        graph = self.project.call_graph
        found: set[FunctionId] = set()
        for component in self.project.components:
            if len(component) > 1:
                found.update(component)
            elif any(t.function == component[0] for site, ts in graph.get(component[0], []) if not site.passed
                     for t in ts):
                found.add(component[0])
        return found

    # -- one function -------------------------------------------------------

    def _may_vary(self, function: FunctionId, param: str, evidence: Evidence) -> bool:
        """Whether the literal a call passes as ``param`` may differ between calls: a number written or
        computed at the call (``f(x, 5)``, ``f(x, n * 2)``), counted by a loop (``range``), or a name the
        caller's loop rebinds. A value the caller computes once (``output_size[0]`` of a fixed config, an element of what a helper
        returns), a string constant or the object's own state (``"sum"``, ``len(self.tokenizer)``) is
        the same at every call of that site: one trace per site, no evidence of retracing. (The paper's
        every-function mode counts every literal.)"""
        site = evidence.site
        if site is None:
            return True
        caller = self.project.function(evidence.caller)
        for param_name, where, atoms in self._arguments_of(function, site):
            if param_name != param:
                continue
            if where in site.steady_args and not self.project.policy.every_function:
                return False  # the same at every run of the site: as many traces as sites, at most
            if RANGE in atoms or not any(atom.startswith(("p:", "r:", "n:")) for atom in atoms):
                return True  # literals (or a display of them) written in the caller, or a count
            name = site.arg_names[where] if isinstance(where, int) and where < len(site.arg_names) \
                else site.keyword_names.get(where, "") if isinstance(where, str) else ""
            return bool(name) and caller is not None and name in caller.loop_bound
        return True

    def _only_called_from_graph_code(self, function: FunctionId) -> bool:
        callers = [caller for caller, _ in self.project.callers.get(function, [])]
        graph = self.project.graph_functions
        return bool(callers) and all(caller is not None and caller != function and caller in graph
                                     for caller in callers)

    def _arguments_of(self, function: FunctionId, site):
        info = self.project.function(function)
        for ref in site.callees:
            for target in self.project.resolve_ref(ref):
                if target.function == function and info is not None:
                    yield from call_arguments(info, target, site)
                    return

    def _decide(self, function: FunctionId) -> Verdict:
        project = self.project
        info = project.function(function)
        assert info is not None
        root = project.graph_roots.get(function)
        hybrid = root is not None and root.reason == TF_FUNCTION
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
        if self.boundaries.in_tests(verdict.function):
            reasons.append("is test code (set `hybridize-tests = true` for suggestions there)")
            return
        if verdict.side_effect is not None:
            reasons.append(f"has Python side effects ({verdict.side_effect.describe()}): removing tf.function "
                           "would change behaviour; fix the side effect first")
            return
        if verdict.recursive:
            reasons.append("is recursive")
        if verdict.function in self.project.hybrid_objects_used:
            reasons.append("its tf.function object is used as one (`get_concrete_function`, `python_function`, "
                           "`isinstance(f, PolymorphicFunction)` or the like): removing the decorator would break "
                           "that code")
            return
        if any("python-str" in blocker.atoms for blocker in verdict.blockers):
            reasons.append("returns a Python `str` as a string tensor: without the decorator callers would get a "
                           "`str` instead")
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
        if verdict.barren and not speculative and not info.decorators and not stub_with_tensors \
                and self._only_called_from_graph_code(verdict.function):
            reasons.append("does no tensor computation, but only graph code calls it, whose trace inlines it: "
                           "the decoration costs nothing there")
            return
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
        # Nor are the literals tests pass, one value per test case.
        verdict.retracing_params = {param: certain for param, evidences in verdict.literal_params.items()
                                    if param not in info.python_params or self.project.policy.every_function
                                    if (certain := [e for e in evidences if not e.maybe_tensor
                                                    and not self.project.in_test_code(e.caller)
                                                    and e.caller not in self.project.graph_roots
                                                    and self._may_vary(verdict.function, param, e)])}
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
        function, reasons = verdict.function, verdict.reasons
        obstacles = self.obstacles(function)
        signature = self._signature(function)
        if not verdict.tensor_params and signature is not None and signature.refused is None:
            verdict.input_signature = signature.specs
        if self.project.policy.every_function:
            self._decide_every_function(verdict, obstacles, signature)
            return
        reasons.extend(obstacles)
        if reasons:
            verdict.input_signature = ()
            return
        boundary = self.boundaries.boundaries.get(function)
        if boundary is not None:
            verdict.action, verdict.boundary = HYBRIDIZE, boundary
            return
        guess = self.boundaries.speculative_boundaries.get(function)
        if guess is not None:
            verdict.action, verdict.boundary, verdict.speculative = HYBRIDIZE, guess, True
            return
        reasons.append(self.boundaries.refusal(function))
        verdict.input_signature = ()

    def _decide_every_function(self, verdict: Verdict, obstacles: list[str], signature) -> None:
        """The paper's P1 for each function on its own: it needs a tensor parameter."""
        project, function, reasons = self.project, verdict.function, verdict.reasons
        if function in project.graph_functions:
            reasons.append("already runs as graph code (called from a tf.function or traced by TensorFlow)")
        if not verdict.tensor_params and not verdict.input_signature:
            reasons.append("has no tensor parameters" + (
                f" and no `input_signature` keeps its NumPy arguments' behaviour: {signature.refused}"
                if signature is not None and signature.refused else ""))
        reasons.extend(obstacles)
        if reasons:
            verdict.input_signature = ()
            return
        verdict.action = HYBRIDIZE
        verdict.speculative = not self.boundaries.has_eager_caller(function)

    @cached_property
    def boundaries(self) -> BoundaryAnalysis:
        return BoundaryAnalysis(self.project, self.obstacles)

    @cached_property
    def _obstacles(self) -> dict[FunctionId, list[str]]:
        return {}

    @cached_property
    def _signatures(self) -> dict[FunctionId, ArraySignature | None]:
        return {}

    def _signature(self, function: FunctionId) -> ArraySignature | None:
        """The ``input_signature`` NumPy arguments would need (None: none of them takes arrays, or the
        function is already graph code)."""
        if function not in self._signatures:
            info = self.project.function(function)
            self._signatures[function] = None if info is None or function in self.project.graph_roots \
                else array_signature(self.tensors, function, info)
        return self._signatures[function]

    def obstacles(self, function: FunctionId) -> list[str]:
        """Why ``function`` cannot safely become a tf.function, whoever calls it (empty: it can).

        Tensor parameters are not asked for: a zero-argument step over captured variables is the
        best candidate there is. What is asked: no side effects, no literal arguments (each value
        would retrace), no recursion, tensor computation, nothing eager-only in what it runs, and
        NumPy arguments whose conversion an ``input_signature`` keeps as eager code had it.
        """
        if function in self._obstacles:
            return self._obstacles[function]
        project = self.project
        info = project.function(function)
        found: list[str] = []
        self._obstacles[function] = found
        if info is None:
            found.append("is not a function of the project")
            return found
        root = project.graph_roots.get(function)
        if root is not None:
            found.append("is already a tf.function" if root.reason == TF_FUNCTION else
                         f"is already traced as graph code ({root.reason})")
            return found
        summary = project.summaries[function[0]]
        name = function[1].rsplit(".", 1)[-1]
        facts = self.tensors.of(function)
        tensor_params = dict(facts.tensors)
        if self.boundaries.in_tests(function):
            found.append("is test code (set `hybridize-tests = true` for suggestions there)")
        if info.nested:
            found.append("is defined inside another function: a tf.function made per call always retraces")
        if info.is_generator or info.is_async:
            found.append("is a generator or coroutine")
        if name in NOT_COMPUTATIONS:
            found.append(f"`{name}` is not a computation to trace")
        if function in self._inside_keras_calls:
            found.append("runs inside a Keras layer's or model's `call`, which is traced with the model")
        if project.policy.every_function and self._keras_compiled_method(function, info):
            # (The boundary search asks instead whether fit runs it: then it is a graph root already.)
            found.append("Keras already compiles it when the model is used through fit/evaluate/predict")
        keras_class = (function[0], info.class_name) if info.class_name else None
        if name == "call" and keras_class and project.is_keras_class(keras_class) \
                and not project.is_keras_model(keras_class):
            found.append("Keras layer `call`: layers run inside the models that call them; decorate the model's "
                         "step instead")
        elif name == "call" and keras_class and project.is_keras_class(keras_class) \
                and self._may_run_under_gradient_tape(function):
            found.append("Keras `call` of a model trained with a GradientTape: a model first built inside the "
                         "tape loses its gradients under tf.function (Keras 3); decorate the training step instead")
        if summary.graph_mode_tf1:
            found.append("the module is written for TF1 graph mode (sessions, placeholders)")
        if summary.keras_without_tensorflow:
            found.append("Keras 3 code not bound to the TensorFlow backend")
        if summary.other_framework:
            found.append("the module is PyTorch/JAX code (it imports one of them, not TensorFlow)")
        signature = self._signature(function)
        if tensor_params and signature:
            hazard = conversion_hazard(self.tensors, function, info)
            if hazard:
                found.append(hazard)
        elif not tensor_params and signature is not None and signature.refused is not None \
                and project.policy.every_function is False and not self._bare_decorator_keeps_arrays(function, info):
            found.append(f"no `input_signature` keeps its NumPy arguments' behaviour: {signature.refused}")
        literal_params = {param: evidence for param, evidence in facts.literals.items() if evidence}
        if literal_params:
            param, evidence = next(iter(literal_params.items()))
            found.append(f"parameter `{param}` {evidence[0].render(project.module_paths())} "
                         "(each new value would retrace)")
        side_effect = self._side_effect(function)
        if side_effect is not None:
            found.append(f"has Python side effects ({side_effect.describe()})")
        frozen = self._rebound_global_read(function)
        if frozen:
            found.append(frozen)
        loose = None if project.policy.every_function else self._untyped_argument(function, info)
        if loose:
            found.append(loose)
        if function in self.recursive:
            found.append("is recursive")
        if not self.tensors.computes_tensors(function):
            found.append("does no tensor computation")
        for blocker in self._blockers(function, info):
            found.append(f"{blocker.reason} (line {blocker.loc[0]})")
        return found

    def _bare_decorator_keeps_arrays(self, function: FunctionId, info: FunctionSummary) -> bool:
        """Without a signature (a model passed beside the arrays, say), a bare ``@tf.function`` still
        converts float32 arrays as eager code does: float32 is TensorFlow's default float, and one
        array shape per step traces once."""
        facts = self.tensors.of(function)
        dtypes = {array_dtype(kind) for param in info.receiverless_params()
                  for kind in facts.kinds.get(param, ()) if is_array(kind)}
        return dtypes == {"float32"} and conversion_hazard(self.tensors, function, info) is None

    def _untyped_argument(self, function: FunctionId, info: FunctionSummary) -> str | None:
        """A parameter that receives neither tensors nor NumPy arrays, from a call that may pass another
        value each time (a local, a loop variable, an expression): a new Python value or object
        retraces, a new object that makes variables fails, an unrecognised float64 array breaks
        dtypes. One module-level object passed at every call (the model, the optimizer) is fine."""
        project, facts = self.project, self.tensors.of(function)
        for param in info.receiverless_params():
            kinds = facts.kinds.get(param, set())
            if TENSOR in kinds or any(is_array(kind) for kind in kinds):
                continue
            for caller, module, site, (locality, name, atoms) in self._arguments(function, info, param):
                if all(atom.startswith("p:") for atom in atoms):
                    continue  # the caller's own parameter passed on: judged where that is filled
                if name and self._same_object_each_call(caller, module, locality, name):
                    continue
                summary = project.summaries[module]
                return (f"parameter `{param}` receives a value of unknown type at {summary.path or module}:"
                        f"{site.loc[0]} that may differ from call to call: each new Python value or object "
                        "retraces, and a float64 array would break dtypes")
        return None

    def _same_object_each_call(self, caller: FunctionId | None, module: str, locality: str, name: str) -> bool:
        """A module global the program never rebinds, or a local the caller binds outside its loops."""
        if locality == CAPTURED:
            return name not in self.project.summaries[module].rebound_globals
        info = self.project.function(caller) if caller else None
        return locality == LOCAL and info is not None and name not in info.loop_bound

    def _arguments(self, function: FunctionId, info: FunctionSummary, param: str):
        """(caller, module, call site, (locality, bare name, abstract value)) of each call's ``param``."""
        for caller, site in self.project.callers.get(function, []):
            if site.passed:
                continue
            module = caller[0] if caller else self._module_level_sites.get(id(site), "")
            target = next((t for ref in site.callees for t in self.project.resolve_ref(ref)
                           if t.function == function), None)
            if target is None:
                continue
            for name, where, atoms in call_arguments(info, target, site):
                if name != param:
                    continue
                if isinstance(where, int):
                    bare = site.arg_names[where] if where < len(site.arg_names) else ""
                    yield caller, module, site, (site.args[where] if where < len(site.args) else "", bare, atoms)
                else:
                    yield caller, module, site, (site.keywords.get(where, ""), site.keyword_names.get(where, ""), atoms)

    @cached_property
    def _module_level_sites(self) -> dict[int, str]:
        """Module-level call sites (by identity) → their module."""
        return {id(site): summary.module for summary in self.project.summaries.values()
                for site in summary.module_calls}

    @cached_property
    def _trainable_toggle(self) -> tuple | None:
        """The first ``x.trainable = ...`` the project runs while it runs (summary, line), if any."""
        return next(((summary, line) for summary in self.project.summaries.values()
                     for line in summary.trainable_toggles), None)

    def _rebound_global_read(self, function: FunctionId) -> str | None:
        """A Python value the function (or a callee) reads from a module global that the program
        rebinds while running: a graph keeps the value it saw at its first trace."""
        project = self.project
        reached_functions = sorted(project.reachable([function]))
        toggle = self._trainable_toggle
        if toggle and any((info := project.function(reached)) is not None and info.reads_variable_lists
                          for reached in reached_functions):
            summary, line = toggle
            return (f"reads a model's variable list, and `.trainable` changes at {summary.path or summary.module}:"
                    f"{line} while the program runs: a graph keeps the list of its first trace")
        for reached in reached_functions:
            info, summary = project.function(reached), project.summaries.get(reached[0])
            if info is None or summary is None:
                continue
            for name in info.global_reads:
                line = summary.rebound_globals.get(name)
                if line is not None and TENSOR not in summary.values.get(name, ()) \
                        and name not in summary.tensor_dtypes:
                    where = f"{summary.path or reached[0]}:{line}"
                    return (f"reads the Python value `{name}`, rebound at {where} while the program runs: a "
                            "graph keeps the value of its first trace (a `tf.Variable` would be read live)")
        return None

    # -- ingredients ----------------------------------------------------------

    def _side_effect(self, function: FunctionId) -> Witness | None:
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
        found.extend(self._symbolic_parameters(function, info))
        for error in info.errors:
            found.append(Blocker(f"`{error.what}` fails in graph mode" if error.kind == EffectKind.EAGER_ONLY_CALL
                                 else "creates a tf.Variable on every call", error.loc))
        for site, targets in self.project.call_graph.get(function, []):
            for target in targets:
                callee = self.project.function(target.function)
                if callee is None or target.function == function or site.passed and not _defined_in(target, function):
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

    def _blocker_applies(self, blocker: Blocker, function: FunctionId) -> bool:
        atoms = [a for a in blocker.atoms if not a.startswith(_CONDITIONS) and a not in _MARKERS]
        keras_method = next((a.split(":", 1)[1] for a in blocker.atoms if a.startswith("keras-method:")), None)
        if keras_method is not None:
            return not self._user_class_defines(atoms, keras_method, function)
        made = next((a.split(":", 1)[1] for a in blocker.atoms if a.startswith("object:")), None)
        if made is not None:
            return self._makes_plain_object(made)
        if "summaries-only" in blocker.atoms:
            return self._writes_only_summaries(function)
        if not atoms:
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

    def _writes_only_summaries(self, function: FunctionId, seen: frozenset = frozenset()) -> bool:
        """No callee does anything but write summaries itself (a training step that logs does more)."""
        for site, targets in self.project.call_graph.get(function, []):
            for target in targets:
                callee = self.project.function(target.function)
                if callee is None or target.function in seen or target.function == function:
                    continue
                if not any("summaries-only" in b.atoms for b in callee.blockers) or \
                        not self._writes_only_summaries(target.function, seen | {function}):
                    return False
        return True

    def _makes_plain_object(self, ref: str) -> bool:
        """Whether calling ``ref`` surely makes an object a tf.function cannot return (not a namedtuple,
        an ExtensionType, an attrs class or anything the analysis cannot see through)."""
        project, kb = self.project, self.project.knowledge
        symbol = project.resolve_symbol(ref[5:]) if ref.startswith("name:") else None
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
            decorators = [project.resolve_symbol(d[5:]) if d.startswith("name:") else None for d in info.decorators]
            if any(d is None or d.dotted not in kb.plain_class_decorators for d in decorators):
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
