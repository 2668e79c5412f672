"""The summariser (intraprocedural analysis): one module's AST → its :class:`ModuleSummary`.

For each function it records what the function does *itself* — Python side
effects, graph-mode errors and call sites with the locality of every argument
— so the interprocedural analyses can combine summaries without ASTs.

Locality says whose object an expression denotes, which decides whether
mutating it is a side effect: ``local`` (allocated in this call), ``captured``
(a global, an import, an object reached from one), ``param:NAME`` (the
caller's object, a side effect only if the caller's object is not local to
it) and ``closure:NAME`` (a variable of an enclosing function).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable
from functools import cached_property

from ..knowledge import KnowledgeBase
from .dtypes import UNKNOWN, tensor_dtype
from .names import ImportBindings, statements
from .resolver import Resolver, Scope, base_name, is_self
from .scopes import bindings_among
from .tensor_facts import (VARIABLE_LISTS, varying_batches, infer_local_values, record_function_facts,
                           record_parameter_uses)
from .values import TENSOR, value_of
from .summary import (BUILDS_A_GRAPH, CAPTURED, IN_TF_FUNCTION_LAMBDA, LOCAL, ONE_OBJECT, TF_FUNCTION, Blocker, CallSite,
                      ClassSummary, Effect, EffectKind, FunctionNode, FunctionSummary, GraphEntry, Locality, ModuleSummary,
                      WrapperCall, definition_names, loc_of)

_CONTAINER, _NOT_CONTAINER, _MAYBE_CONTAINER = "container", "not a container", "maybe a container"
_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_METHOD_KINDS = {"name:builtins.staticmethod": "static", "name:builtins.classmethod": "class"}
_WRAPPER_REFS = ("name:", "fn:", "inst:", "method:", "attr:")  # what may name a project or library function


def summarize_module(tree: ast.Module, module: str, is_package: bool, digest: str,
                     kb: KnowledgeBase, text: str | None = None) -> ModuleSummary:
    """The module's summary; ``text`` (its source) lets whole-tree searches be skipped when a word is absent."""
    bindings = ImportBindings.collect(tree, module, is_package)
    summary = ModuleSummary(module, digest, is_package, bindings=dict(bindings.bindings))
    builder = ModuleSummariser(tree, summary, bindings, kb, text)
    builder.run()
    return summary


