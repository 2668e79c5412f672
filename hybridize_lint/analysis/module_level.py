"""Module-level collection: top-level names, aliases, named tuples, flags, and the globals functions read or rebind."""

from __future__ import annotations

import ast
from functools import cached_property

from .dtypes import UNKNOWN, tensor_dtype
from .names import statements
from .refs import NameRef
from .resolver import Resolver, Scope
from .statement_walk import InLoop, module_level_statements
from .summary import FunctionSummary
from .syntax import attribute_loads, flatten_targets, on_receiver
from .tensor_facts import VARIABLE_LISTS


_LOOP_NODES = (ast.For, ast.AsyncFor, ast.While)


class ModuleLevelFacts(Resolver):
    """The summariser's module-level collection (the summariser holds the module's ``tree`` and source
    ``text``, and brings ``wraps_one_object`` from :class:`.graph_entries.GraphEntries`)."""

    tree: ast.Module
    text: str | None

    def collect_module_names(self) -> None:
        for node in module_level_statements(self.tree.body):
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
                    if self.wraps_one_object(value.args[0], self.module_scope):
                        self.summary.hybrid_wrappers[str(NameRef(f"{self.module}.{name}"))] = ref
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

    def module_flags(self, own: list) -> None:
        tf1 = self.kb.tf1_graph_mode
        self.summary.graph_mode_tf1 = any(
            isinstance(node, ast.Call) and self.dotted(node.func, self.module_scope) in tf1 for node, _ in own) or any(
            isinstance(node, ast.Attribute) and self.kb.canonical(self.bindings.qualified_name(node) or "") in tf1
            for node in (ast.walk(self.tree) if self.may_mention(name.rpartition(".")[2] for name in tf1) else ()))
        imported = set(self.bindings.bindings.values())
        uses_keras = any(name == "keras" or name.startswith("keras.") for name in imported)
        uses_tensorflow = any(name == "tensorflow" or name.startswith("tensorflow.") for name in imported)
        self.summary.keras_without_tensorflow = uses_keras and not uses_tensorflow
        self.summary.other_framework = not uses_tensorflow and not uses_keras and any(
            name.split(".")[0] in self.kb.other_frameworks for name in imported)
        self.summary.without_tensorflow = not self.bindings.star_modules and not any(
            name.split(".")[0].startswith(self.kb.tensorflow_family) for name in imported)

    def may_mention(self, words) -> bool:
        return self.text is None or any(word in self.text for word in words)

    @cached_property
    def _declared_global(self) -> frozenset[str]:
        return frozenset(name for node in statements(self.tree.body) if isinstance(node, ast.Global)
                         for name in node.names)

    def record_loop_rebindings(self, own: list) -> None:
        """``lr = lr * 0.9``, ``model.beta = ...``, ``hparams["lr"] *= 0.5`` in a module-level loop, and the
        loop's own target: values that change while the program runs."""
        for node, guards in own:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                targets = [node.target]
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) \
                    and any(isinstance(guard, InLoop) for guard in guards):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            else:
                continue
            for target in flatten_targets(targets):
                name = _stored_object(target)
                if name is not None:
                    self.summary.rebound_globals.setdefault(name, node.lineno)

    @cached_property
    def _module_variables(self) -> frozenset[str]:
        """Names the module binds by assignment (not by def, class or import)."""
        return frozenset(target.id for node in module_level_statements(self.tree.body)
                         if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                         for target in flatten_targets(node.targets if isinstance(node, ast.Assign)
                                                       else [node.target])
                         if isinstance(target, ast.Name))

    def record_global_uses(self, scope: Scope, every: list, function: FunctionSummary) -> None:
        """Module variables the body reads, and those it rebinds through ``global``."""
        variables = self._module_variables
        function.global_reads = sorted({
            node.id for node, _ in every if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            and node.id in variables and (node.id in scope.globals or node.id not in scope.locals)
            and node.id not in scope.params})
        loop_bound = set()
        for node, guards in every:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                loop_bound.update(t.id for t in flatten_targets([node.target]) if isinstance(t, ast.Name))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) \
                    and any(isinstance(guard, InLoop) for guard in guards):
                loop_bound.add(node.id)
        function.loop_bound = sorted(loop_bound)
        function.reads_variable_lists = any(isinstance(node, ast.Attribute) and node.attr in VARIABLE_LISTS
                                            for node, _ in every)
        receiver = scope.params[0] if function.class_name and scope.params and function.method_kind == "instance" \
            else None
        function.attribute_loads = attribute_loads(node for node, _ in every if not on_receiver(node, receiver))
        function.self_attribute_loads = attribute_loads(node for node, _ in every if on_receiver(node, receiver))
        # A driver (a function with loops, like `main`) changes state for the loops after the change;
        # a helper without loops may be called from any loop, so each of its changes counts.
        loops = [node.end_lineno or node.lineno for node, _ in every if isinstance(node, _LOOP_NODES)]
        first_loop_end = min(loops) if loops else 0
        for node, guards in every:
            if not isinstance(getattr(node, "ctx", None), ast.Store):
                continue
            if loops and node.lineno <= first_loop_end and not any(isinstance(g, InLoop) for g in guards):
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


def _stored_object(target: ast.expr) -> str | None:
    """The name whose value an assignment target changes: ``x``, ``x.a.b``, ``x["k"]``."""
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None
