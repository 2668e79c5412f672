"""Why an eager function cannot safely become a tf.function, whoever calls it (P1 and our conditions).

Tensor parameters are not asked for; what is: no side effects, no literal arguments, no recursion,
tensor computation, nothing eager-only in what it runs, a place where a graph of its own makes sense
(not test code, a nested function, a Keras layer's ``call``...) and arguments a graph keeps
behaving as eager code does (NumPy arrays an ``input_signature`` converts, Python values that do not
change between calls).
"""

from __future__ import annotations

from functools import cached_property

from .dtypes import array_dtype, is_array
from .ingredients import VerdictIngredients
from .loose_arguments import LooseArguments
from .foreign_decorators import unknown_decorator
from .policy import NOT_COMPUTATIONS
from .project import FunctionId, ProjectModel
from .signatures import ArraySignature, array_signature, conversion_hazard
from .refs import AttrRef, InstanceRef, NameRef, ParamRef, display, is_a, name_of, parse
from .summary import TF_FUNCTION, FunctionSummary
from .tensors import Evidence, ParameterFacts, TensorInference
from .values import RANGE, TENSOR, is_indirect


_SET_UP = frozenset({"__init__", "build", "__new__", "__setstate__"})  # methods that set an object up


class ObstacleAnalysis:
    """The obstacles of each function, decided once; and the ``input_signature`` its NumPy arguments need."""

    def __init__(self, project: ProjectModel, tensors: TensorInference, ingredients: VerdictIngredients):
        self.project = project
        self.tensors = tensors
        self.ingredients = ingredients
        self.loose = LooseArguments(project, tensors)

    @cached_property
    def _obstacles(self) -> dict[FunctionId, list[str]]:
        return {}

    @cached_property
    def _signatures(self) -> dict[FunctionId, ArraySignature | None]:
        return {}

    def signature(self, function: FunctionId) -> ArraySignature | None:
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
        facts = self.tensors.of(function)
        found.extend(self._placement_obstacles(function, info))
        found.extend(self._value_obstacles(function, info, facts))
        return found

    def literal_may_vary(self, function: FunctionId, param: str, evidence: Evidence, *,
                         constants_vary: bool = True) -> bool:
        """Whether the literal a call passes as ``param`` may differ between calls: a number written or
        computed at the call (``f(x, 5)``, ``f(x, n * 2)``), counted by a loop (``range``), or a name the
        caller's loop rebinds. A value the caller computes once (``output_size[0]`` of a fixed config,
        an element of what a helper returns), a string constant or the object's own state (``"sum"``,
        ``len(self.tokenizer)``) is the same at every call of that site: one trace per site, no
        evidence of retracing. With ``constants_vary=False``, numbers written out at the call
        (``256``, ``(128, 128, 128)``) are the same at every call of their site too: sites that pass
        different ones trace once each, which only matters to retracing advice, not to whether a
        graph pays; and so they are for that advice too once a call in a loop writes the parameter out
        (see :meth:`constants_trace_once`). (The paper's every-function mode counts every literal.)"""
        site = evidence.site
        if site is None:
            return True
        caller = self.project.function(evidence.caller)
        steady = not self.project.policy.every_function
        for param_name, where, atoms in self.loose.arguments_of(function, site):
            if param_name != param:
                continue
            if steady and (where in site.steady_args or (where in site.constant_args and (
                    not constants_vary or self.constants_trace_once(function, param)))):
                return False  # the same at every run of the site: as many traces as sites, at most
            if RANGE in atoms or not any(is_indirect(atom) for atom in atoms):
                return True  # literals (or a display of them) written in the caller, or a count
            name = site.arg_names[where] if isinstance(where, int) and where < len(site.arg_names) \
                else site.keyword_names.get(where, "") if isinstance(where, str) else ""
            return bool(name) and caller is not None and name in caller.loop_bound
        return True

    def constants_trace_once(self, function: FunctionId, param: str) -> bool:
        """Whether the constants calls write out for ``param`` trace once per constant, not once per call:
        a call in a loop writes one (:meth:`_constants_reused`), or every call writes the same one
        (:meth:`_one_constant_everywhere`). Decided once per (function, parameter)."""
        key = (function, param)
        if key not in self._constants_trace_once:
            self._constants_trace_once[key] = self._constants_reused(function, param) \
                or self._one_constant_everywhere(function, param)
        return self._constants_trace_once[key]

    @cached_property
    def _constants_trace_once(self) -> dict[tuple[FunctionId, str], bool]:
        return {}

    def _constants_reused(self, function: FunctionId, param: str) -> bool:
        """Whether a call in a loop writes ``param`` out as a constant (``filter(boxes, 32)`` per image):
        the program calls the function again and again with the constants its sites spell, and each
        site's trace is reused. (``f(x, 1); f(x, 2); f(x, 3)`` alone traces once per call.)"""
        return any(site.in_loop and any(name == param and where in site.constant_args
                                        for name, where, _ in self.loose.arguments_of(function, site))
                   for caller, site in self.project.callers.get(function, [])
                   if not site.passed and not self.project.in_test_code(caller))

    def _one_constant_everywhere(self, function: FunctionId, param: str) -> bool:
        """Every call of the project that passes a Python value for ``param`` writes the same constant
        (``axis=1``, ``logit(0.99)``; other calls pass tensors, which trace by shape, not by value): one
        value, so one trace for it, however often it is called."""
        texts = set()
        for _, site in self.project.callers.get(function, []):
            if site.passed:
                continue
            where, atoms = next(((where, atoms) for name, where, atoms in self.loose.arguments_of(function, site)
                                 if name == param), (None, ()))
            if where is not None and where not in site.constant_args and set(atoms) == {TENSOR}:
                continue  # a tensor: no Python value to retrace on
            if where is not None and where not in site.constant_args:
                return False
            texts.add(site.constant_text(where) if where is not None else "<default>")
        return len(texts) == 1

    def _placement_obstacles(self, function: FunctionId, info: FunctionSummary) -> list[str]:
        """Where the function sits: test code, nested, a generator, inside what Keras traces, TF1 or Keras 3 code."""
        project = self.project
        summary = project.summaries[function[0]]
        name = function[1].rsplit(".", 1)[-1]
        found: list[str] = []
        if project.in_test_code(function):
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
        if not project.policy.every_function and (foreign := unknown_decorator(project, info)):
            found.append(foreign)
        if summary.keras_without_tensorflow:
            found.append("Keras 3 code not bound to the TensorFlow backend")
        if summary.other_framework:
            found.append("the module is PyTorch/JAX code (it imports one of them, not TensorFlow)")
        elif summary.without_tensorflow and not info.direct_tensor_work and not project.policy.every_function:
            found.append("the module never imports TensorFlow and the function runs no tensor operation of its own: "
                         "what it calls may dispatch to TensorFlow among other frameworks, it is not TF code")
        return found

    def _value_obstacles(self, function: FunctionId, info: FunctionSummary, facts: ParameterFacts) -> list[str]:
        """What it receives and does: NumPy arguments, literals, side effects, frozen globals, loose
        arguments, recursion, no tensor computation, eager-only constructs."""
        project = self.project
        tensor_params = dict(facts.tensors)
        found: list[str] = []
        signature = self.signature(function)
        if tensor_params and signature:
            hazard = conversion_hazard(self.tensors, function, info)
            if hazard:
                found.append(hazard)
        elif not tensor_params and signature is not None and signature.refused is not None \
                and project.policy.every_function is False and not self._bare_decorator_keeps_arrays(function, info):
            found.append(f"no `input_signature` keeps its NumPy arguments' behaviour: {signature.refused}")
        literal_params = self._varying_literals(function, facts)
        if literal_params:
            param, evidence = next(iter(literal_params.items()))
            found.append(f"parameter `{param}` {evidence[0].render(project.module_paths())} "
                         "(each new value would retrace)")
        side_effect = self.ingredients.side_effect(function)
        if side_effect is not None:
            found.append(f"has Python side effects ({side_effect.describe()})")
        elif not project.policy.every_function and (unknown := self._call_of_unknown_effects(function)):
            found.append(unknown)
        frozen = self._rebound_global_read(function) or self._attribute_its_caller_rebinds(function)
        if frozen:
            found.append(frozen)
        loose = None if project.policy.every_function else self.loose.first(function, info)
        if loose:
            found.append(loose)
        if function in self.ingredients.recursive:
            found.append("is recursive")
        if not self.tensors.computes_tensors(function):
            found.append("does no tensor computation")
        for blocker in self.ingredients.blockers(function, info):
            found.append(f"{blocker.reason} (line {blocker.loc[0]})")
        return found

    def _call_of_unknown_effects(self, function: FunctionId) -> str | None:
        """A method called (here or in a callee) whose Python side effects cannot be ruled out, so "no Python
        side effects" cannot be claimed: one on an object of a class the analysis cannot resolve, neither
        defined nor imported (``self.buffer = ReplayBuffer(...)``; ``self.buffer.sample()``), whose work is
        unknown (a NumPy random draw, say); or, failing such a call, one on an object of no known type
        (``chain.set_ls(g)`` over a parameter's elements) whose name only project classes define, one of
        them changing its object's state: the call may well be that one. One walk over what it reaches."""
        project = self.project
        untyped: str | None = None
        for reached in sorted(project.reachable([function])):
            info = project.function(reached)
            for site in info.calls if info is not None else ():
                for ref in site.callees:
                    cls = self._receiver_class(ref)
                    if cls is not None and project.resolve_symbol(cls) is None and not project.resolve_ref(ref):
                        return (f"calls `{display(ref)}` (line {site.loc[0]} of `{reached[1]}`) on an object of "
                                f"`{cls.rsplit('.', 1)[-1]}`, a class the analysis cannot resolve: whether it has "
                                "Python side effects is unknown")
                if untyped is None:
                    method = next((m for m in self._project_methods.get(site.untyped_method, ())
                                   if self.ingredients.side_effect(m) is not None), None)
                    if method is not None:
                        untyped = (f"calls `.{site.untyped_method}()` (line {site.loc[0]} of `{reached[1]}`) on an "
                                   f"object of unknown type; `{method[1]}` of the project, which it may be, has "
                                   "Python side effects")
        return untyped

    @cached_property
    def _project_methods(self) -> dict[str, list[FunctionId]]:
        """Method name → the project's methods of that name, for names no framework calls on its own objects
        (``call``, ``update_state``) and that are not Python's special methods."""
        skip = self.project.knowledge.framework_hooks | NOT_COMPUTATIONS
        found: dict[str, list[FunctionId]] = {}
        for summary in self.project.summaries.values():
            for cls in summary.classes.values():
                for name in cls.methods:
                    if name not in skip and not name.startswith("__"):
                        found.setdefault(name, []).append((summary.module, f"{cls.qualname}.{name}"))
        return found

    def _receiver_class(self, ref: str) -> str | None:
        """The dotted class name of the object a method call ``obj.method()`` is made on (None: not such a call)."""
        parsed = parse(ref)
        if isinstance(parsed, AttrRef) and parsed.method is not None:
            return name_of(self.project.attribute_type(parsed.owner, parsed.attribute))
        if isinstance(parsed, InstanceRef) and parsed.method != "__call__":
            return name_of(parsed.typeref)
        return None

    def _varying_literals(self, function: FunctionId, facts: ParameterFacts) -> dict[str, list[Evidence]]:
        """The literal parameters that would retrace a graph of this function. For the paper, every
        literal does; for the boundary, only those that may change between runs of their call site
        (a constant written at a call in the step loop traces once)."""
        literals = {param: evidence for param, evidence in facts.literals.items() if evidence}
        if self.project.policy.every_function:
            return literals
        return {param: varying for param, evidence in literals.items()
                if (varying := [e for e in evidence
                                if self.literal_may_vary(function, param, e, constants_vary=False)])}

    def _bare_decorator_keeps_arrays(self, function: FunctionId, info: FunctionSummary) -> bool:
        """Without a signature (a model passed beside the arrays, say), a bare ``@tf.function`` still
        converts float32 arrays as eager code does: float32 is TensorFlow's default float, and one
        array shape per step traces once."""
        facts = self.tensors.of(function)
        dtypes = {array_dtype(kind) for param in info.receiverless_params()
                  for kind in facts.kinds.get(param, ()) if is_array(kind)}
        return dtypes == {"float32"} and conversion_hazard(self.tensors, function, info) is None

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
            return (f"reads a model's variable list, and `.trainable` changes at {project.place(summary.module, line)}"
                    " while the program runs: a graph keeps the list of its first trace")
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

    def _attribute_its_caller_rebinds(self, function: FunctionId) -> str | None:
        """``update`` calls ``train`` and then sets ``self.lam = self.lam * 2``: a graph of ``train``
        reading ``self.lam`` keeps the value of its first trace (HYB108 once decorated). Set-up
        (``__init__``, ``build``) is no rebinding."""
        project = self.project
        for reached in sorted(project.reachable([function])):
            info = project.function(reached)
            if info is None or info.class_name is None:
                continue
            for name in info.self_attribute_loads:
                for writer in sorted(project.self_attribute_writers.get(name, set()) - {reached}):
                    writer_info = project.function(writer)
                    if writer_info is None or writer_info.class_name != info.class_name \
                            or writer[1].rsplit(".", 1)[-1] in _SET_UP or function not in project.reachable([writer]):
                        continue
                    return (f"reads `self.{name}`, which `{writer[1]}` sets again while it runs it: a graph keeps "
                            "the value of its first trace (a `tf.Variable` would be read live)")
        return None

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
        tape = str(NameRef("tensorflow.GradientTape"))
        starts = [(summary.module, qualname) for summary in self.project.summaries.values()
                  for qualname, info in summary.functions.items()
                  if any(ref == tape for site in info.calls for ref in site.callees)]
        module_level = any(ref == tape for summary in self.project.summaries.values()
                           for site in summary.module_calls for ref in site.callees)
        opaque = module_level or any(  # `model(x)` on a parameter or a local the analysis cannot follow
            (not site.callees or all(is_a(ref, ParamRef) for ref in site.callees))
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