class ModuleSummariser(Resolver):
    def __init__(self, tree: ast.Module, summary: ModuleSummary, bindings: ImportBindings, kb: KnowledgeBase,
                 text: str | None = None):
        super().__init__(summary, bindings, kb)
        self.tree = tree
        self.text = text
        self._class_nodes: dict[str, ast.ClassDef] = {}
        self._helper_flags: dict[int, tuple[object, list[ast.expr]]] = {}  # see _flags_set_by_helpers
        self._class_attribute_values: dict[str, dict[str, list[ast.expr]]] = {}

    # -- module level -----------------------------------------------------

    def run(self) -> None:
        self._collect_module_names()
        own = _passes_nodes(_own_nodes_with_guards(self.tree.body))
        self._record_loop_rebindings(own)
        self._prepare_locals(self.module_scope, own)
        infer_local_values(self, self.module_scope, own)
        self.summary.values = {name: sorted(value) for name, value in self.module_scope.values.items() if value}
        self._module_flags(own)
        self._walk_definitions(self.tree.body, prefix="", class_name=None, parent=None)
        self._analyse_body(self.module_scope, own, self.summary.module_calls, None)
        self._hybrid_object_attributes(_own_nodes_with_guards(self.tree.body), self.module_scope)
        self.summary.attribute_loads = _attribute_loads(node for node, _ in _own_nodes_with_guards(self.tree.body))

    def _module_flags(self, own: list) -> None:
        tf1 = self.kb.tf1_graph_mode
        self.summary.graph_mode_tf1 = any(
            isinstance(node, ast.Call) and self.dotted(node.func, self.module_scope) in tf1 for node, _ in own) or any(
            isinstance(node, ast.Attribute) and self.kb.canonical(self.bindings.qualified_name(node) or "") in tf1
            for node in (ast.walk(self.tree) if self._may_mention(name.rpartition(".")[2] for name in tf1) else ()))
        imported = set(self.bindings.bindings.values())
        uses_keras = any(name == "keras" or name.startswith("keras.") for name in imported)
        uses_tensorflow = any(name == "tensorflow" or name.startswith("tensorflow.") for name in imported)
        self.summary.keras_without_tensorflow = uses_keras and not uses_tensorflow
        self.summary.other_framework = not uses_tensorflow and not uses_keras and any(
            name.split(".")[0] in self.kb.other_frameworks for name in imported)

    def _may_mention(self, words) -> bool:
        return self.text is None or any(word in self.text for word in words)

    @cached_property
    def _declared_global(self) -> frozenset[str]:
        return frozenset(name for node in statements(self.tree.body) if isinstance(node, ast.Global)
                         for name in node.names)

    def _record_loop_rebindings(self, own: list) -> None:
        """``lr = lr * 0.9``, ``model.beta = ...``, ``hparams["lr"] *= 0.5`` in a module-level loop, and the
        loop's own target: values that change while the program runs."""
        for node, guards in own:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                targets = [node.target]
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) \
                    and any(isinstance(guard, _InLoop) for guard in guards):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            else:
                continue
            for target in _flatten_targets(targets):
                name = _stored_object(target)
                if name is not None:
                    self.summary.rebound_globals.setdefault(name, node.lineno)

    @cached_property
    def _module_variables(self) -> frozenset[str]:
        """Names the module binds by assignment (not by def, class or import)."""
        return frozenset(target.id for node in _module_level_statements(self.tree.body)
                         if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                         for target in _flatten_targets(node.targets if isinstance(node, ast.Assign)
                                                        else [node.target])
                         if isinstance(target, ast.Name))

    def _record_global_uses(self, scope: Scope, every: list, function: FunctionSummary) -> None:
        """Module variables the body reads, and those it rebinds through ``global``."""
        variables = self._module_variables
        function.global_reads = sorted({
            node.id for node, _ in every if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            and node.id in variables and (node.id in scope.globals or node.id not in scope.locals)
            and node.id not in scope.params})
        loop_bound = set()
        for node, guards in every:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                loop_bound.update(t.id for t in _flatten_targets([node.target]) if isinstance(t, ast.Name))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    and any(isinstance(guard, _InLoop) for guard in guards):
                loop_bound.add(node.id)
        function.loop_bound = sorted(loop_bound)
        function.reads_variable_lists = any(isinstance(node, ast.Attribute) and node.attr in VARIABLE_LISTS
                                            for node, _ in every)
        receiver = scope.params[0] if function.class_name and scope.params and function.method_kind == "instance" \
            else None
        function.attribute_loads = _attribute_loads(node for node, _ in every if not _on(node, receiver))
        function.self_attribute_loads = _attribute_loads(node for node, _ in every if _on(node, receiver))
        # A driver (a function with loops, like `main`) changes state for the loops after the change;
        # a helper without loops may be called from any loop, so each of its changes counts.
        loops = [node.end_lineno or node.lineno for node, _ in every if isinstance(node, _LOOP_NODES)]
        first_loop_end = min(loops) if loops else 0
        for node, guards in every:
            if not isinstance(getattr(node, "ctx", None), ast.Store):
                continue
            if loops and node.lineno <= first_loop_end and not any(isinstance(g, _InLoop) for g in guards):
                continue  # set up before the driver's first loop: every call sees it
            if isinstance(node, ast.Name) and node.id in scope.globals:
                self.summary.rebound_globals.setdefault(node.id, node.lineno)
            elif isinstance(node, ast.Attribute) and node.attr == "trainable":
                self.summary.trainable_toggles.append(node.lineno)  # changes `trainable_variables` of models
            if isinstance(node, (ast.Attribute, ast.Subscript)):
                name = _stored_object(node)  # `model.beta = 1.0`, `hparams["lr"] = ...` on a module object
                if name in variables and (name in scope.globals or name not in scope.locals) \
                        and name not in scope.params:
                    self.summary.rebound_globals.setdefault(name, node.lineno)

    def _collect_module_names(self) -> None:
        for node in _module_level_statements(self.tree.body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.top_defs[node.name] = node.name
            elif isinstance(node, ast.ClassDef):
                self.top_classes.add(node.name)
                if any(self._makes_a_structure(base) for base in node.bases):
                    self.structure_classes.add(node.name)
            elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
                self.summary.star_imports.append(self.bindings.absolute_module(node))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self._module_assignment(target.id, node.value)
                        if isinstance(node.value, ast.Call) and self._makes_a_structure(node.value.func):
                            self.structure_classes.add(target.id)
        self.module_scope.locals = frozenset()

    def _makes_a_structure(self, expr: ast.expr) -> bool:
        """``collections.namedtuple``, ``typing.NamedTuple`` (or a call of them, as a base)."""
        if isinstance(expr, ast.Call):
            expr = expr.func
        dotted = self.bindings.qualified_name(expr)
        return dotted is not None and self.kb.canonical(dotted) in self.kb.structure_factories

    def _module_assignment(self, name: str, value: ast.expr) -> None:
        if name == "__all__" and isinstance(value, (ast.List, ast.Tuple)):
            self.summary.all_names = [e.value for e in value.elts
                                      if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            return
        if isinstance(value, ast.Call):
            callee = self.bindings.qualified_name(value.func)
            if self.kb.is_hybridizer(callee) and value.args:
                ref = self.function_ref(value.args[0], self.module_scope)
                if ref:
                    self.summary.aliases[name] = ref
                    if self._wraps_one_object(value.args[0], self.module_scope):
                        self.summary.hybrid_wrappers[f"name:{self.module}.{name}"] = ref
                return
            ref = self.callee_ref(value.func, self.module_scope)
            if ref:
                self.summary.instances[name] = ref
            dtype = tensor_dtype(self, value, self.module_scope)
            if dtype is not None and name in self._declared_global:
                dtype = UNKNOWN  # a function may rebind it (`global W; W = ...`)
            if dtype is not None:
                known = self.summary.tensor_dtypes.setdefault(name, dtype)
                if known != dtype:
                    self.summary.tensor_dtypes[name] = UNKNOWN
        elif isinstance(value, (ast.Name, ast.Attribute)):
            ref = self.function_ref(value, self.module_scope)
            if ref:
                self.summary.aliases[name] = ref

    def _walk_definitions(self, body: list[ast.stmt], prefix: str, class_name: str | None,
                          parent: Scope | None) -> None:
        definitions = [child for node in body for child in _direct_definitions(node)]
        for child, name in zip(definitions, definition_names(definitions)):
            if isinstance(child, ast.ClassDef):
                self._class(child, prefix, parent, name)
            else:
                self._function(child, prefix, class_name, parent, name)

    def _class(self, node: ast.ClassDef, prefix: str, parent: Scope | None, name: str) -> None:
        qualname = f"{prefix}{name}"
        scope = parent or self.module_scope
        self._class_nodes[qualname] = node
        info = ClassSummary(qualname, node.lineno)
        info.bases = [ref for ref in (self.callee_ref(base, scope) for base in node.bases) if ref]
        info.unnamed_bases = len(info.bases) != len(node.bases)
        info.decorators = [self.callee_ref(d.func if isinstance(d, ast.Call) else d, scope) or "?"
                           for d in node.decorator_list]
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                info.methods.append(item.name)
            elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Call):
                # call = tf.function(call) inside a class body
                if self.kb.is_hybridizer(self.qualified_name(item.value.func, scope)) and item.value.args:
                    wrapped = item.value.args[0]
                    if isinstance(wrapped, ast.Name):
                        ref = f"fn:{self.module}:{qualname}.{wrapped.id}"
                        self.summary.graph_entries.append(GraphEntry(
                            ref, loc_of(item.value), TF_FUNCTION,
                            "input_signature" in _hybridizer_keywords(item.value)))
        self.summary.classes[qualname] = info
        self._walk_definitions(node.body, qualname + ".", qualname, parent)

    def _function(self, node: FunctionNode, prefix: str, class_name: str | None, parent: Scope | None,
                  name: str) -> None:
        qualname = f"{prefix}{name}"
        arguments = node.args
        params = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
        params += [a.arg for a in (arguments.vararg,) if a] + [a.arg for a in arguments.kwonlyargs]
        params += [a.arg for a in (arguments.kwarg,) if a]
        every = list(_own_nodes_with_guards(node.body))  # one walk, shared by every pass below
        own = _passes_nodes(every)  # what the passes look at: no bare names, constants, attributes
        scope = Scope(node, qualname, class_name, parent, params=params,
                       locals=bindings_among(node, _outside_lambdas(every)), restored_flags=_restored_flags(node.body),
                       restored_places=_restored_places(node.body))
        scope.nested = {child.name: f"{qualname}.{child.name}" for child, _ in own
                        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for statement, _ in own:
            if isinstance(statement, ast.Global):
                scope.globals.update(statement.names)
            elif isinstance(statement, ast.Nonlocal):
                scope.nonlocals.update(statement.names)
        scope.imports = self._function_imports(scope, own, every)
        scope.localities.update(dict.fromkeys(scope.imports, CAPTURED))  # modules and what they define
        hybrid = False
        decorators = []
        hybrid_keywords: list[str] = []
        autograph = True
        method_kind = "instance"
        outer = parent or self.module_scope
        wrapped_by = []  # decorators above tf.function: they receive the tf.function object
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.kb.is_hybridizer(self.qualified_name(target, outer)):
                hybrid = True
                if isinstance(decorator, ast.Call):
                    hybrid_keywords = _hybridizer_keywords(decorator)
                    autograph = _autograph_argument(decorator, {}) is not False
                if wrapped_by:  # `@never_runs_eagerly @tf.function def f`: f must stay a tf.function
                    self.summary.hybrid_object_uses.append(f"fn:{self.module}:{qualname}")
                continue
            ref = self.callee_ref(target, outer)
            if not hybrid and ref not in _METHOD_KINDS and not _is_property_decorator(target, ref):
                wrapped_by.append(ref)
            if class_name and ref in _METHOD_KINDS:
                method_kind = _METHOD_KINDS[ref]
            elif class_name and _is_property_decorator(target, ref):
                method_kind = "property"
            elif ref and ref not in _METHOD_KINDS and ref != "name:builtins.property":
                # `@register("name")` decorates with what `register("name")` returns: the function whose
                # body runs once, at definition (a registration), is the factory's; the wrapper that
                # runs at each call is what that returns.
                decorators.append(self.callee_ref(decorator, outer) or ref if isinstance(decorator, ast.Call)
                                  else ref)
                self._decorator_wrapper_entry(decorator, f"fn:{self.module}:{qualname}", outer)
        function = FunctionSummary(
            qualname, node.lineno, hybrid, params=params, class_name=class_name, decorators=decorators,
            is_generator=any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child, _ in own),
            is_async=isinstance(node, ast.AsyncFunctionDef), stub=_is_stub(node.body), nested=parent is not None,
            defaults=_defaulted_parameters(node), hybrid_keywords=hybrid_keywords, method_kind=method_kind,
            variadic=bool(arguments.vararg or arguments.kwarg or arguments.kwonlyargs), autograph=autograph)
        self.summary.functions[qualname] = function
        self._prepare_locals(scope, own)
        infer_local_values(self, scope, own)
        record_function_facts(self, scope, own, function)
        record_parameter_uses(function, every)
        self._record_global_uses(scope, every, function)
        self._hybrid_object_attributes(every, scope)
        self._analyse_body(scope, own, function.calls, function)
        function.local_localities = {name: scope.localities.get(name, LOCAL) for name in scope.locals}
        function.wrapper_calls = self._wrapper_calls(scope, own, node)
        function.returned_functions = [
            f"fn:{self.module}:{scope.nested[n.value.id]}" for n, _ in own
            if isinstance(n, ast.Return) and isinstance(n.value, ast.Name) and n.value.id in scope.nested]
        if class_name and node.name == "__init__":
            self._record_attribute_types(scope, own, class_name)
        self._walk_definitions(node.body, qualname + ".", None, scope)

    def _function_imports(self, scope: Scope, own: list, every: list) -> dict[str, str]:
        """Names a function binds by ``import`` and in no other way: they refer to what they import."""
        statements = [node for node, _ in own if isinstance(node, (ast.Import, ast.ImportFrom))]
        if not statements:
            return {}
        imported = ImportBindings.collect(ast.Module(body=statements, type_ignores=[]), self.module,
                                          self.summary.is_package).bindings
        rebound = set(scope.params) | set(scope.nested) | scope.globals | scope.nonlocals
        rebound.update(node.id for node, _ in every
                       if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)))
        rebound.update(node.name for node, _ in own if isinstance(node, _SCOPE_NODES))
        return {name: dotted for name, dotted in imported.items() if name not in rebound}

    def _record_attribute_types(self, scope: Scope, own: list, class_name: str) -> None:
        info = self.summary.classes.get(class_name)
        if info is None or not scope.params:
            return
        receiver = scope.params[0]
        for child, _ in own:
            if isinstance(child, ast.Assign) and isinstance(child.value, ast.Call):
                for target in child.targets:
                    if _is_attribute_of(target, receiver):
                        ref = self.callee_ref(child.value.func, scope)
                        if ref:
                            info.attribute_types[target.attr] = ref

    # -- one function body ------------------------------------------------

    def _prepare_locals(self, scope: Scope, own: list) -> None:
        """Types, localities, datasets and Python iterators of local names, in source order."""
        for node, _ in own:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self._bind_local(scope, target.id, node.value)
            elif isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
                locality = self.locality(node.iter, scope)
                if locality != LOCAL:
                    scope.localities.setdefault(node.target.id, locality)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and isinstance(item.context_expr, ast.Call):
                        ref = self.callee_ref(item.context_expr.func, scope)
                        if ref:
                            scope.types[item.optional_vars.id] = ref

    def _bind_local(self, scope: Scope, name: str, value: ast.expr) -> None:
        if varying_batches(self, value, scope):
            scope.varying_batch_names.add(name)
        if isinstance(value, ast.Call):
            ref = self.callee_ref(value.func, scope)
            if ref:
                scope.types.setdefault(name, ref)
            if self.is_python_iterator(value, scope):
                scope.python_iterators.add(name)
        if self.is_dataset(value, scope):
            scope.datasets.add(name)
        if self.is_python_collection(value, scope):
            scope.python_collections.add(name)
        if isinstance(value, (ast.Name, ast.Attribute, ast.Subscript)):
            locality = self.locality(value, scope)
            if locality != LOCAL:
                scope.localities.setdefault(name, locality)

    def _analyse_body(self, scope: Scope, own: list, calls: list[CallSite],
                      function: FunctionSummary | None) -> None:
        for node, guards in own:
            if isinstance(node, ast.Call):
                self._call(node, scope, calls, function, guards)
            elif function is not None and isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                self._writes(node, scope, function, guards)
                self._hybrid_attribute(node, scope)

    def _hybrid_attribute(self, node: ast.stmt, scope: Scope) -> None:
        """``self.fn = tf.function(self.step)``: calls of ``self.fn`` are graph calls of ``self.step``."""
        value = getattr(node, "value", None)
        if not (isinstance(node, ast.Assign) and isinstance(value, ast.Call) and value.args and scope.class_name
                and self.kb.is_hybridizer(self.qualified_name(value.func, scope))):
            return
        ref = self.function_ref(value.args[0], scope)
        for target in node.targets:
            if ref and is_self(getattr(target, "value", None), scope) and isinstance(target, ast.Attribute):
                self.summary.hybrid_wrappers[f"method:{self.module}:{scope.class_name}:{target.attr}"] = ref

    def _wraps_one_object(self, wrapped: ast.expr, scope: Scope) -> bool:
        """``tf.function(self.step)``, ``tf.function(model)``, ``tf.function(model.call)``: a tf.function of
        one object's method, not of the function every instance of its class shares."""
        if isinstance(wrapped, ast.Attribute):
            owner = wrapped.value
            if is_self(owner, scope) or (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name)
                                          and owner.func.id == "super"):
                return True
            return isinstance(owner, ast.Name) and self.type_of(owner, scope) is not None \
                and not self.is_module_reference(owner, scope)
        return isinstance(wrapped, ast.Name) and self.type_of(wrapped, scope) is not None

    def _call(self, call: ast.Call, scope: Scope, calls: list[CallSite], function: FunctionSummary | None,
              guards: list) -> None:
        dotted = self.dotted(call.func, scope)
        ref = self.callee_ref(call.func, scope)
        self._graph_entries(call, dotted, scope)
        self._hybrid_object_use(call, scope)
        site = CallSite(loc_of(call), [ref] if ref else [],
                        args=[self.locality(arg, scope) for arg in call.args],
                        keywords={k.arg: self.locality(k.value, scope) for k in call.keywords if k.arg},
                        receiver=self.receiver_locality(call.func, scope),
                        iterator_args=[i for i, arg in enumerate(call.args)
                                       if self.advances_python_iterator(arg, scope)],
                        arg_values=[sorted(value_of(self, arg, scope)) for arg in call.args],
                        arg_names=[arg.id if isinstance(arg, ast.Name) else "" for arg in call.args],
                        keyword_names={k.arg: k.value.id for k in call.keywords
                                       if k.arg and isinstance(k.value, ast.Name)},
                        keyword_values={k.arg: sorted(value_of(self, k.value, scope)) for k in call.keywords if k.arg},
                        steady_args=[*(i for i, arg in enumerate(call.args) if self._steady_argument(arg, scope)),
                                    *(k.arg for k in call.keywords if k.arg and self._steady_argument(k.value, scope))],
                        unpacked_args=[*(i for i, arg in enumerate(call.args) if self._unpacked(arg, scope)),
                                       *(k.arg for k in call.keywords if k.arg and self._unpacked(k.value, scope))],
                        in_loop=any(isinstance(guard, _InLoop) for guard in guards),
                        occasional=_conditional_in_loop(guards),
                        conditional=any(isinstance(guard, _Branch) for guard in guards),
                        loop_trips=self._loop_trips(guards),
                        over_python_sequence=self._over_python_sequence(guards, scope))
        eager = self._runs_eagerly(guards, scope)
        once = self._once_only(guards, scope)
        site.guarded = eager or once
        calls.append(site)
        runs_python = dotted in self.kb.eager_wrappers
        named_only = dotted in self.kb.non_calling_functions  # isinstance(x, C): C is not called
        for argument in (*call.args, *(k.value for k in call.keywords)):
            passed = None if named_only else self.function_ref(argument, scope)
            if passed and not runs_python and dotted not in self.kb.hybridize_functions:
                calls.append(CallSite(loc_of(call), [passed], passed=True,
                                      receiver=self.receiver_locality(argument, scope), guarded=site.guarded))
        if function is not None and not eager:  # code that runs only eagerly fails and repeats nothing
            effects_before = len(function.effects)
            self._call_effects(call, dotted, ref, scope, function, guards)
            if once:  # runs once, eager or traced: not a per-trace hazard (graph errors still are)
                del function.effects[effects_before:]

    def _loop_trips(self, guards: list[ast.expr]) -> int | None:
        """How often the enclosing loops run a node, when every one is ``range`` of known integers."""
        loops = [guard.loop for guard in guards if isinstance(guard, _InLoop)]
        if not loops:
            return None
        trips = 1
        for loop in loops:
            count = self._range_length(loop)
            if count is None:
                return None
            trips *= count
        return trips

    def _over_python_sequence(self, guards: list[ast.expr], scope: Scope) -> bool:
        loops = [guard.loop for guard in guards if isinstance(guard, _InLoop)]
        if not loops:
            return False
        loop = loops[-1]
        iterable = loop.iter if isinstance(loop, (ast.For, ast.AsyncFor)) else \
            loop.generators[0].iter if isinstance(loop, _COMPREHENSIONS) else None
        return iterable is not None and self._python_sequence(iterable, scope)

    def _python_sequence(self, expr: ast.expr, scope: Scope, depth: int = 0) -> bool:
        """A list/tuple/set literal, a slice, a comprehension, ``zip``/``enumerate``/``reversed`` of such,
        ``nest.flatten(...)``, a dict's ``items()``/``keys()``/``values()``, or a local bound to one."""
        if depth > 3:
            return False
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set, ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return True
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice):
            return True
        if isinstance(expr, ast.Call):
            dotted = self.dotted(expr.func, scope) or ""
            if dotted == "builtins.zip" and len(expr.args) > 1:
                return True  # parallel Python structures (shapes and strides, names and values)
            if dotted in ("builtins.zip", "builtins.enumerate", "builtins.reversed", "builtins.sorted",
                          "builtins.tuple", "builtins.list"):
                return bool(expr.args) and self._python_sequence(expr.args[0], scope, depth + 1)
            if dotted.endswith("nest.flatten") or (isinstance(expr.func, ast.Attribute)
                                                   and expr.func.attr in ("items", "keys", "values")):
                return True
        if isinstance(expr, ast.Name) and scope.node is not None:
            bound = [node.value for node in ast.walk(scope.node) if isinstance(node, ast.Assign)
                     and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)]
            return bool(bound) and all(self._python_sequence(value, scope, depth + 1) for value in bound)
        return False

    def _range_length(self, loop: ast.stmt | None) -> int | None:
        """``for epoch in range(EPOCHS)`` with ``EPOCHS = 3`` at module level: 3."""
        if not isinstance(loop, (ast.For, ast.AsyncFor)) or not isinstance(loop.iter, ast.Call) \
                or self.dotted(loop.iter.func, self.module_scope) != "builtins.range" or loop.iter.keywords:
            return None
        bounds = [self._module_int(argument) for argument in loop.iter.args]
        if not bounds or None in bounds or len(bounds) > 3:
            return None
        return len(range(*bounds)) if bounds[-1] != 0 or len(bounds) < 3 else None

    def _module_int(self, expr: ast.expr) -> int | None:
        if isinstance(expr, ast.Constant) and type(expr.value) is int:
            return expr.value
        if isinstance(expr, ast.Name):
            return self._module_int_constants.get(expr.id)
        return None

    @cached_property
    def _module_int_constants(self) -> dict[str, int]:
        """Module-level ``NAME = <int>`` bound once (``EPOCHS = 3``)."""
        found: dict[str, list[int | None]] = {}
        for node in _module_level_statements(self.tree.body):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                found.setdefault(node.targets[0].id, []).append(
                    value.value if isinstance(value, ast.Constant) and type(value.value) is int else None)
        return {name: values[0] for name, values in found.items() if len(values) == 1 and values[0] is not None}

    def _call_effects(self, call: ast.Call, dotted: str | None, ref: str | None, scope: Scope,
                      function: FunctionSummary, guards: list[ast.expr]) -> None:
        kb = self.kb
        where = loc_of(call)
        if dotted == kb.python_print:
            fact = self._prints_a_trace_fact(call, scope, guards)
            function.effects.append(Effect(EffectKind.PRINT, "print", where, log_line=fact, diagnostic=fact))
        elif dotted is not None and dotted not in kb.pure_functions and dotted in kb.io_calls:
            log_line, diagnostic = self._log_line(call, dotted.rsplit(".", 1)[-1], scope, guards) \
                if dotted in kb.log_calls else (False, False)
            function.effects.append(Effect(EffectKind.IO, dotted, where, log_line=log_line, diagnostic=diagnostic))
        elif dotted is not None and dotted in kb.nondeterministic_calls:
            function.effects.append(Effect(EffectKind.NONDETERMINISM, dotted, where))
        elif dotted == "builtins.next" and call.args:
            argument = call.args[0]
            if self.advances_python_iterator(argument, scope):
                function.effects.append(Effect(EffectKind.PYTHON_ITERATOR, "next", where))
            elif isinstance(argument, ast.Name) and self.locality(argument, scope) == Locality.of_param(argument.id):
                # A Python iterator only if some caller passes one (tf.data iterators are fine).
                function.effects.append(Effect(EffectKind.PYTHON_ITERATOR, "next", where, Locality.of_iterparam(argument.id)))
        elif dotted in kb.variable_constructors and not [g for g in guards if isinstance(g, _Branch)]:
            function.errors.append(Effect(EffectKind.VARIABLE_CREATION, dotted, where))
        elif kb.creates_variable_owner(dotted) and not [g for g in guards if isinstance(g, _Branch)]:
            name = dotted.rsplit(".", 1)[-1]
            function.blockers.append(Blocker(
                f"makes a Keras `{name}` on every call: its variables would be created again after the first "
                "trace, which a tf.function rejects (ValueError)", where, []))
        elif isinstance(call.func, ast.Attribute):
            self._method_effects(call, scope, function, guards)

    def _prints_a_trace_fact(self, call: ast.Call, scope: Scope, guards: list[ast.expr]) -> bool:
        """``if isinstance(x, tf.RaggedTensor): print("WARNING: ...")``: no tensor printed, under a test
        of what the trace is for (types, static shapes), so once per trace is once per fact."""
        arguments = [*call.args, *(k.value for k in call.keywords)]
        if any(TENSOR in value_of(self, argument, scope) for argument in arguments):
            return False
        return any(isinstance(guard, _Branch) and self._tests_a_trace_fact(guard.test, scope)
                   and TENSOR not in value_of(self, guard.test, scope) for guard in guards)

    def _tests_a_trace_fact(self, test: ast.expr, scope: Scope) -> bool:
        for node in ast.walk(test):
            if isinstance(node, ast.Call) and self.dotted(node.func, scope) in self.kb.trace_fact_checks:
                return True
            if isinstance(node, ast.Attribute) and node.attr in self.kb.trace_fact_attributes:
                return True
        return False

    def _log_line(self, call: ast.Call, level: str | None, scope: Scope,
                  guards: list[ast.expr]) -> tuple[bool, bool]:
        """(a log line with no tensor among its arguments, and a diagnostic too: a warning or worse, or
        under a Python condition such as ``if not metric:``, not a line marking progress)."""
        values = [value_of(self, argument, scope) for argument in [*call.args, *(k.value for k in call.keywords)]]
        if any(TENSOR in value for value in values):
            return False, False
        if level in self.kb.diagnostic_levels:
            return True, True
        if any(isinstance(guard, _Branch) and TENSOR not in value_of(self, guard.test, scope) for guard in guards):
            return True, True
        # A progress line in a helper is about trace-time facts only if nothing in it may be a tensor
        # a caller passes (`log_metrics(loss)` logging `loss`) or a call returns.
        return not any(atom.startswith(("p:", "r:", "n:")) for value in values for atom in value), False

    def _method_effects(self, call: ast.Call, scope: Scope, function: FunctionSummary,
                        guards: list[ast.expr]) -> None:
        method = call.func
        assert isinstance(method, ast.Attribute)
        where = loc_of(call)
        if method.attr == "numpy" and not call.args and not self.is_module_reference(method.value, scope):
            function.errors.append(Effect(EffectKind.EAGER_ONLY_CALL, f"{_text(method.value)}.numpy()", where))
            return
        receiver_type = self.type_of(method.value, scope)
        if receiver_type is None and isinstance(method.value, ast.Call):  # `logging.getLogger(__name__).info()`
            receiver_type = self.callee_ref(method.value.func, scope)
        if receiver_type in self.factory_refs(self.kb.io_factories):
            log_line, diagnostic = self._log_line(call, method.attr, scope, guards) \
                if receiver_type in self.factory_refs(self.kb.logger_factories) else (False, False)
            function.effects.append(Effect(EffectKind.IO, f"{_text(method.value)}.{method.attr}", where,
                                           log_line=log_line, diagnostic=diagnostic))
            return
        if receiver_type in self.factory_refs(self.kb.nondeterministic_factories):
            function.effects.append(Effect(EffectKind.NONDETERMINISM, f"{_text(method.value)}.{method.attr}", where))
            return
        mutates = self.kb.mutates_container(method.attr, len(call.args))
        if mutates and not self.is_module_reference(method.value, scope):
            locality = self.locality(method.value, scope)
            kind = self._container_kind(method.value, scope)
            if kind == _MAYBE_CONTAINER and self.kb.may_be_framework_method(method.attr, len(call.args)):
                kind = _NOT_CONTAINER
            if locality != LOCAL and kind != _NOT_CONTAINER and not self._extends_a_fresh_list(call, scope):
                function.effects.append(Effect(EffectKind.CONTAINER_MUTATION, f"`{_text(method.value)}.{method.attr}`", where,
                                               _target(locality), method.attr if kind == _MAYBE_CONTAINER else None))

    def _unpacked(self, expr: ast.expr, scope: Scope) -> bool:
        binding = self.binding_scope(expr.id, scope) if isinstance(expr, ast.Name) else None
        return binding is not None and expr.id in binding.unpacked

    def _steady_argument(self, expr: ast.expr, scope: Scope) -> bool:
        """A string constant (``"sum"``) or the object's own state read afresh (``self.vocab_size``,
        ``len(self.tokenizer)``): what this call site passes on every run, to steer Python code."""
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords \
                and self.dotted(expr.func, scope) in ("builtins.len", "builtins.int", "builtins.float"):
            return isinstance(expr.args[0], ast.Attribute) and self._steady_argument(expr.args[0], scope)
        if isinstance(expr, ast.Attribute) and _reads_object_state(expr):
            root = expr
            while isinstance(root, ast.Attribute):
                root = root.value
            return is_self(root, scope)
        return False

    def _functions_held(self, expr: ast.expr, scope: Scope, depth: int = 0) -> list[str]:
        """The functions ``expr`` may hold: a function's name, either branch of ``a if c else b``, or
        what a local name is assigned from (``fn = string_fn if s else int_fn``)."""
        if isinstance(expr, ast.IfExp):
            return self._functions_held(expr.body, scope, depth) + self._functions_held(expr.orelse, scope, depth)
        ref = self.function_ref(expr, scope)
        if ref or depth > 2 or not isinstance(expr, ast.Name):
            return [ref] if ref else []
        binding = self.binding_scope(expr.id, scope)
        if binding is None or binding.node is None:
            return []
        return [held for node in ast.walk(binding.node) if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
                for held in self._functions_held(node.value, binding, depth + 1)]

    def _extends_a_fresh_list(self, call: ast.Call, scope: Scope) -> bool:
        """``self.vs = model.trainable_variables`` then ``self.vs.extend(self.extra)``: the list is
        new on every call (the property builds it) and grows by the same objects, so the object ends
        each call, eager or traced, holding the same list (tensordiffeq's idempotent rebuild)."""
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if not isinstance(receiver, ast.Attribute) or scope.node is None \
                or not all(_reads_object_state(argument) for argument in call.args):
            return False
        key = _place_key(receiver)
        return any(isinstance(node, ast.Assign) and node.lineno < call.lineno
                   and any(_place_key(target) == key for target in node.targets)
                   and isinstance(node.value, ast.Attribute) and node.value.attr in self.kb.fresh_list_attributes
                   for node in ast.walk(scope.node))

    def _container_kind(self, expr: ast.expr, scope: Scope) -> str:
        """Whether a receiver is a Python list/dict/set, surely not one, or of unknown type."""
        if self.is_tensorflow_value(expr, scope):
            return _NOT_CONTAINER
        if isinstance(expr, ast.Name):
            if self.is_python_collection(expr, scope) or self._annotated_container(expr.id, scope):
                return _CONTAINER
            if is_self(expr, scope):
                return self._class_container_kind(scope.class_name)
            return self._typeref_container_kind(self.type_of(expr, scope))
        if isinstance(expr, ast.Attribute) and is_self(expr.value, scope) and scope.class_name:
            return self._attribute_container_kind(scope.class_name, expr.attr, scope)
        return _MAYBE_CONTAINER

    def _annotated_container(self, name: str, scope: Scope) -> bool:
        """A parameter annotated as a mutable container: ``config: Dict[str, Any]``."""
        if scope.node is None or name not in scope.params:
            return False
        arguments = scope.node.args
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if argument.arg == name and argument.annotation is not None:
                annotation = argument.annotation
                if isinstance(annotation, ast.Subscript):
                    annotation = annotation.value
                return self.dotted(annotation, scope.parent or self.module_scope) in self.kb.container_annotations
        return False

    def _typeref_container_kind(self, typeref: str | None) -> str:
        """An instance of a container type is one; of another class (a capitalised name) is not."""
        if typeref is None or not typeref.startswith("name:"):
            return _MAYBE_CONTAINER
        dotted = typeref[5:]
        if dotted in self.kb.container_types:
            return _CONTAINER
        return _NOT_CONTAINER if dotted.rpartition(".")[2][:1].isupper() else _MAYBE_CONTAINER

    def _class_container_kind(self, class_name: str | None) -> str:
        """``self``: a container only if the class derives from one directly."""
        info = self.summary.classes.get(class_name or "")
        bases = info.bases if info else []
        if any(self._typeref_container_kind(base) == _CONTAINER for base in bases):
            return _CONTAINER
        return _NOT_CONTAINER if info is not None else _MAYBE_CONTAINER

    def _attribute_container_kind(self, class_name: str, attribute: str, scope: Scope) -> str:
        """``self.ATTR``: from what the class's methods assign to it (a display, a constructor call)."""
        kinds = set()
        for value in self._attribute_values(class_name).get(attribute, []):
            if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
                kinds.add(_CONTAINER)
            elif isinstance(value, ast.Call):
                kinds.add(self._typeref_container_kind(self.callee_ref(value.func, self.module_scope)))
            else:
                kinds.add(_MAYBE_CONTAINER)
        return _CONTAINER if _CONTAINER in kinds else _NOT_CONTAINER if kinds == {_NOT_CONTAINER} else _MAYBE_CONTAINER

    def _attribute_values(self, class_name: str) -> dict[str, list[ast.expr]]:
        """What the methods of a class assign to ``self.ATTR``, by attribute (one walk per class)."""
        found = self._class_attribute_values.get(class_name)
        if found is None:
            found = self._class_attribute_values[class_name] = {}
            node = self._class_nodes.get(class_name)
            for method in node.body if node else []:
                if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
                    continue
                receiver = method.args.args[0].arg
                for child in ast.walk(method):
                    if isinstance(child, (ast.Assign, ast.AnnAssign)) and child.value is not None:
                        for target in child.targets if isinstance(child, ast.Assign) else [child.target]:
                            if _is_attribute_of(target, receiver):
                                found.setdefault(target.attr, []).append(child.value)
        return found

    def _once_only(self, guards: list, scope: Scope) -> bool:
        """Code that runs at most once, eager or traced: a block guarded by a test of a flag that it sets.

        ``if self.w is None: self.w = ...``, ``if not self.built: ...; self.built = True``,
        ``if first_call: ...; first_call = False`` (a nonlocal), ``if hasattr(self, "_c"): return self._c``
        followed by ``self._c = ...``: after the first run the test is false, in eager code as in every
        later trace. The flag must outlive the call: ``if seed is None: seed = ...`` runs at every call.
        """
        return any(self._outlives_call(flag, scope) for guard in guards if isinstance(guard, _Branch)
                   for flag in [*guard.own_flags, *self._flags_set_by_helpers(guard, scope)])

    def _calls_a_narrowed_layer(self, value: ast.expr | None, guards: list, scope: Scope) -> bool:
        """``if isinstance(self.init, tf.keras.layers.Layer): self.kernel = self.init(shape)``: the
        guard says the callee is a Keras layer, and a layer called in graph code returns tensors."""
        if not isinstance(value, ast.Call):
            return False
        callee = _place_key(value.func)
        for guard in guards:
            test = guard.test if isinstance(guard, _Branch) and guard.taken else None
            if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
                    and len(test.args) == 2 and _place_key(test.args[0]) == callee:
                types = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
                if types and all(self.dotted(t, scope) in self.kb.keras_layer_bases for t in types):
                    return True
        return False

    def _flags_set_by_helpers(self, guard: _Branch, scope: Scope) -> list[ast.expr]:
        """``if self._loss is None: self._make_loss()``: the block's flag set by a method of the same
        class that the block calls on ``self`` (and that sets it for good). Asked for every node under
        the guard, so worked out once per guard (the guard kept with it, so its id is not reused)."""
        known = self._helper_flags.get(id(guard))
        if known is None or known[0] is not guard:
            known = self._helper_flags[id(guard)] = (guard, self._find_flags_set_by_helpers(guard, scope))
        return known[1]

    def _find_flags_set_by_helpers(self, guard: _Branch, scope: Scope) -> list[ast.expr]:
        methods = self._own_methods(scope)
        if not methods:
            return []
        found = []
        for flag, holds in _flags(guard.test, guard.taken):
            for statement in guard.body:
                call = statement.value if isinstance(statement, ast.Expr) else None
                if isinstance(call, ast.Call) and _on(call.func, scope.params[0]) and call.func.attr in methods:
                    helper = methods[call.func.attr]
                    if helper.args.args and helper.args.args[0].arg == scope.params[0]:
                        ends = [_ends(holds, value) for value in _assigned_values(helper.body, flag)]
                        if ends and all(ends):
                            found.append(flag)
                            break
        return found

    def _own_methods(self, scope: Scope) -> dict[str, FunctionNode]:
        """The methods of the class a method belongs to, by name (empty outside a method)."""
        node = self._class_nodes.get(scope.class_name) if scope.class_name and scope.params else None
        if node is None:
            return {}
        return {child.name: child for child in node.body if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def _outlives_call(self, flag: ast.expr, scope: Scope) -> bool:
        """A global or nonlocal name, or an attribute of an object the call did not make
        (``cell.built`` for a ``cell`` of ``self.cells``)."""
        if isinstance(flag, ast.Name):
            if flag.id in scope.globals or flag.id in scope.nonlocals:
                return True
            if flag.id in scope.params:
                return False  # rebound on every call
        return self.locality(flag, scope) != LOCAL  # a captured container (`if not cache:`) too

    def _runs_eagerly(self, guards: list, scope: Scope) -> bool:
        """Under ``if tf.executing_eagerly():`` or ``with tf.init_scope():``: never traced Python."""
        for guard in guards:
            if isinstance(guard, _Branch) and self._eager_test(guard.test, guard.taken, scope):
                return True
            if isinstance(guard, _InWith) and any(
                    isinstance(item.context_expr, ast.Call)
                    and self.dotted(item.context_expr.func, scope) in self.kb.eager_scopes
                    for item in guard.statement.items):
                return True
        return False

    def _eager_test(self, test: ast.expr, taken: bool, scope: Scope) -> bool:
        """``test`` being ``taken`` (true) or not implies that TensorFlow executes eagerly."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._eager_test(test.operand, not taken, scope)
        if isinstance(test, ast.BoolOp):
            return isinstance(test.op, ast.And) == taken and any(
                self._eager_test(value, taken, scope) for value in test.values)
        return taken and isinstance(test, ast.Call) and self.dotted(test.func, scope) in self.kb.eager_checks

    def _creates_state(self, value: ast.expr | None, scope: Scope) -> bool:
        """The create-once idiom assigns a variable or an object, not a computed tensor (a cache)."""
        if not isinstance(value, ast.Call):
            return TENSOR not in value_of(self, value, scope)
        dotted = self.dotted(value.func, scope)
        if dotted in self.kb.variable_constructors:
            return True
        return not self.kb.produces_tensor(dotted) and TENSOR not in value_of(self, value, scope)

    def _writes(self, node: ast.stmt, scope: Scope, function: FunctionSummary, guards: list) -> None:
        if self._runs_eagerly(guards, scope):
            return
        # A once-only build (`if self.w is None: self.w = tf.Variable(...)`) keeps objects, not a
        # tensor of the first trace (that would leak out of its graph).
        guards_once = self._once_only(guards, scope)
        once = guards_once and self._creates_state(getattr(node, "value", None), scope)
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        for target in _flatten_targets(targets):
            if once or (isinstance(getattr(node, "value", None), ast.Constant)
                        and any(_same_place(target, flag) for flag in scope.restored_flags)) \
                    or any(_same_place(target, place) for place in scope.restored_places):
                continue
            if isinstance(target, ast.Name):
                if target.id in scope.globals:
                    function.effects.append(Effect(EffectKind.GLOBAL_WRITE, f"global `{target.id}`", loc_of(target)))
                elif target.id in scope.nonlocals:
                    function.effects.append(Effect(EffectKind.GLOBAL_WRITE, f"nonlocal `{target.id}`", loc_of(target),
                                                   Locality.of_closure(target.id)))
            elif isinstance(target, ast.Attribute):
                locality = self.locality(target.value, scope)
                if not guards_once and isinstance(node, ast.Assign) \
                        and (TENSOR in value_of(self, node.value, scope)
                             or self._calls_a_narrowed_layer(node.value, guards, scope)):
                    continue  # a traced tensor parked on an object: the graph computes it on every call
                if isinstance(node, ast.Assign) and (_overrides_a_default(target, node.value)
                                                     or _same_function_every_call(node.value, scope)
                                                     or _same_value_every_call(target, node.value, guards, scope.node)):
                    continue
                if locality != LOCAL:
                    scratch = target.attr if isinstance(node, ast.Assign) and _written_before_read(
                        target, node.value, scope.node) else None
                    value = getattr(node, "value", None)
                    stored = value.id if isinstance(node, ast.Assign) and isinstance(value, ast.Name) \
                        and value.id in function.receiverless_params() else None
                    function.effects.append(Effect(EffectKind.ATTRIBUTE_WRITE, f"`{_text(target)}`", loc_of(target),
                                                   _target(locality), scratch_attribute=scratch,
                                                   stored_param=stored))
            elif isinstance(target, ast.Subscript):
                locality = self.locality(target.value, scope)
                if _fills_a_cache(target, guards, scope.node):
                    continue  # `cache[key] = ...` on a miss: once per key, eager or traced
                if locality != LOCAL and not self.is_tensorflow_value(target.value, scope):
                    function.effects.append(Effect(EffectKind.CONTAINER_MUTATION, f"item assignment on `{_text(target.value)}`",
                                                   loc_of(target), _target(locality)))

    # -- graph entries ------------------------------------------------------

    def _hybrid_object_use(self, call: ast.Call, scope: Scope) -> None:
        """``isinstance(f, tf.types.experimental.PolymorphicFunction)``: code that needs ``f`` to stay a tf.function."""
        if len(call.args) == 2 and self.dotted(call.func, scope) == "builtins.isinstance":
            types = call.args[1].elts if isinstance(call.args[1], ast.Tuple) else [call.args[1]]
            if any(self.dotted(t, scope) in self.kb.hybrid_object_types for t in types
                   if isinstance(t, (ast.Name, ast.Attribute))):
                self._used_as_hybrid(call.args[0], scope)

    def _hybrid_object_attributes(self, nodes: Iterable, scope: Scope) -> None:
        """``f.get_concrete_function(...)``, ``f.python_function``: attributes only a tf.function has."""
        attributes = self.kb.hybrid_object_attributes
        if not self._may_mention(attributes):
            return
        for node, _ in nodes:
            if isinstance(node, ast.Attribute) and node.attr in attributes:
                self._used_as_hybrid(node.value, scope)

    def _used_as_hybrid(self, expr: ast.expr, scope: Scope) -> None:
        if isinstance(expr, ast.Call) and expr.args and self.kb.is_hybridizer(self.dotted(expr.func, scope)):
            expr = expr.args[0]  # `tf.function(f).get_concrete_function(...)`
        ref = self.function_ref(expr, scope)
        if ref and ref not in self.summary.hybrid_object_uses:
            self.summary.hybrid_object_uses.append(ref)

    def _builder_base(self, call: ast.Call, scope: Scope) -> bool:
        """``super().__init__(...)`` in a subclass of a class that builds a graph from the functions
        it is given (``tf.estimator.Estimator`` and its ``model_fn``)."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "__init__" and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "super" and scope.class_name):
            return False
        node = self._class_nodes.get(scope.class_name)
        return any(self.dotted(base, self.module_scope) in self.kb.graph_builders
                   for base in (node.bases if node is not None else []))

    def _graph_entries(self, call: ast.Call, dotted: str | None, scope: Scope) -> None:
        kb = self.kb
        functions = [*call.args, *(k.value for k in call.keywords)]
        if dotted in kb.hybridize_functions:
            via, functions = TF_FUNCTION, call.args[:1]
        elif dotted in kb.control_flow_functions:
            if not (scope.class_name and scope.qualname.rsplit(".", 1)[-1] in kb.framework_hooks):
                return  # the function is passed (a call site of the caller): graph code where the caller is
            # in a method frameworks call from their own graphs (an optimizer's update_step, a
            # layer's call): traced there, whatever the project's own code shows
            via = dotted.replace("tensorflow.", "tf.")
        elif dotted in kb.graph_builders or self._builder_base(call, scope):
            via = BUILDS_A_GRAPH  # `super().__init__(model_fn=...)` of an Estimator subclass too
        elif dotted in kb.eager_wrappers:
            for argument in functions:
                self.summary.eager_entries.extend(self._functions_held(argument, scope))
            return
        elif (isinstance(call.func, ast.Attribute) and call.func.attr in kb.graph_entry_methods
              and self.is_dataset(call.func.value, scope)):
            via = f"tf.data {call.func.attr}"
        elif isinstance(call.func, ast.Attribute) and call.func.attr in kb.keras_compiling_calls:
            self._compiled_call(call.func, scope)
            return
        else:
            self._wrapper_entries(call, scope)
            return
        signature = via == TF_FUNCTION and "input_signature" in _hybridizer_keywords(call)
        autograph = _autograph_argument(call, {}) if via == TF_FUNCTION else None
        if via == TF_FUNCTION and functions and self._wraps_one_object(functions[0], scope):
            via = ONE_OBJECT
        for argument in functions:
            entry_via = via
            if isinstance(argument, ast.Lambda):  # ds.map(lambda v: f(v)): what the lambda calls is traced
                refs = self._lambda_callees(argument, scope)
                if via in (TF_FUNCTION, ONE_OBJECT):
                    entry_via = IN_TF_FUNCTION_LAMBDA
            else:
                refs = [self.function_ref(argument, scope)]
            for ref in refs:
                if ref:
                    self.summary.graph_entries.append(GraphEntry(ref, loc_of(call), entry_via, signature,
                                                                 autograph=autograph))

    # -- wrappers of tf.function ----------------------------------------------

    def _wrapper_entries(self, call: ast.Call, scope: Scope) -> None:
        """``W(f)``, ``W(name, device, f)``: f runs as a graph if the project finds W wraps that argument."""
        wrapper = self.callee_ref(call.func, scope)
        if not wrapper or not wrapper.startswith(_WRAPPER_REFS) or not self.maybe_function(wrapper):
            return
        arguments = [(str(index), value) for index, value in enumerate(call.args)]
        if arguments and _configures_a_decorator(call.func):  # W(autograph=False)(f): as @W(autograph=False)
            arguments[0] = ("@", call.args[0])
        arguments += [(k.arg, k.value) for k in call.keywords if k.arg]
        for argument, value in arguments:
            ref = self._wrapped_function_ref(value, scope)
            if ref and self._names_a_function(ref):
                self.summary.graph_entries.append(GraphEntry(
                    ref, loc_of(call), "wrapper", wrapper=wrapper, argument=argument,
                    autograph=_autograph_argument(call, {})))

    def _wrapped_function_ref(self, value: ast.expr, scope: Scope) -> str | None:
        """``g``, ``self.step``, or ``agent.train`` with ``agent = Agent()``: a method of a known instance."""
        if not isinstance(value, (ast.Name, ast.Attribute)):
            return None
        ref = self.function_ref(value, scope)
        if ref is None and isinstance(value, ast.Attribute):
            method = self.callee_ref(value, scope)
            ref = method if method and method.startswith("inst:") else None
        return ref

    def _names_a_function(self, ref: str) -> bool:
        """Not one of this module's variables, classes or instances: those are no functions to wrap."""
        own = f"name:{self.module}."
        return not ref.startswith(own) or ref[len(own):] in self.summary.aliases

    def _decorator_wrapper_entry(self, decorator: ast.expr, function_ref: str, scope: Scope) -> None:
        """``@W`` or ``@W(...)`` on a def: the function is W's first argument (or that of what ``W(...)`` returns)."""
        wrapper = self.callee_ref(decorator, scope)
        if wrapper and wrapper.startswith(_WRAPPER_REFS) and self.maybe_function(wrapper):
            configured = isinstance(decorator, ast.Call)
            self.summary.graph_entries.append(GraphEntry(
                function_ref, loc_of(decorator), "wrapper", wrapper=wrapper, argument="@" if configured else "0",
                autograph=_autograph_argument(decorator, {}) if configured else None))

    def _wrapper_calls(self, scope: Scope, own: list, node: FunctionNode) -> list[WrapperCall]:
        """What the function returns that applies a callee to its own parameters: ``return tf.function(fn)``,
        ``return compile_fn(fn, **kw)``, ``wrapped = tf.function(*args); return wrapped``."""
        assigned = {target.id: statement.value for statement, _ in own
                    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                    for target in statement.targets if isinstance(target, ast.Name)}
        found: list[WrapperCall] = []
        for statement, _ in own:
            if not isinstance(statement, ast.Return) or statement.value is None:
                continue
            value = statement.value
            if isinstance(value, ast.Name) and value.id in assigned:
                value = assigned[value.id]
            if isinstance(value, ast.Call):
                found.extend(self._applied_parameters(value, scope, node, assigned))
        return found

    def _applied_parameters(self, call: ast.Call, scope: Scope, node: FunctionNode,
                            assigned: dict[str, ast.expr]) -> list[WrapperCall]:
        if self.kb.is_hybridizer(self.qualified_name(call.func, scope)):
            callee = "name:tensorflow.function"
        else:
            callee = self.callee_ref(call.func, scope)
            if not callee or not callee.startswith(_WRAPPER_REFS):
                return []
        receiver = scope.params[0] if scope.class_name and scope.params else None
        params = set(scope.params) - {receiver}
        variadic = node.args.vararg.arg if node.args.vararg else None
        autograph = _autograph_argument(call, assigned)
        found = []
        for index, value in enumerate(call.args):
            if isinstance(value, ast.Starred) and isinstance(value.value, ast.Name) and value.value.id == variadic:
                if index == 0:
                    found.append(WrapperCall(callee, f"*{variadic}", "0", autograph))
                break
            if isinstance(value, ast.Name) and value.id in params:
                found.append(WrapperCall(callee, value.id, str(index), autograph))
        for keyword in call.keywords:
            if keyword.arg and isinstance(keyword.value, ast.Name) and keyword.value.id in params:
                found.append(WrapperCall(callee, keyword.value.id, keyword.arg, autograph))
        return found

    def _compiled_call(self, method: ast.Attribute, scope: Scope) -> None:
        """``model.fit(...)`` & co.: the model's type and the method, resolved by the project."""
        receiver, name = method.value, method.attr
        own_class = f"name:{self.module}.{scope.class_name}" if scope.class_name else None
        receiver_type = self.type_of(receiver, scope)
        if receiver_type:
            self.summary.compiled_calls.append([receiver_type, name])
        elif is_self(receiver, scope) and own_class:
            self.summary.compiled_calls.append([own_class, name])
        elif _is_super_call(receiver) and own_class:  # super().predict(...) in an override
            self.summary.compiled_calls.append([own_class, name, "super"])
        elif isinstance(receiver, ast.Call):  # BaseNet().fit(...)
            ref = self.callee_ref(receiver.func, scope)
            if ref and ref.startswith("name:"):
                self.summary.compiled_calls.append([ref, name])
        elif isinstance(receiver, ast.Attribute) and is_self(receiver.value, scope) and scope.class_name:
            # self.model.fit(...): typed by the class's attribute_types, resolved by the project
            self.summary.compiled_calls.append([f"attr:{self.module}:{scope.class_name}:{receiver.attr}", name])

    def _lambda_callees(self, function: ast.Lambda, scope: Scope) -> list[str]:
        """References to what the calls in a lambda's body run (not calls of its own parameters)."""
        parameters = {arg.arg for node in ast.walk(function) if isinstance(node, ast.Lambda)
                      for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs,
                                  *(a for a in (node.args.vararg, node.args.kwarg) if a))}
        refs = []
        for node in ast.walk(function.body):
            if isinstance(node, ast.Call) and base_name(node.func) not in parameters:
                ref = self.callee_ref(node.func, scope)
                if ref and ref not in refs:
                    refs.append(ref)
        return refs


