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
from .ingredients import VerdictIngredients
from .obstacles import ObstacleAnalysis
from .project import FunctionId, ProjectModel, call_arguments
from .side_effects import SideEffectAnalysis, Witness
from .summary import TF_FUNCTION, Blocker, FunctionSummary
from .tensors import Evidence, TensorInference

HYBRIDIZE = "hybridize"
DEHYBRIDIZE_BARREN = "dehybridize-barren"
DEHYBRIDIZE_RETRACING = "dehybridize-retracing"
NONE = "none"


_UNSEEN_DEPTH = 3  # callers of callers followed to find that nobody known calls a function eagerly


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



class HybridizationAnalysis:
    def __init__(self, project: ProjectModel, side_effects: SideEffectAnalysis):
        self.project = project
        self.side_effects = side_effects
        self.tensors = TensorInference(project)
        self.ingredients = VerdictIngredients(project, self.tensors, side_effects)
        self.obstacle_analysis = ObstacleAnalysis(project, self.tensors, self.ingredients)

    @cached_property
    def _verdicts(self) -> dict[FunctionId, Verdict]:
        return {}

    def verdict(self, function: FunctionId) -> Verdict | None:
        """Decided on demand: a run that checks one file needs the verdicts of its functions only."""
        if function not in self._verdicts:
            self._verdicts[function] = self._decide(function) if function in self.project.call_graph else None
        return self._verdicts[function]

    @property
    def recursive(self) -> set[FunctionId]:
        """Functions that call themselves, directly or through others."""
        return self.ingredients.recursive

    # -- one function -------------------------------------------------------

    def _called_where_unseen(self, function: FunctionId, depth: int = 0) -> bool:
        """Kept on an object (``self.fn = f``, a tuple of callbacks) or passed as a value (``Lambda(f)``,
        ``dataset.map(f)``), and called directly by no eager code, or only by functions that are themselves
        such (``_load``, given to a ``map``, calls it): who calls it, and whether eagerly, is not known.
        (The paper's every-function mode decides on the body alone.)"""
        project = self.project
        if project.policy.every_function:
            return False
        callers = project.callers.get(function, [])
        eager = [caller for caller, site in callers
                 if not site.passed and (caller is None or caller not in project.graph_functions)]
        if not eager:
            return function in project.stored_functions or any(site.passed for _, site in callers)
        return depth < _UNSEEN_DEPTH and all(caller is not None and caller != function
                                             and self._called_where_unseen(caller, depth + 1) for caller in eager)

    def _never_called(self, function: FunctionId) -> bool:
        """No call, reference or use of the function anywhere in the project: dead code, or API for code
        not seen. Removing its decorator pays nothing here, as adding one to uncalled library code
        (HYB302) is a guess."""
        return not self.project.policy.every_function and self.project.never_called(function)

    def _only_called_from_graph_code(self, function: FunctionId) -> bool:
        callers = [caller for caller, _ in self.project.callers.get(function, [])]
        return bool(callers) and function not in callers and not self.boundaries.has_eager_caller(function)

    def _decide(self, function: FunctionId) -> Verdict:
        project = self.project
        info = project.function(function)
        assert info is not None
        root = project.graph_roots.get(function)
        # A graph only a test makes (``tf.function(library_fn)`` in a test) is the test's, not the function's.
        hybrid = root is not None and root.reason == TF_FUNCTION and not root.only_by_tests
        facts = self.tensors.of(function)
        verdict = Verdict(function, hybrid)
        verdict.tensor_params = dict(facts.tensors)
        verdict.array_params = dict(facts.arrays)
        verdict.literal_params = {param: evidence for param, evidence in facts.literals.items() if evidence}
        verdict.side_effect = self.ingredients.side_effect(function)
        verdict.recursive = function in self.recursive
        verdict.tensor_computation = self.tensors.computes_tensors(function)
        verdict.barren = not self.tensors.computes_tensors(function, certain=False)
        verdict.blockers = self.ingredients.blockers(function, info)
        if hybrid:
            self._decide_hybrid(verdict, info)
        else:
            self._decide_eager(verdict, info)
        return verdict

    def _decide_hybrid(self, verdict: Verdict, info: FunctionSummary) -> None:
        reasons = verdict.reasons
        if self._keeps_decorator(verdict, info):
            return
        speculative = self.tensors.speculative_tensor_params(verdict.function)
        stub_with_tensors = info.stub and bool(verdict.tensor_params)
        if verdict.barren and not speculative and not info.decorators and not stub_with_tensors:
            kept = next((reason for applies, reason in self._barren_but_kept if applies(verdict.function)), None)
            if kept is not None:
                reasons.append("does no tensor computation, but " + kept)
                return
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
        self._decide_retracing(verdict, info)

    @property
    def _barren_but_kept(self):
        """Where removing a barren function's decorator pays nothing: (test, the reason it gives)."""
        return ((self._only_called_from_graph_code,
                 "only graph code calls it, whose trace inlines it: the decoration costs nothing there"),
                (self._never_called,
                 "nothing in the project calls it: whether tracing costs anything depends on callers not seen "
                 "(`hybridization = \"every-function\"` judges the body alone)"),
                (self._called_where_unseen,
                 "it is kept on an object or passed as a value, and no eager code calls it directly: its callers "
                 "are not known, and graph code that calls it (`dataset.map`, a Keras `Lambda`) inlines it"))

    def _keeps_decorator(self, verdict: Verdict, info: FunctionSummary) -> bool:
        """Whether the tf.function must stay whatever it computes (the reason goes to the verdict).

        Recursion is noted on the way but decides nothing here (it only stops P3, below)."""
        reasons = verdict.reasons
        if self.boundaries.in_tests(verdict.function):
            reasons.append("is test code (set `hybridize-tests = true` for suggestions there)")
            return True
        if verdict.side_effect is not None:
            reasons.append(f"has Python side effects ({verdict.side_effect.describe()}): removing tf.function "
                           "would change behaviour; fix the side effect first")
            return True
        if verdict.recursive:
            reasons.append("is recursive")
        if verdict.function in self.project.hybrid_objects_used:
            reasons.append("its tf.function object is used as one (`get_concrete_function`, `python_function`, "
                           "`isinstance(f, PolymorphicFunction)` or the like): removing the decorator would break "
                           "that code")
            return True
        if any("python-str" in blocker.atoms for blocker in verdict.blockers):
            reasons.append("returns a Python `str` as a string tensor: without the decorator callers would get a "
                           "`str` instead")
            return True
        if self.project.graph_roots[verdict.function].signature:
            reasons.append("has an `input_signature`: a concrete function on purpose (SavedModel export, serving), "
                           "and literal arguments are converted, not retraced")
            return True
        if "jit_compile" in info.hybrid_keywords:
            reasons.append("is compiled with XLA (`jit_compile=True`): its Python arguments are compile-time "
                           "constants on purpose, and removing tf.function would drop the compilation")
            return True
        return False

    def _decide_retracing(self, verdict: Verdict, info: FunctionSummary) -> None:
        """P3 (HYB402): a hybrid function with tensor parameters and parameters bound to literals that vary."""
        reasons = verdict.reasons
        # Removing the decorator needs literals for sure: an argument that is a tensor on some
        # paths and a literal on others (as far as the analysis can tell) is no evidence of retracing.
        # Nor are the literals tests pass, one value per test case.
        verdict.retracing_params = {param: certain for param, evidences in verdict.literal_params.items()
                                    if param not in info.python_params or self.project.policy.every_function
                                    if (certain := [e for e in evidences if not e.maybe_tensor
                                                    and not self.project.in_test_code(e.caller)
                                                    and e.caller not in self.project.graph_roots
                                                    and self.obstacle_analysis.literal_may_vary(
                                                        verdict.function, param, e)])}
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
        signature = self.obstacle_analysis.signature(function)
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

    def obstacles(self, function: FunctionId) -> list[str]:
        """Why ``function`` cannot safely become a tf.function, whoever calls it (empty: it can)."""
        return self.obstacle_analysis.obstacles(function)
