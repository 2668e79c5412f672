"""The summariser (intraprocedural analysis): one module's AST → its :class:`ModuleSummary`.

For each function it records what the function does *itself* — Python side effects, graph-mode errors
and call sites with the locality of every argument — so the interprocedural analyses can combine
summaries without ASTs.

Locality says whose object an expression denotes, which decides whether mutating it is a side effect:
``local`` (allocated in this call), ``captured`` (a global, an import, an object reached from one),
``param:NAME`` (the caller's object, a side effect only if the caller's object is not local to it) and
``closure:NAME`` (a variable of an enclosing function).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..knowledge import KnowledgeBase
from .effects import CallAndWriteEffects
from .flags import flags_set_back, places_put_back
from .graph_entries import GraphEntries, autograph_argument, hybridizer_keywords
from .guard_facts import GuardFacts
from .loop_carried import mark_grown_lists
from .module_level import ModuleLevelFacts
from .names import ImportBindings, star_bindings
from .refs import FunctionRef, NameRef
from .resolver import Scope, is_self
from .scopes import bindings_among
from .statement_walk import (SCOPE_NODES, Branch, InLoop, block_path, conditional_in_loop, direct_definitions,
                             outside_lambdas, own_nodes_with_guards, passes_nodes)
from .summary import (BUILDS_A_GRAPH, CAPTURED, LOCAL, TF_FUNCTION, CallSite, ClassSummary, FunctionNode,
                      FunctionSummary, GraphEntry, ModuleSummary, definition_names, loc_of)
from .syntax import (attribute_loads, defaulted_parameters, flag_parameters, forces_eager_steps, is_attribute_of,
                     is_constant_display, is_stub, reads_object_state)
from .python_values import record_python_uses
from .tensor_facts import infer_local_values, record_function_facts, varying_batches
from .unrunnable import never_defined
from .values import value_of

_METHOD_KINDS = {str(NameRef("builtins.staticmethod")): "static", str(NameRef("builtins.classmethod")): "class"}
_PROPERTY, _CACHED_PROPERTY = str(NameRef("builtins.property")), str(NameRef("functools.cached_property"))


@dataclass
class _Decorated:
    """What a def's decorators make of it."""

    hybrid: bool = False
    decorators: list[str] = field(default_factory=list)
    hybrid_keywords: list[str] = field(default_factory=list)
    autograph: bool = True
    method_kind: str = "instance"


def summarize_module(tree: ast.Module, module: str, is_package: bool, digest: str,
                     kb: KnowledgeBase, text: str | None = None,
                     others: Mapping[str, ModuleSummary] | None = None) -> ModuleSummary:
    """The module's summary; ``text`` (its source) lets whole-tree searches be skipped when a word is absent;
    ``others``: summaries of the project's other modules, for what its star imports of them bring
    (:func:`.names.star_bindings`)."""
    bindings = ImportBindings.collect(tree, module, is_package)
    inherited = star_bindings(bindings.star_modules, others) if others and bindings.star_modules else {}
    summary = ModuleSummary(module, digest, is_package, bindings=dict(bindings.bindings), star_bindings=inherited)
    bindings.inherit(tree, summary.star_bindings)
    builder = ModuleSummariser(tree, summary, bindings, kb, text)
    builder.run()
    return summary