# -- helpers ------------------------------------------------------------------


def _direct_definitions(node: ast.AST):
    """Function and class definitions in ``node``'s own scope (inside if/try/with too)."""
    if isinstance(node, _SCOPE_NODES):
        yield node
        return
    if isinstance(node, (ast.Lambda, ast.expr)):
        return
    for child in ast.iter_child_nodes(node):
        yield from _direct_definitions(child)


def _outside_lambdas(own: list) -> list[ast.AST]:
    """The nodes of ``own`` not inside a lambda (whose parameters and walrus targets are its own)."""
    inside = {id(inner) for node, _ in own if isinstance(node, ast.Lambda)
              for inner in ast.walk(node) if inner is not node}
    return [node for node, _ in own if id(node) not in inside] if inside else [node for node, _ in own]


def _own_nodes_with_guards(body: list[ast.stmt]):
    """Nodes of a body outside nested defs/classes, with the guards (:class:`_Branch`, :class:`_InLoop`,
    :class:`_InWith`) enclosing each."""
    stack: list[tuple[ast.AST, list]] = list(reversed(_guarded_block(body, [])))
    while stack:
        node, guards = stack.pop()
        yield node, guards
        if isinstance(node, _SCOPE_NODES):
            continue
        if isinstance(node, ast.If):
            children = [(node.test, guards), *_guarded_block(node.body, [*guards, _Branch(node.test, True, node.body)]),
                        *_guarded_block(node.orelse, [*guards, _Branch(node.test, False, node.orelse)])]
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            looped = [*guards, _InLoop(node)]
            head = [node.target, node.iter] if isinstance(node, (ast.For, ast.AsyncFor)) else [node.test]
            children = [*((child, guards) for child in head), *_guarded_block(node.body, looped),
                        *((child, guards) for child in node.orelse)]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            children = [*((child, guards) for child in node.items),
                        *_guarded_block(node.body, [*guards, _InWith(node)])]
        elif isinstance(node, _COMPREHENSIONS):  # `[step(x) for x in ds]` runs step once per element
            looped = [*guards, _InLoop(node)]
            children = [(child, looped) for child in _children(node)]
        elif isinstance(node, ast.comprehension) and guards and isinstance(guards[-1], _InLoop) \
                and getattr(guards[-1].loop, "generators", [None])[0] is node:
            # the first `for` of a comprehension: its iterable is evaluated once, before the loop
            children = [(child, guards[:-1] if child is node.iter else guards) for child in _children(node)]
        else:
            children = [(child, guards) for child in _children(node)]
        stack.extend(reversed(children))


