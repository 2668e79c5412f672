"""Where a graph pays: the outermost function that eager code calls over and over (HYB301).

A tf.function saves the Python dispatch of every operation it runs, on every call, and costs one
call into the graph runtime. That pays at a function called eagerly and repeatedly (once per step,
per batch, per epoch) that runs many operations: a training step. Decorating its helpers instead
adds a graph call per helper and saves about nothing (REFERENCE.md, "Where hybridization pays").

Start points are the callees of eager call sites that run on every iteration of a loop. From each,
the outermost function that can safely run as a graph is chosen; when the callee cannot (it prints,
say), the functions it calls are tried instead, since they run as often. What a chosen function
reaches runs inside its graph: those helpers are *covered*, not suggested. Functions no project
code calls (a library's API) are candidates only as a guess (HYB302, off by default).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable

from .cost import python_work
from .policy import NOT_COMPUTATIONS, HybridizationPolicy
from .project import FunctionId, ProjectModel, Target
from .refs import AttrRef, InstanceRef, MethodRef, NameRef, is_a, name_of
from .summary import TF_FUNCTION, CallSite

_MAX_DESCENT = 3  # functions tried below a start point that cannot run as a graph
_MAJOR_SHARE = 0.5  # below such a start point, the share of its operations a helper must run to be chosen
# The share of one iteration of its caller's loops a function must run to be chosen (a start point, or a helper
# below one that cannot be a graph): below a quarter, even a
# graph that ran it for free would save less than a quarter of the iteration (Amdahl), while each call into
# the graph costs about as much as five eager operations.
_LOOP_SHARE = 0.25
_OBJECT_REFS = (MethodRef, AttrRef, InstanceRef)  # calls through an object: a layer or model when unresolved


@dataclass(frozen=True)
class Repetition:
    """The eager call site, on every iteration of a loop, that makes a function run repeatedly."""

    module: str
    site: CallSite
    caller: FunctionId | None  # None: the module's top level
    through: tuple[FunctionId, ...] = ()  # functions in between, which cannot run as graphs

    def render(self, paths: dict[str, str], eager: bool = True) -> str:
        where = f"{paths.get(self.module, self.module)}:{self.site.loc[0]}"
        through = f" (through `{'` → `'.join(f[1] for f in self.through)}`)" if self.through else ""
        return f"called {'eagerly ' if eager else ''}in a loop at {where}{through}"


@dataclass(frozen=True)
class Boundary:
    """A function to hybridize, and what speaks for it."""

    function: FunctionId
    repetition: Repetition
    tensor_ops: int  # estimated operations per call, its helpers' included
    covers: tuple[FunctionId, ...]  # project functions that run inside its graph


class BoundaryAnalysis:
    """Chooses the boundaries of a project; ``obstacles(f)`` says why ``f`` cannot become a graph."""

    def __init__(self, project: ProjectModel, obstacles: Callable[[FunctionId], list[str]]):
        self.project = project
        self.policy: HybridizationPolicy = project.policy
        self.obstacles = obstacles
        self._ops: dict[FunctionId, int] = {}
        self._too_small: set[FunctionId] = set()  # could be boundaries, but run too few operations
        self._few_calls: set[FunctionId] = set()  # called in loops that run too few times
        # could be boundaries, but run a minor share of the work of a start point that cannot
        self._minor_helpers: set[FunctionId] = set()

    # -- results ----------------------------------------------------------------

    @cached_property
    def boundaries(self) -> dict[FunctionId, Boundary]:
        """HYB301: boundaries under loops that run eagerly for sure."""
        return self._search(speculative=False)

    @cached_property
    def speculative_boundaries(self) -> dict[FunctionId, Boundary]:
        """HYB302: boundaries under loops in a library's public entry points that no project code
        calls (``def evaluate(model, dataset): for batch in dataset: ...``), which its users run; not
        loops over a Python sequence (the parts of a structure, a list of transforms), a few
        different Python values rather than a stream of data.

        Not loops in helpers that project code calls without being seen eagerly, nor in framework
        hooks (a Keras ``call``, ``train_step``, ``update_state``): at run time those are mostly
        inside graphs the project cannot see (a trainer's tf.function, a tf.data map), where a
        graph of their own gains nothing."""
        known = self.boundaries
        return {f: b for f, b in self._search(speculative=True).items()
                if f not in known and f not in self.covered and self._api_entry(b.repetition.caller)
                and not b.repetition.site.over_python_sequence}

    def _api_entry(self, function: FunctionId | None) -> bool:
        """A public function no project code calls or passes along: what a library's users call."""
        if function is None or self.project.callers.get(function):
            return False
        info = self.project.function(function)
        if info is None or info.nested or any(part.startswith("_") for part in function[1].split(".")):
            return False
        if any(part.startswith("_") for part in function[0].split(".")[1:]):
            return False  # a private module
        name = function[1].rsplit(".", 1)[-1]
        hooks = self.project.knowledge.framework_hooks
        if name in NOT_COMPUTATIONS or name in hooks:
            return False
        # An override of a base class's method implements an interface: the framework calls it.
        cls = (function[0], info.class_name) if info.class_name else None
        return cls is None or self.project.lookup_method(cls, name, after=cls) is None

    @cached_property
    def covered(self) -> dict[FunctionId, FunctionId]:
        """Helper → the boundary whose graph runs it."""
        found: dict[FunctionId, FunctionId] = {}
        for function, boundary in sorted(self.boundaries.items()):
            for helper in boundary.covers:
                found.setdefault(helper, function)
        return found

    @cached_property
    def known_eager(self) -> set[FunctionId]:
        """Functions that certainly run eagerly: called from module-level code (a script's loop,
        ``main()``, ``app.run(main)``) and, transitively, from such functions, outside test code,
        up to the graph roots (their callees are graph code)."""
        project = self.project
        stack = [target.function for summary in project.summaries.values()
                 if not self._test_module(summary.module) and not self._disables_eager(summary.module_calls)
                 for site in self._running(summary.module_calls)
                 for ref in site.callees for target in project.resolve_ref(ref)]
        found: set[FunctionId] = set()
        while stack:
            function = stack.pop()
            if function in found or function in project.graph_roots or self.in_tests(function):
                continue
            info = project.function(function)
            if info is not None and self._disables_eager(info.calls):
                continue  # a TF1 `main()`: what it runs builds a graph for a Session
            found.add(function)
            if not self._model_code(function):
                binding = self._binding_locs(info.calls) if info is not None else set()
                stack.extend(t.function for site, targets in project.call_graph.get(function, [])
                             if not (site.passed and site.loc in binding) for t in targets)
        return found

    def _running(self, sites: list[CallSite]) -> list[CallSite]:
        """The sites that run their callees now: not a function handed to ``functools.partial``,
        which only makes a callable for later."""
        binding = self._binding_locs(sites)
        return [site for site in sites if not (site.passed and site.loc in binding)]

    def _binding_locs(self, sites: list[CallSite]) -> set:
        binders = {str(NameRef(name)) for name in self.project.knowledge.binders}
        return {site.loc for site in sites if any(ref in binders for ref in site.callees)}

    def _disables_eager(self, sites) -> bool:
        disablers = {str(NameRef(name)) for name in self.project.knowledge.eager_disablers}
        return any(ref in disablers for site in sites for ref in site.callees)

    def _model_code(self, function: FunctionId) -> bool:
        """A Keras layer's or model's ``call``: eager when a script calls the model in a loop (then it is
        a start point itself), but what it runs is model code, usually traced by fit, predict or export."""
        info = self.project.function(function)
        name = function[1].rsplit(".", 1)[-1]
        return info is not None and info.class_name is not None and name in ("call", "__call__") \
            and self.project.is_keras_class((function[0], info.class_name))

    def tensor_ops(self, function: FunctionId) -> int:
        """Estimated operations one call runs eagerly: its own and those of every function it reaches,
        except what runs in a graph already (a tf.function it calls saves nothing more as part of a
        new one; a function it hands to ``Dataset.map`` runs in tf.data's graph, not in the call) or
        eagerly on purpose."""
        if function not in self._ops:
            self._ops[function] = sum(self._own_ops(reached) for reached in self._eager_reach(function))
        return self._ops[function]

    def _run_by_the_call(self, site: CallSite, target: Target) -> bool:
        """Not a function the site hands to ``Dataset.map`` (or the like): tf.data runs it, in a graph of
        its own, whatever runs the caller."""
        root = self.project.graph_roots.get(target.function)
        return not (site.passed and root is not None and root.traced_by_tf_data)

    def _eager_reach(self, function: FunctionId) -> set[FunctionId]:
        project = self.project

        def stop(reached: FunctionId) -> bool:
            root = project.graph_roots.get(reached) if reached != function else None
            return reached in project.eager_functions or (root is not None and root.reason == TF_FUNCTION)
        return project.reachable([function], stop=stop, follow=self._run_by_the_call)

    def iteration_ops(self, repetition: Repetition) -> int:
        """Estimated operations one iteration of the caller's loops runs: its own (``tape.gradient``, a
        model call) and those of every function called there on each iteration."""
        caller = repetition.caller
        info = self.project.function(caller) if caller is not None else None
        if info is None:
            return 0
        resolved = {id(site): targets for site, targets in self.project.call_graph.get(caller, [])}
        ops = info.loop_tensor_ops
        for site in info.calls:
            if not site.in_loop or site.occasional or site.passed:
                continue
            targets = resolved.get(id(site))
            ops += max(self.tensor_ops(t.function) for t in targets) if targets else self._outside_weight(site)
        return ops

    def _graph_work(self, function: FunctionId) -> int:
        """Estimated operations the tf.functions a call runs (directly or through eager helpers) do in their
        own graphs: what stays eager around them is all a new graph would take over."""
        project, loop_weight = self.project, self.project.knowledge.loop_weight
        work = 0
        for reached in self._eager_reach(function):
            for site, targets in project.call_graph.get(reached, []):
                graphs = [t.function for t in targets if t.function != function
                          and (root := project.graph_roots.get(t.function)) is not None and root.reason == TF_FUNCTION]
                if graphs and not site.passed:
                    work += max(map(self.tensor_ops, graphs)) * (loop_weight if site.in_loop else 1)
        return work

    def _own_ops(self, function: FunctionId) -> int:
        """The summary's count, plus calls of objects outside the project (``self.conv1(x)`` on a Keras
        layer): the summariser cannot tell those from calls of project methods, counted where they are."""
        info = self.project.function(function)
        if info is None:
            return 0
        loop_weight = self.project.knowledge.loop_weight
        resolved = {id(site) for site, _ in self.project.call_graph.get(function, [])}
        return info.tensor_ops + sum(self._outside_weight(site) * (loop_weight if site.in_loop else 1)
                                     for site in info.calls if not site.passed and id(site) not in resolved)

    def _outside_weight(self, site: CallSite) -> int:
        """Operations a call the project cannot resolve runs: a whole forward pass for a module-level Keras
        model or layer, a few for another object's call, none for anything else."""
        kb = self.project.knowledge
        if site.callees and all(python_work(kb, ref) for ref in site.callees):
            return 0
        if any(self._keras_instance(ref) for ref in site.callees):
            return kb.heavy_weight
        return kb.opaque_call_weight if any(is_a(ref, *_OBJECT_REFS) for ref in site.callees) else 0

    def _keras_instance(self, ref: str) -> bool:
        """``model(x)`` on a module-level Keras model or layer: a whole forward pass."""
        dotted = name_of(ref)
        if dotted is None:
            return False
        symbol = self.project.resolve_symbol(dotted)
        return symbol is not None and symbol.kind == "instance" and not symbol.qualname \
            and self.project.knowledge.instances_compute_tensors(symbol.dotted)

    def has_eager_caller(self, function: FunctionId) -> bool:
        """Called from module level or from a function that is not graph code."""
        return any(caller is None or caller not in self.project.graph_functions
                   for caller, _ in self.project.callers.get(function, []))

    def refusal(self, function: FunctionId) -> str:
        """Why a function that could run as a graph is not a boundary."""
        self.speculative_boundaries  # noqa: B018 - the searches also find the functions too small to pay
        if function in self.covered:
            return f"runs inside the graph of `{self.covered[function][1]}`, which is suggested instead"
        callers = self.project.callers.get(function, [])
        if not callers:
            return "no project code calls it: suggesting it would be a guess (HYB302, off by default)"
        if all(caller is not None and self.in_tests(caller) for caller, _ in callers) \
                and not self.policy.hybridize_tests:
            return "only test code calls it"
        if function in self._minor_helpers and function not in self._too_small:
            return ("runs a minor part of the work of a caller that cannot become a graph, or of its caller's "
                    "loop, or beside the tf.functions it calls: the rest runs eagerly on every iteration, or in "
                    "graphs already, so a graph of this function alone saves little")
        if function in self._too_small:
            return (f"runs about {self.tensor_ops(function)} tensor operations per call: too few for a graph "
                    f"to pay (a tf.function call costs about five; needs {self.policy.min_tensor_ops})")
        if function in self._few_calls:
            return (f"its loops run it fewer than {self.policy.min_calls} times (`range` of a known size): "
                    "tracing would cost more than the graph saves")
        return ("no eager code calls it on every iteration of a loop: a graph traced for a call or two "
                "gains nothing")

    # -- the search -------------------------------------------------------------

    def _search(self, speculative: bool) -> dict[FunctionId, Boundary]:
        candidates: dict[FunctionId, list[Boundary]] = {}
        for repetition, target in self._repeated_calls():
            if (repetition.caller is None or repetition.caller in self.known_eager) != speculative:
                self._descend(target, repetition, candidates, set(), 0)
        # A loop inside another boundary's graph (the boundary itself included) runs in that graph once
        # it is hybridized, a cell called per time step of an RNN the training step runs, say: such a
        # repetition asks for no graph of its own. A function stays a boundary if any of its
        # repetitions is outside every other boundary.
        inside: dict[FunctionId, set[FunctionId]] = {}
        for function, found in candidates.items():
            for member in (function, *found[0].covers):
                inside.setdefault(member, set()).add(function)
        chosen: dict[FunctionId, Boundary] = {}
        for function, found in sorted(candidates.items()):
            outside = [b for b in found
                       if b.repetition.caller is None or not inside.get(b.repetition.caller, set()) - {function}]
            if outside:
                chosen[function] = outside[0]
        return chosen

    def _descend(self, function: FunctionId, repetition: Repetition, chosen: dict[FunctionId, list[Boundary]],
                 seen: set[FunctionId], depth: int) -> None:
        """Choose ``function`` if it can run as a graph and pays, else try what it calls. Below a start
        point that cannot be a graph, a helper pays only if it carries most of that start point's
        work: the rest still runs eagerly on every iteration, so a graph of a minor helper saves
        about what its own call costs (Amdahl; REFERENCE.md, "Where hybridization pays")."""
        project = self.project
        if function in seen or depth > _MAX_DESCENT or project.function(function) is None:
            return
        seen.add(function)
        if function in project.graph_roots or function in project.eager_functions:
            return  # a graph already (tf.function, tf.data map, Keras fit), or eager on purpose
        if not self.obstacles(function):
            ops = self.tensor_ops(function)
            start = repetition.through[0] if repetition.through else None
            if start is not None and ops < _MAJOR_SHARE * self.tensor_ops(start):
                self._minor_helpers.add(function)
            elif ops < _LOOP_SHARE * self.iteration_ops(repetition):
                self._minor_helpers.add(function)  # a helper beside the loop's real work (a model's gradient)
            elif ops < _LOOP_SHARE * (ops + self._graph_work(function)):
                self._minor_helpers.add(function)  # its heavy work runs in the tf.functions it calls already
            elif ops >= self.policy.min_tensor_ops:
                covers = tuple(sorted(project.reachable([function], follow=self._run_by_the_call) - {function}))
                chosen.setdefault(function, []).append(Boundary(function, repetition, ops, covers))
            else:
                self._too_small.add(function)
            return
        if function[1].rsplit(".", 1)[-1] in NOT_COMPUTATIONS:
            return  # a constructor run in a loop builds objects: what it calls is building code
        inner = replace(repetition, through=(*repetition.through, function))
        for site, targets in project.call_graph.get(function, []):
            if not site.passed and not site.conditional:  # under an `if`, a callee does not run as often
                for target in targets:
                    self._descend(target.function, inner, chosen, seen, depth + 1)

    def _repeated_calls(self):
        """(repetition, callee) for eager call sites run on every iteration of a loop, outside tests."""
        project = self.project
        for summary in sorted(project.summaries.values(), key=lambda s: s.module):
            if self._test_module(summary.module):
                continue
            scopes = [] if self._disables_eager(summary.module_calls) else [(None, summary.module_calls)]
            scopes += [((summary.module, qualname), info.calls) for qualname, info in summary.functions.items()
                       if (summary.module, qualname) not in project.graph_functions]
            for caller, sites in scopes:
                if caller is not None and self.in_tests(caller):
                    continue
                for site in sites:
                    if not site.in_loop or site.occasional or site.passed or site.over_structure_parts:
                        continue  # (the parts of a structure: a few calls, each with values of their own)
                    if site.loop_trips is not None and site.loop_trips < self.policy.min_calls:
                        self._few_calls.update(t.function for ref in site.callees for t in project.resolve_ref(ref))
                        continue  # `for epoch in range(3)`: too few calls to pay back the tracing
                    for ref in site.callees:
                        for target in project.resolve_ref(ref):
                            yield Repetition(summary.module, site, caller), target.function

    def _test_module(self, module: str) -> bool:
        return self.project.in_test_module(module)

    def in_tests(self, function: FunctionId) -> bool:
        return self.project.in_test_code(function)