class ModuleSummariser(ModuleLevelFacts, GraphEntries, CallAndWriteEffects, GuardFacts):
    """Walks one module's definitions and bodies; each role it composes sits in a module of its own."""

    def __init__(self, tree: ast.Module, summary: ModuleSummary, bindings: ImportBindings, kb: KnowledgeBase,
                 text: str | None = None):
        super().__init__(summary, bindings, kb)
        self.tree = tree
        self.text = text
        self.class_nodes: dict[str, ast.ClassDef] = {}

    @functools.cached_property
    def _never_defined(self) -> set[tuple[int, int]]:
        return never_defined(self.tree, self.module)

    def run(self) -> None:
        self.collect_module_names()
        own = passes_nodes(own_nodes_with_guards(self.tree.body))
        self.record_loop_rebindings(own)
        self._prepare_locals(self.module_scope, own)
        infer_local_values(self, self.module_scope, own)
        self.summary.values = {name: sorted(value) for name, value in self.module_scope.values.items() if value}
        self.module_flags(own)
        self._walk_definitions(self.tree.body, prefix="", class_name=None, parent=None)
        self._analyse_body(self.module_scope, own, self.summary.module_calls, None)
        self.hybrid_object_attributes(own_nodes_with_guards(self.tree.body), self.module_scope)
        self.summary.attribute_loads = attribute_loads(node for node, _ in own_nodes_with_guards(self.tree.body))

    def _walk_definitions(self, body: list[ast.stmt], prefix: str, class_name: str | None,
                          parent: Scope | None) -> None:
        definitions = [child for node in body for child in direct_definitions(node)]
        for child, name in zip(definitions, definition_names(definitions)):
            if isinstance(child, ast.ClassDef):
                self._class(child, prefix, parent, name)
            else:
                self._function(child, prefix, class_name, parent, name)

    def _class(self, node: ast.ClassDef, prefix: str, parent: Scope | None, name: str) -> None:
        qualname = f"{prefix}{name}"
        scope = parent or self.module_scope
        self.class_nodes[qualname] = node
        info = ClassSummary(qualname, node.lineno)
        info.bases = [ref for ref in (self.callee_ref(base, scope) for base in node.bases) if ref]
        info.unnamed_bases = len(info.bases) != len(node.bases)
        info.decorators = [self.callee_ref(d.func if isinstance(d, ast.Call) else d, scope) or "?"
                           for d in node.decorator_list]
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                info.methods.append(item.name)
                info.eager_steps = info.eager_steps or forces_eager_steps(item, self.kb.eager_switch_keywords)
            elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Call):
                # call = tf.function(call) inside a class body
                if self.kb.is_hybridizer(self.qualified_name(item.value.func, scope)) and item.value.args:
                    wrapped = item.value.args[0]
                    if isinstance(wrapped, ast.Name):
                        ref = str(FunctionRef(self.module, f"{qualname}.{wrapped.id}"))
                        self.summary.graph_entries.append(GraphEntry(
                            ref, loc_of(item.value), TF_FUNCTION,
                            "input_signature" in hybridizer_keywords(item.value)))
        self.summary.classes[qualname] = info
        self._walk_definitions(node.body, qualname + ".", qualname, parent)

    def _function(self, node: FunctionNode, prefix: str, class_name: str | None, parent: Scope | None,
                  name: str) -> None:
        qualname = f"{prefix}{name}"
        arguments = node.args
        params = _parameters(arguments)
        every = list(own_nodes_with_guards(node.body))  # one walk, shared by every pass below
        own = passes_nodes(every)  # what the passes look at: no bare names, constants, attributes
        scope = self._function_scope(node, qualname, class_name, parent, params, every, own)
        decorated = self._decorators(node, qualname, class_name, parent or self.module_scope)
        function = FunctionSummary(
            qualname, node.lineno, decorated.hybrid, params=params, class_name=class_name,
            decorators=decorated.decorators,
            is_generator=any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child, _ in own),
            is_async=isinstance(node, ast.AsyncFunctionDef), stub=is_stub(node.body), nested=parent is not None,
            never_defined=parent is not None and (node.lineno, node.col_offset) in self._never_defined,
            defaults=defaulted_parameters(node), flag_params=flag_parameters(node),
            keywords_param=arguments.kwarg.arg if arguments.kwarg is not None else None,
            hybrid_keywords=decorated.hybrid_keywords,
            method_kind=decorated.method_kind,
            variadic=bool(arguments.vararg or arguments.kwarg or arguments.kwonlyargs), autograph=decorated.autograph)
        self.summary.functions[qualname] = function
        self._prepare_locals(scope, own)
        infer_local_values(self, scope, own)
        record_function_facts(self, scope, own, function)
        record_python_uses(self, scope, function, every, own)
        self.record_global_uses(scope, every, function)
        self.hybrid_object_attributes(every, scope)
        self._analyse_body(scope, own, function.calls, function)
        function.local_localities = {name: scope.localities.get(name, LOCAL) for name in scope.locals}
        function.wrapper_calls = self.wrapper_calls(scope, own, node)
        function.returned_functions = [
            str(FunctionRef(self.module, scope.nested[n.value.id])) for n, _ in own
            if isinstance(n, ast.Return) and isinstance(n.value, ast.Name) and n.value.id in scope.nested]
        if class_name and node.name == "__init__":
            self._record_attribute_types(scope, own, class_name)
        if class_name and node.name in ("__new__", "__init__"):
            self._record_replaced_methods(scope, own, class_name, in_init=node.name == "__init__")
        self._walk_definitions(node.body, qualname + ".", None, scope)

    def _function_scope(self, node: FunctionNode, qualname: str, class_name: str | None, parent: Scope | None,
                        params: list[str], every: list, own: list) -> Scope:
        """The function's scope with what its body binds: locals, nested defs, globals, nonlocals, imports."""
        scope = Scope(node, qualname, class_name, parent, params=params,
                       locals=bindings_among(node, outside_lambdas(every)), restored_flags=flags_set_back(node.body),
                       restored_places=places_put_back(node.body))
        scope.nested = {child.name: f"{qualname}.{child.name}" for child, _ in own
                        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for statement, _ in own:
            if isinstance(statement, ast.Global):
                scope.globals.update(statement.names)
            elif isinstance(statement, ast.Nonlocal):
                scope.nonlocals.update(statement.names)
        scope.imports = self._function_imports(scope, own, every)
        scope.localities.update(dict.fromkeys(scope.imports, CAPTURED))  # modules and what they define
        return scope

    def _decorators(self, node: FunctionNode, qualname: str, class_name: str | None, outer: Scope) -> _Decorated:
        """What a def's decorators make of it; records the graph entries and tf.function uses they imply."""
        decorated = _Decorated()
        wrapped_by = []  # decorators above tf.function: they receive the tf.function object
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.kb.is_hybridizer(self.qualified_name(target, outer)):
                decorated.hybrid = True
                if isinstance(decorator, ast.Call):
                    decorated.hybrid_keywords = hybridizer_keywords(decorator)
                    decorated.autograph = autograph_argument(decorator, {}) is not False
                if wrapped_by:  # `@never_runs_eagerly @tf.function def f`: f must stay a tf.function
                    self.summary.hybrid_object_uses.append(str(FunctionRef(self.module, qualname)))
                continue
            ref = self.callee_ref(target, outer)
            if not decorated.hybrid and ref not in _METHOD_KINDS and not _is_property_decorator(target, ref):
                wrapped_by.append(ref)
            if class_name and ref in _METHOD_KINDS:
                decorated.method_kind = _METHOD_KINDS[ref]
            elif class_name and _is_property_decorator(target, ref):
                decorated.method_kind = "property"
            elif ref and ref not in _METHOD_KINDS and ref != _PROPERTY:
                # `@register("name")` decorates with what `register("name")` returns: the function whose
                # body runs once, at definition (a registration), is the factory's; the wrapper that
                # runs at each call is what that returns.
                decorated.decorators.append(self.callee_ref(decorator, outer) or ref
                                            if isinstance(decorator, ast.Call) else ref)
                self.decorator_wrapper_entry(decorator, str(FunctionRef(self.module, qualname)), outer)
        return decorated

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
        rebound.update(node.name for node, _ in own if isinstance(node, SCOPE_NODES))
        return {name: dotted for name, dotted in imported.items() if name not in rebound}

    def _record_attribute_types(self, scope: Scope, own: list, class_name: str) -> None:
        info = self.summary.classes.get(class_name)
        if info is None or not scope.params:
            return
        receiver = scope.params[0]
        for child, _ in own:
            if isinstance(child, ast.Assign) and isinstance(child.value, ast.Call):
                for target in child.targets:
                    if is_attribute_of(target, receiver):
                        ref = self.callee_ref(child.value.func, scope)
                        if ref:
                            info.attribute_types[target.attr] = ref

    def _record_replaced_methods(self, scope: Scope, own: list, class_name: str, in_init: bool) -> None:
        """Methods the new object gets its own attribute for (``self.NAME = ...`` in ``__init__``,
        ``obj.NAME = ...`` on the object ``__new__`` makes): per-object wrappers, such as ones running the
        original method under ``tf.py_function``. ``self.step = tf.function(self.step)`` (or any wrapper
        given the method itself) is no replacement: its calls still run the class's function."""
        info = self.summary.classes.get(class_name)
        if info is None or not scope.params:
            return
        receiver = scope.params[0]
        for child, _ in own:
            if not isinstance(child, ast.Assign):
                continue
            for target in child.targets:
                if isinstance(target, ast.Attribute) and target.attr in info.methods \
                        and target.attr not in info.replaced_methods \
                        and _is_new_object(target.value, scope, receiver, in_init) \
                        and not _wraps_the_method(child.value, target):
                    info.replaced_methods.append(target.attr)

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
            before = len(function.effects) if function is not None else 0
            errors_before = len(function.errors) if function is not None else 0
            if isinstance(node, ast.Call):
                self._call(node, scope, calls, function, guards)
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                if function is not None:
                    self.writes(node, scope, function, guards)
                    self.hybrid_attribute(node, scope)
                self.stored_function(node, scope)
            if function is not None and (len(function.effects) > before or len(function.errors) > errors_before):
                flags = self.enabling_flags(guards, scope, function.receiverless_params())
                if flags:
                    function.effects[before:] = [replace(e, enabled_by=flags) for e in function.effects[before:]]
                    function.errors[errors_before:] = [replace(e, enabled_by=flags)
                                                       for e in function.errors[errors_before:]]
        mark_grown_lists(own, calls)

    def _call(self, call: ast.Call, scope: Scope, calls: list[CallSite], function: FunctionSummary | None,
              guards: list) -> None:
        dotted = self.dotted(call.func, scope)
        ref = self.callee_ref(call.func, scope)
        if function is not None and isinstance(call.func, ast.Name) and call.func.id in scope.params \
                and call.func.id not in function.called_params:
            function.called_params.append(call.func.id)
        self.graph_entries(call, dotted, scope)
        if ref and self.builds_a_graph(guards, scope):
            self.summary.graph_entries.append(GraphEntry(ref, loc_of(call), BUILDS_A_GRAPH))
        self.hybrid_object_use(call, scope)
        site = self._site(call, None if self.builds_a_pipeline(call, scope) else ref, scope, function, guards)
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if ref is None and receiver is not None and call.func.attr not in self.kb.container_mutators and (
                isinstance(receiver, ast.Subscript) or (isinstance(receiver, ast.Name)
                                                        and receiver.id in loop_targets(scope.node))) \
                and not self.is_tensorflow_value(receiver, scope):
            site.untyped_method = call.func.attr  # `for chain in chains: chain.set_ls(g)`, `self.holders[i].fill()`
        eager = self.runs_eagerly(guards, scope) or self.in_eager_branch(call, scope)
        once = self.once_only(guards, scope)
        site.guarded = eager or once or self.while_debugging(guards, scope)
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if method in self.kb.log_methods and dotted not in self.kb.log_calls:
            site.diagnostic_log = self.log_line(call, method, scope, guards)[1]
        calls.append(site)
        runs_python = dotted in self.kb.eager_wrappers
        named_only = dotted in self.kb.non_calling_functions or self._starts_elsewhere(call, dotted)
        for argument in (*call.args, *(k.value for k in call.keywords)):
            passed = None if named_only else self.function_ref(argument, scope)
            if passed and not runs_python and dotted not in self.kb.hybridize_functions:
                calls.append(CallSite(loc_of(call), [passed], passed=True,
                                      receiver=self.receiver_locality(argument, scope), guarded=site.guarded,
                                      runs_now=dotted in self.kb.control_flow_functions, blocks=site.blocks))
            elif not named_only and not runs_python:  # `Model(metrics_fns=(init, update))`
                self.summary.stored_functions.extend(self.functions_in_display(argument, scope))
        if function is not None and not eager:  # code that runs only eagerly fails and repeats nothing
            effects_before = len(function.effects)
            self.call_effects(call, dotted, ref, scope, function, guards)
            if once:  # runs once, eager or traced: not a per-trace hazard (graph errors still are)
                del function.effects[effects_before:]

    def _site(self, call: ast.Call, ref: str | None, scope: Scope, function: FunctionSummary | None,
              guards: list) -> CallSite:
        """What the project model keeps of one call: its callee, arguments and where it runs."""
        return CallSite(loc_of(call), [ref] if ref else [],
                        args=[self.locality(arg, scope) for arg in call.args],
                        keywords={k.arg: self.locality(k.value, scope) for k in call.keywords if k.arg},
                        receiver=self.receiver_locality(call.func, scope),
                        receiver_name=call.func.value.id if isinstance(call.func, ast.Attribute)
                        and isinstance(call.func.value, ast.Name) else "",
                        iterator_args=[i for i, arg in enumerate(call.args)
                                       if self.advances_python_iterator(arg, scope)],
                        arg_values=[sorted(value_of(self, arg, scope)) for arg in call.args],
                        arg_names=[arg.id if isinstance(arg, ast.Name) else "" for arg in call.args],
                        keyword_names={k.arg: k.value.id for k in call.keywords
                                       if k.arg and isinstance(k.value, ast.Name)},
                        keyword_values={k.arg: sorted(value_of(self, k.value, scope)) for k in call.keywords if k.arg},
                        steady_args=_where(call, lambda arg: self._steady_argument(arg, scope)),
                        constant_args=_where(call, is_constant_display),
                        constant_texts=[*(ast.unparse(arg) for arg in call.args if is_constant_display(arg)),
                                        *(ast.unparse(k.value) for k in call.keywords
                                          if k.arg and is_constant_display(k.value))],
                        unpacked_args=_where(call, lambda arg: self._unpacked(arg, scope)),
                        in_loop=any(isinstance(guard, InLoop) for guard in guards),
                        occasional=conditional_in_loop(guards),
                        conditional=any(isinstance(guard, Branch) for guard in guards),
                        blocks=block_path(guards),
                        loop_trips=self.loop_trips(guards),
                        splats=any(isinstance(arg, ast.Starred) for arg in call.args)
                        or any(k.arg is None for k in call.keywords),
                        made_functions=_where(call, lambda arg: self._makes_a_function(arg, scope)),
                        enabled_by=self.enabling_flags(guards, scope, function.receiverless_params())
                        if function is not None else [],
                        over_python_sequence=self.over_python_sequence(guards, scope),
                        over_structure_parts=self.over_structure_parts(guards, scope))

    def _makes_a_function(self, expr: ast.expr, scope: Scope) -> bool:
        """``lambda t: t * scale`` or ``functools.partial(f, ...)`` at a call: a new function at every run of it."""
        return isinstance(expr, ast.Lambda) or (
            isinstance(expr, ast.Call) and self.dotted(expr.func, scope) in self.kb.binders)

    def _starts_elsewhere(self, call: ast.Call, dotted: str | None) -> bool:
        """``threading.Thread(target=f)``, ``ctx.Process(target=f)``: ``f`` runs in another thread or
        process, not here (so not as graph code of the caller either)."""
        if dotted is not None:
            return dotted in self.kb.other_process_starters
        return isinstance(call.func, ast.Attribute) and call.func.attr in self.kb.other_process_starter_names

    def _unpacked(self, expr: ast.expr, scope: Scope) -> bool:
        binding = self.binding_scope(expr.id, scope) if isinstance(expr, ast.Name) else None
        return binding is not None and expr.id in binding.unpacked

    def _steady_argument(self, expr: ast.expr, scope: Scope) -> bool:
        """A string constant (``"sum"``), the object's own state read afresh (``self.vocab_size``,
        ``len(self.tokenizer)``) or a name bound once to a constant: what this call site passes on every run."""
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords \
                and self.dotted(expr.func, scope) in ("builtins.len", "builtins.int", "builtins.float"):
            return isinstance(expr.args[0], ast.Attribute) and self._steady_argument(expr.args[0], scope)
        if isinstance(expr, ast.Attribute) and reads_object_state(expr):
            root = expr
            while isinstance(root, ast.Attribute):
                root = root.value
            return is_self(root, scope)
        if isinstance(expr, ast.Name):  # a local of the function, else a name of the module (a script's setting)
            local = scope.node is not None and expr.id in scope.locals
            return _bound_once_to_a_constant(expr.id, scope.node if local else self.tree)
        return False


def _is_new_object(expr: ast.expr, scope: Scope, receiver: str, in_init: bool) -> bool:
    """``self`` in ``__init__``; in ``__new__`` a local (the object it makes), not ``cls``."""
    if not isinstance(expr, ast.Name):
        return False
    return expr.id == receiver if in_init else expr.id != receiver and expr.id in scope.locals


def _wraps_the_method(value: ast.expr, target: ast.Attribute) -> bool:
    """``wrap(self.step)`` assigned to ``self.step``: the wrapper is given the method it replaces."""
    arguments = [*value.args, *(k.value for k in value.keywords)] if isinstance(value, ast.Call) else []
    return any(isinstance(a, ast.Attribute) and a.attr == target.attr and isinstance(a.value, ast.Name)
               and isinstance(target.value, ast.Name) and a.value.id == target.value.id for a in arguments)


def _is_property_decorator(decorator: ast.expr, ref: str | None) -> bool:
    """``@property``, ``@x.setter``/``getter``/``deleter``, ``@functools.cached_property``."""
    if ref in (_PROPERTY, _CACHED_PROPERTY):
        return True
    return isinstance(decorator, ast.Attribute) and decorator.attr in ("setter", "getter", "deleter")


def _parameters(arguments: ast.arguments) -> list[str]:
    """The parameter names in order: positional, ``*args``, keyword-only, ``**kwargs``."""
    params = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    params += [a.arg for a in (arguments.vararg,) if a] + [a.arg for a in arguments.kwonlyargs]
    params += [a.arg for a in (arguments.kwarg,) if a]
    return params


@functools.lru_cache(maxsize=256)
def loop_targets(function: ast.AST | None) -> frozenset[str]:
    """Names a function binds as ``for`` targets: elements of what it walks, of no type it states."""
    if function is None:
        return frozenset()
    return frozenset(name.id for node in ast.walk(function) if isinstance(node, (ast.For, ast.AsyncFor))
                     for name in ast.walk(node.target) if isinstance(name, ast.Name))


def _where(call: ast.Call, test) -> list[int | str]:
    """The positions and keywords of ``call``'s arguments that pass ``test``."""
    return [*(i for i, arg in enumerate(call.args) if test(arg)),
            *(k.arg for k in call.keywords if k.arg and test(k.value))]


def _bound_once_to_a_constant(name: str, function: ast.AST) -> bool:
    """``max_order = int(20)`` once, outside loops, and nothing else binding ``max_order``: every run of a
    call passing it passes that value (a run's setting, not a number that changes from call to call)."""
    values, loops = [], [node for node in ast.walk(function) if isinstance(node, (ast.For, ast.AsyncFor, ast.While))]
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
            values.append(node)
    if len(values) != 1:
        return False
    statement = next((node for node in ast.walk(function) if isinstance(node, ast.Assign) and len(node.targets) == 1
                      and node.targets[0] is values[0]), None)
    return statement is not None and _constant_expression(statement.value) and not any(
        loop.lineno <= statement.lineno <= (loop.end_lineno or loop.lineno) for loop in loops)


def _constant_expression(expr: ast.expr) -> bool:
    """``20``, ``-1.5``, ``int(20)``, ``float("1.0")``: a value written in the source."""
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        expr = expr.operand
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("int", "float") \
            and len(expr.args) == 1 and not expr.keywords:
        expr = expr.args[0]
    return isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float, str)) \
        and not isinstance(expr.value, bool)