def _guarded_block(statements: list[ast.stmt], guards: list) -> list[tuple[ast.AST, list]]:
    """Each statement of a block with its guards: after ``if T: return``, the rest runs only when T is false."""
    result = []
    for index, statement in enumerate(statements):
        result.append((statement, guards))
        if isinstance(statement, ast.If) and not statement.orelse and statement.body \
                and isinstance(statement.body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break)):
            guards = [*guards, _Branch(statement.test, False, statements[index + 1:])]
    return result


# Node types the passes over a scope's own nodes look at (keep in step with those passes: a type
# missing here is a node they silently never see).
_PASS_TYPES = frozenset({
    ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete, ast.For, ast.AsyncFor, ast.While, ast.With,
    ast.AsyncWith, ast.comprehension, ast.NamedExpr, ast.Return, ast.Call, ast.BinOp, ast.UnaryOp,
    ast.Subscript, ast.Try, getattr(ast, "TryStar", ast.Try), ast.Import, ast.ImportFrom, ast.Global,
    ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
    ast.If,
})


def _passes_nodes(nodes) -> list:
    """The (node, guards) pairs the passes need: most nodes are names, constants and attributes."""
    return [pair for pair in nodes if type(pair[0]) in _PASS_TYPES]


# Fields holding only load/store contexts and operators: AST singletons no analysis looks at on
# their own, and a good third of all nodes.
_MARKER_FIELDS = frozenset({"ctx", "op", "ops"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: ast.AST):
    """``ast.iter_child_nodes`` without contexts and operators, and without its per-node field scan."""
    kind = type(node)
    names = _CHILD_FIELDS.get(kind)
    if names is None:
        names = _CHILD_FIELDS[kind] = tuple(name for name in kind._fields if name not in _MARKER_FIELDS)
    for name in names:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


def _is_property_decorator(decorator: ast.expr, ref: str | None) -> bool:
    """``@property``, ``@x.setter``/``getter``/``deleter``, ``@functools.cached_property``."""
    if ref in ("name:builtins.property", "name:functools.cached_property"):
        return True
    return isinstance(decorator, ast.Attribute) and decorator.attr in ("setter", "getter", "deleter")


def _module_level_statements(body: list[ast.stmt]):
    """Statements that run in the module's namespace: also those under ``if __name__ == "__main__":``,
    ``try`` and ``with`` blocks, but not inside functions or classes."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPE_NODES):
            continue
        for field_name in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, field_name, None)
            if isinstance(children, list):
                stack.extend(reversed(children))


class _InLoop(ast.expr):
    """Marks, among an expression's guards, that it runs inside a loop body."""

    marks_loop = True  # how passes in other modules recognise it

    def __init__(self, loop: ast.stmt | None = None):
        super().__init__()
        self.loop = loop


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _conditional_in_loop(guards: list) -> bool:
    """Whether an ``if`` inside the innermost loop guards the node: it runs on some iterations only."""
    for guard in reversed(guards):
        if isinstance(guard, _InLoop):
            return False
        if isinstance(guard, _Branch):
            return True
    return False


@dataclass(frozen=True, eq=False)
class _Branch:
    """A guard: the code runs only when ``test`` is ``taken`` (true) or not; ``body`` is that code's block."""

    test: ast.expr
    taken: bool
    body: list[ast.stmt]

    @cached_property
    def own_flags(self) -> list[ast.expr]:  # asked for every node under the guard: walk the block once
        return _own_flags(self)


@dataclass(frozen=True, eq=False)
class _InWith:
    """A guard: the code runs inside this ``with`` statement."""

    statement: ast.With | ast.AsyncWith


# tf.function's leading parameters, for arguments given by position: `@tf.function(None, [spec])`.
_TF_FUNCTION_PARAMETERS = ("func", "input_signature", "autograph", "jit_compile", "reduce_retracing")


def _hybridizer_keywords(decorator: ast.Call) -> list[str]:
    """The options a ``tf.function(...)`` decorator sets, by keyword or by position (None sets nothing,
    nor does False for the options that are off by default)."""
    named = [k.arg for k in decorator.keywords if k.arg and not _unset_option(k.arg, k.value)]
    positional = [name for name, value in zip(_TF_FUNCTION_PARAMETERS, decorator.args)
                  if not _unset_option(name, value)]
    return named + [name for name in positional if name != "func" and name not in named]


_OFF_BY_DEFAULT = frozenset({"jit_compile", "reduce_retracing", "experimental_relax_shapes"})


def _unset_option(name: str, value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and (value.value is None or (value.value is False
                                                                        and name in _OFF_BY_DEFAULT))


def _is_stub(body: list[ast.stmt]) -> bool:
    """A placeholder body, as ruff's stub-function check sees it: nothing to judge the function by yet."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                and (statement.value.value is Ellipsis or isinstance(statement.value.value, str)):
            continue
        raised = statement.exc.func if isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call) \
            else getattr(statement, "exc", None)
        if isinstance(statement, ast.Raise) and isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
            continue
        return False
    return True


def _defaulted_parameters(node: FunctionNode) -> list[str]:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    with_defaults = positional[len(positional) - len(arguments.defaults):] if arguments.defaults else []
    keyword_only = [a for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is not None]
    return [a.arg for a in (*with_defaults, *keyword_only)]


def _flatten_targets(targets):
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from _flatten_targets(target.elts)
        elif isinstance(target, ast.Starred):
            yield from _flatten_targets([target.value])
        else:
            yield target


def _own_flags(branch: _Branch) -> list[ast.expr]:
    """Flags the block's test requires unset and the block sets, without setting them back (a
    re-entry guard, ``self._busy = True; ...; self._busy = False``, runs on every call)."""
    found = []
    for flag, holds in _flags(branch.test, branch.taken):
        ends = [_ends(holds, value) for value in _assigned_values(branch.body, flag)]
        if (ends and all(ends)) or (not ends and holds == "falsy" and _fills(branch.body, flag)):
            found.append(flag)
    return found


def _overrides_a_default(target: ast.Attribute, value: ast.expr) -> bool:
    """``self.loss_fn = loss_fn or self.loss_fn`` (or ``... if loss_fn is None else ...``): the
    attribute changes only when a caller passes another Python value, and a tf.function traces
    again for another Python value, so the write runs again with it."""
    key = _place_key(target)
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        return _place_key(value.values[-1]) == key
    if isinstance(value, ast.IfExp):
        return key in (_place_key(value.body), _place_key(value.orelse))
    return False


def _same_value_every_call(target: ast.Attribute, value: ast.expr, guards: list, function: ast.AST | None) -> bool:
    """A write that leaves the object as every eager call would, set at the function's top level: a
    reset to a constant after the function's own earlier write (``obj.batch = None`` after the loop
    that set ``obj.batch = i``), or a mirror of object state read afresh (``self.vs =
    self.model.trainable_variables``). Running it once per trace loses nothing. (A flag set once,
    ``self.training = True``, is not: other code may clear it between calls.)"""
    if function is None or any(isinstance(guard, (_Branch, _InLoop)) for guard in guards):
        return False
    if isinstance(value, ast.Constant):
        key = _place_key(target)
        return any(isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _place_key(node) == key
                   and node.lineno < target.lineno for node in ast.walk(function))
    return isinstance(value, ast.Attribute) and _reads_object_state(value)


def _reads_object_state(expr: ast.expr) -> bool:
    """``self.model.trainable_variables``, ``[self.w]``: attribute reads of named objects only."""
    if isinstance(expr, (ast.List, ast.Tuple)):
        return all(_reads_object_state(element) for element in expr.elts)
    if not isinstance(expr, ast.Attribute):
        return False
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return isinstance(expr, ast.Name)


def _same_function_every_call(value: ast.expr, scope: Scope) -> bool:
    """``obj.hook = lambda *a, **k: None``: a patch that sets the same function on every call, so
    setting it once per trace leaves the object as eager calls would (nothing of the call in it)."""
    if not isinstance(value, ast.Lambda):
        return False
    arguments = value.args
    own = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    own |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
    return not any(isinstance(node, ast.Name) and node.id not in own and scope.binds(node.id)
                   for node in ast.walk(value))


def _on(node: ast.AST, receiver: str | None) -> bool:
    """``self.name`` for the method's receiver ``self``."""
    return receiver is not None and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
        and node.value.id == receiver


def _attribute_loads(nodes: Iterable[ast.AST]) -> list[str]:
    """Names of the attributes read (``x.name``, ``getattr(x, "name")``)."""
    found = set()
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            found.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            found.add(node.args[1].value)
    return sorted(found)


def _written_before_read(target: ast.Attribute, value: ast.expr, function: ast.AST | None) -> bool:
    """Whether ``target`` (``self.x = value``) is read later in ``function`` and not before (nor in
    ``value``): a value the function keeps for the rest of its call."""
    key = _place_key(target)
    if function is None or any(isinstance(node, ast.Attribute) and _place_key(node) == key for node in ast.walk(value)):
        return False
    where = (target.lineno, target.col_offset)
    reads = [(node.lineno, node.col_offset) for node in ast.walk(function)
             if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and _place_key(node) == key]
    return bool(reads) and min(reads) > where


def _fills_a_cache(target: ast.Subscript, guards: list, function: ast.AST | None) -> bool:
    """``CACHE[key] = value`` where the function looks ``key`` up first and returns what it finds:
    under ``if key not in CACHE:``, or after ``if key in CACHE: return CACHE[key]`` or
    ``try: return CACHE[key] except KeyError``. It runs once per key, in eager code as in traces."""
    cache, key = _place_key(target.value), ast.dump(target.slice)

    def is_lookup(expr: ast.AST | None) -> bool:
        return isinstance(expr, ast.Subscript) and _place_key(expr.value) == cache and ast.dump(expr.slice) == key

    def tests_membership(test: ast.expr, absent: bool) -> bool:
        return isinstance(test, ast.Compare) and len(test.ops) == 1 and ast.dump(test.left) == key \
            and _place_key(test.comparators[0]) == cache and isinstance(test.ops[0], ast.NotIn if absent else ast.In)

    for guard in guards:
        if isinstance(guard, _Branch) and tests_membership(guard.test, absent=guard.taken):
            return True
    for node in ast.walk(function) if function is not None else ():
        if isinstance(node, ast.If) and tests_membership(node.test, absent=False) \
                and any(isinstance(s, ast.Return) and is_lookup(s.value) for s in node.body):
            return True
        if isinstance(node, ast.Try) and any(isinstance(s, ast.Return) and is_lookup(s.value) for s in node.body) \
                and any(isinstance(h.type, ast.Name) and h.type.id in ("KeyError", "LookupError")
                        for h in node.handlers):
            return True
    return False


_FILLING_METHODS = frozenset({"append", "add", "update", "extend", "insert", "setdefault"})


def _fills(body: list[ast.stmt], place: ast.expr) -> bool:
    """Whether a block puts something into the container ``place`` (``if not cache: cache[k] = v``):
    the container is then truthy, and the block's test false on every later run."""
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _same_place(node.value, place):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _FILLING_METHODS and _same_place(node.func.value, place):
            return True
    return False


def _assigned_values(body: list[ast.stmt], place: ast.expr) -> list[ast.expr]:
    """The values a block (nested blocks included) assigns to ``place``."""
    found = []
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.extend(node.value for target in _flatten_targets(targets) if _same_place(target, place))
    return found


def _restored_flags(body: list[ast.stmt]) -> list[ast.expr]:
    """Flags a function sets and sets back (``self._in_call = True`` ... ``self._in_call = False``):
    they bound re-entry, and leave the object as it was after every call, traced or not."""
    constants: dict[str, tuple[ast.expr, set]] = {}
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and len(node.targets) == 1 \
                and isinstance(node.targets[0], (ast.Attribute, ast.Name)) and _is_place(node.targets[0]):
            constants.setdefault(_place_key(node.targets[0]), (node.targets[0], set()))[1].add(repr(node.value.value))
    return [place for place, values in constants.values() if len(values) > 1]


def _restored_places(body: list[ast.stmt]) -> list[ast.expr]:
    """Places a function saves and puts back (``was = _IN_SCOPE`` ... ``_IN_SCOPE = was``, in a
    context manager's ``finally``, say): whatever it writes there in between is undone by the time
    it returns, traced or not."""
    saved: dict[str, str] = {}  # local name → key of the place it holds
    places: dict[str, ast.expr] = {}
    restored: set[str] = set()
    for node in (n for statement in body for n in ast.walk(statement)):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        if isinstance(target, (ast.Name, ast.Attribute)) and _is_place(target) and isinstance(value, ast.Name) \
                and saved.get(value.id) == _place_key(target):
            restored.add(_place_key(target))
        elif isinstance(target, ast.Name) and _is_place(value) and isinstance(value, (ast.Name, ast.Attribute)):
            saved[target.id] = _place_key(value)
            places[_place_key(value)] = value
    return [places[key] for key in restored]


def _place_key(place: ast.expr) -> str:
    return ast.dump(place, annotate_fields=False).replace("Store()", "Load()")


def _flags(test: ast.expr, taken: bool):
    """(flag expression, what the branch needs of it) for each flag whose state ``test`` requires:
    "unset" (None or missing), "falsy" or "truthy"."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from _flags(test.operand, not taken)
    elif isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.And) == taken:  # every operand holds (or, negated, fails)
            for value in test.values:
                yield from _flags(value, taken)
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.comparators[0], ast.Constant) \
            and test.comparators[0].value is None and _is_place(test.left):
        if isinstance(test.ops[0], (ast.Is, ast.Eq)) == taken \
                and isinstance(test.ops[0], (ast.Is, ast.Eq, ast.IsNot, ast.NotEq)):
            yield test.left, "unset"
    elif isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr" \
            and len(test.args) == 2 and isinstance(test.args[1], ast.Constant) and isinstance(test.args[1].value, str):
        if not taken:
            yield ast.Attribute(test.args[0], test.args[1].value, ast.Load()), "unset"
    elif _is_place(test):
        yield test, "truthy" if taken else "falsy"


def _ends(holds: str, value: ast.expr) -> bool:
    """Assigning ``value`` makes the branch's condition on its flag false."""
    constant = isinstance(value, ast.Constant)
    if holds == "truthy":
        return constant and not value.value
    if holds == "unset":
        return not (constant and value.value is None)
    return not constant or bool(value.value)


def _is_place(expr: ast.expr) -> bool:
    """A name, an attribute chain or a constant index (``wrapped[0]``): something a flag can live in."""
    while isinstance(expr, ast.Attribute) or (isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant)):
        expr = expr.value
    return isinstance(expr, ast.Name)


def _same_place(target: ast.expr, flag: ast.expr) -> bool:
    if isinstance(target, ast.Name) and isinstance(flag, ast.Name):
        return target.id == flag.id
    if isinstance(target, ast.Attribute) and isinstance(flag, ast.Attribute):
        return target.attr == flag.attr and _same_place(target.value, flag.value)
    if isinstance(target, ast.Subscript) and isinstance(flag, ast.Subscript) \
            and isinstance(target.slice, ast.Constant) and isinstance(flag.slice, ast.Constant):
        return target.slice.value == flag.slice.value and _same_place(target.value, flag.value)
    return False





def _autograph_argument(call: ast.Call, assigned: dict[str, ast.expr]) -> bool | None:
    """What ``autograph=`` a call passes: a constant, or ``kwargs.pop("autograph", False)``'s default."""
    for keyword in call.keywords:
        if keyword.arg != "autograph":
            continue
        value = keyword.value
        if isinstance(value, ast.Name) and isinstance(assigned.get(value.id), ast.Call):
            popped = assigned[value.id]
            if isinstance(popped.func, ast.Attribute) and popped.func.attr in ("pop", "get") \
                    and len(popped.args) == 2 and isinstance(popped.args[0], ast.Constant) \
                    and popped.args[0].value == "autograph":
                value = popped.args[1]
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            return value.value
    return None


def _configures_a_decorator(expr: ast.expr) -> bool:
    """``W(autograph=False)``: a call with options only, whose result decorates (``tf.function(f)`` wraps f)."""
    return isinstance(expr, ast.Call) and not expr.args and not any(k.arg == "func" for k in expr.keywords)


def _is_super_call(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "super"


def _is_attribute_of(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == name


_LOOP_NODES = (ast.For, ast.AsyncFor, ast.While)


def _stored_object(target: ast.expr) -> str | None:
    """The name whose value an assignment target changes: ``x``, ``x.a.b``, ``x["k"]``."""
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None








def _target(locality: str) -> str | None:
    return None if locality == CAPTURED else locality


def _text(expr: ast.expr) -> str:
    try:
        text = ast.unparse(expr)
    except Exception:  # unparse cannot fail on parsed code, but a message must never crash a run
        return "…"
    return text if len(text) <= 40 else text[:39] + "…"
