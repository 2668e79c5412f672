"""HYB108: graph code reads a Python value that the program changes after the graph was traced.

A ``tf.function`` bakes the Python values it reads (numbers, strings, NumPy arrays, lists and dicts of
them) into its graph at the first trace, and keeps the tensor objects it read. A global rebound in a training
loop, a closure variable changed by the function that defined the graph function, an attribute another method
changes: later calls still see the first value. Only a ``tf.Variable`` updated in place is read live.

Reported: the first read in a graph function of such a value, with where it changes. A change counts only
when it can happen after a trace: the same body traces the graph function before it, or in the same loop, or
runs again after tracing it; or a function making the change is called after (or in a loop with) a call that
traces it. Changes made only before the first call (set-up) and by graph code itself (HYB103/HYB104) are not.
Nor are reads in a ``tf.function`` with a parameter its body never reads (``def __call__(self, x, y,
sparsity)``): a trace key, passed so that each new value traces anew, which its authors change
together with the state it reads (hls4ml's masked backprop).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

from ..analysis.project import FunctionId
from ..analysis.summary import BUILDS_A_GRAPH, CallSite, FunctionNode, FunctionSummary, Locality
from ..context import FileContext
from ..diagnostics import Diagnostic
from ..analysis.syntax import flatten_targets, parameter_names
from ..fixes.dehybridize import with_dehybridization
from ..registry import RuleSpec
from .assignments import (FUNCTION_DEFS, LOOPS, first_load, function_statements, is_attribute,
                          is_mutation_of, is_mutation_target, is_name, is_number, module_statements, own_bindings,
                          own_nodes, statements_with_loops, within)

PYTHON, TENSOR, UNKNOWN = "python", "tensor", "unknown"
_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})
_MAX_HELPER_DEPTH = 4


@dataclass
class _Change:
    """One place that rebinds or mutates the value: the statement, the body it is in (None: module
    level), the loops of that body enclosing it, and the value it assigns (None: a mutation)."""

    node: ast.AST
    owner: FunctionId | None
    loops: list[ast.stmt]
    value: ast.expr | None = None
    element_of: bool = False  # `for NAME in VALUE`: NAME is bound to VALUE's elements
    # A local of its body: each call of that body binds a new variable (and defines a new graph
    # function reading it), so only what happens later in the same call can change what a trace saw.
    per_call: bool = False


@dataclass
class _Value:
    """A variable (global, closure variable or attribute) and everything that binds or changes it."""

    describe: str  # `lr`, `self.rate`
    bindings: list[_Change] = field(default_factory=list)  # every assignment, set-up ones included
    changes: list[_Change] = field(default_factory=list)  # candidates for "after a trace"
    module_level: bool = False


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    frozen = _FrozenValues(ctx)
    for info, _root in ctx.graph_functions():
        node = ctx.functions.get(info.qualname)
        if node is None or _keyed_by_an_unread_parameter(ctx, info):
            continue
        function = (ctx.module, info.qualname)
        reads = [*frozen.global_reads(info, node), *frozen.closure_reads(info, node),
                 *frozen.attribute_reads(info, node)]
        for read, value in reads:
            change = frozen.change_after_trace(function, value)
            if change is None:
                continue
            name = f"the {frozen.known_kind(value)} {value.describe}"
            diagnostic = ctx.diagnostic(rule, read, function=info.qualname, name=name,
                                        change=frozen.describe_change(change), advice=frozen.advice(value))
            yield with_dehybridization(ctx, rule, diagnostic, function)


def _keyed_by_an_unread_parameter(ctx: FileContext, info: FunctionSummary) -> bool:
    """A ``tf.function`` (not a framework's method, whose signature the framework fixes: a Keras
    ``call(self, x, training=None)``) with a parameter its body never reads: a trace key."""
    if not info.hybrid or (info.class_name and info.qualname.rsplit(".", 1)[-1] in ctx.knowledge.framework_hooks
                           and ctx.project.is_keras_class((ctx.module, info.class_name))):
        return False
    return any(param not in info.param_loads and param not in info.param_attributes
               for param in info.receiverless_params() if param != info.keywords_param)


class _FrozenValues:
    def __init__(self, ctx: FileContext):
        self.ctx = ctx
        self.kb = ctx.knowledge
        self.project = ctx.project
        self._ancestors: dict[FunctionId, set[FunctionId]] = {}
        self._tracing_ancestry: dict[FunctionId, set[FunctionId]] = {}  # see _tracing_ancestors
        self._tracing: dict[tuple[FunctionId, FunctionId | None, str], list[CallSite]] = {}
        self._values: dict[tuple, _Value | None] = {}
        self._facts: dict[int, tuple[set[str], set[str], set[str]]] = {}
        self._constructions: dict[int, list[tuple[str, str]]] = {}

    # -- what graph code reads ------------------------------------------------------

    def global_reads(self, info: FunctionSummary, node: FunctionNode) -> Iterator[tuple[ast.expr, _Value]]:
        for name in info.global_reads:
            value = self._module_variable(name)
            if value is None or not self._is_python(value):
                continue
            read = first_load(node, lambda n, name=name: isinstance(n, ast.Name) and n.id == name)
            if read is not None:
                yield read, value

    def closure_reads(self, info: FunctionSummary, node: FunctionNode) -> Iterator[tuple[ast.expr, _Value]]:
        if not info.nested:
            return
        outer_name = info.qualname.rpartition(".")[0]
        outer = self.ctx.functions.get(outer_name)
        if not isinstance(outer, FUNCTION_DEFS):
            return
        own = own_bindings(node)
        outer_bound = own_bindings(outer) | parameter_names(outer)
        seen: set[str] = set()
        for child in own_nodes(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load) and child.id not in own \
                    and child.id in outer_bound and child.id not in seen and child.id not in parameter_names(node):
                seen.add(child.id)
                value = self._closure_variable(outer, outer_name, child.id)
                if value is not None and self._is_python(value, tensors=False):
                    yield child, value

    def attribute_reads(self, info: FunctionSummary, node: FunctionNode) -> Iterator[tuple[ast.expr, _Value]]:
        if info.class_name is None or info.method_kind != "instance" or not info.params:
            return
        if self._runs_while_made((self.ctx.module, info.qualname)):
            return
        receiver = info.params[0]
        parents = {id(child): parent for parent in own_nodes(node) for child in ast.iter_child_nodes(parent)}
        seen: set[str] = set()
        for child in own_nodes(node):
            if not (isinstance(child, ast.Attribute) and isinstance(child.ctx, ast.Load)
                    and isinstance(child.value, ast.Name) and child.value.id == receiver) or child.attr in seen:
                continue
            parent = parents.get(id(child))
            if isinstance(parent, ast.Attribute) or (isinstance(parent, ast.Call) and parent.func is child):
                continue  # `self.layer(x)`, `self.config.rate`: an object, not a value
            seen.add(child.attr)
            value = self._attribute(info.class_name, child.attr)
            if value is not None and self._is_python(value):
                yield child, value

    def _runs_while_made(self, function: FunctionId, depth: int = 0) -> bool:
        """``__init__``, or a helper only ``__init__`` calls on ``self``: graph code makes its object anew on
        every trace, so the attributes it reads are the ones this construction wrote, never stale ones."""
        if function[1].rpartition(".")[2] in _CONSTRUCTORS:
            return True
        callers = self.project.callers.get(function, [])
        return depth < _MAX_HELPER_DEPTH and bool(callers) and all(
            caller is not None and self._on_own_receiver(caller, site) and self._runs_while_made(caller, depth + 1)
            for caller, site in callers)

    def _on_own_receiver(self, caller: FunctionId, site: CallSite) -> bool:
        info = self.project.function(caller)
        return info is not None and bool(info.params) and site.receiver == Locality.of_param(info.params[0])

    # -- where values are bound and changed -------------------------------------------

    def _module_variable(self, name: str) -> _Value | None:
        key = ("global", name)
        if key not in self._values:
            self._values[key] = self._find_module_variable(name)
        return self._values[key]

    def _find_module_variable(self, name: str) -> _Value | None:
        value = _Value(f"`{name}`", module_level=True)
        for statement, loops in module_statements(self.ctx.tree.body):
            for change in self._stores(statement, lambda target: is_name(target, name), None, loops):
                value.bindings.append(change)
                value.changes.append(change)
        for qualname, function in self.ctx.functions.items():
            declared = name in self._scope_facts(function)[0]
            if not declared and name in self._scope_facts(function)[1]:
                continue  # a local of the same name
            if not declared and name not in self._scope_facts(function)[2]:
                continue  # not mentioned
            for statement, loops in function_statements(function):
                def targets(target, declared=declared):
                    return is_name(target, name) if declared else is_mutation_of(target, name)
                for change in self._stores(statement, targets, (self.ctx.module, qualname), loops,
                                           mutations_only=not declared, name=name):
                    value.bindings.append(change)
                    value.changes.append(change)
        return value if value.bindings else None

    def _closure_variable(self, outer: FunctionNode, outer_name: str, name: str) -> _Value | None:
        if name in parameter_names(outer):
            return None  # the caller's value: its kind is not known here
        value = _Value(f"`{name}`")
        owner = (self.ctx.module, outer_name)
        for statement, loops in function_statements(outer):
            for change in self._stores(statement, lambda target: is_name(target, name), owner, loops,
                                       name=name):
                change.per_call = True
                value.bindings.append(change)
                value.changes.append(change)
        for qualname, function in self.ctx.functions.items():  # nested functions changing it via `nonlocal`
            if not qualname.startswith(outer_name + ".") or qualname.count(".") != outer_name.count(".") + 1:
                continue
            if not any(isinstance(n, ast.Nonlocal) and name in n.names for n in own_nodes(function)):
                continue
            for statement, loops in function_statements(function):
                for change in self._stores(statement, lambda target: is_name(target, name),
                                           (self.ctx.module, qualname), loops, name=name):
                    value.bindings.append(change)
                    value.changes.append(change)
        return value

    def _attribute(self, class_name: str, attribute: str) -> _Value | None:
        key = ("attribute", class_name, attribute)
        if key not in self._values:
            self._values[key] = self._find_attribute(class_name, attribute)
        return self._values[key]

    def _find_attribute(self, class_name: str, attribute: str) -> _Value | None:
        value = _Value(f"`self.{attribute}`")
        related = self._related_classes(class_name)
        for qualname, function in self.ctx.functions.items():
            owner_class, _, method = qualname.rpartition(".")
            if owner_class not in related or not function.args.args:
                continue
            receiver = function.args.args[0].arg
            construction = method in self.kb.construction_methods
            for statement, loops in function_statements(function):
                for change in self._stores(statement, lambda target: is_attribute(target, receiver, attribute),
                                           (self.ctx.module, qualname), loops, attribute=(receiver, attribute)):
                    value.bindings.append(change)
                    if not construction:
                        value.changes.append(change)
        for owner, scope in self._instance_scopes():  # `trainer = Trainer()`, then `trainer.rate = 0.01`
            for instance in self._instances(scope, related):
                for statement, loops in statements_with_loops(scope.body, []):
                    for change in self._stores(statement, lambda target, i=instance: is_attribute(target, i, attribute),
                                               owner, loops, attribute=(instance, attribute)):
                        value.bindings.append(change)
                        value.changes.append(change)
        return value if value.bindings else None

    def _instance_scopes(self) -> list[tuple[FunctionId | None, ast.AST]]:
        return [(None, self.ctx.tree), *(((self.ctx.module, q), f) for q, f in self.ctx.functions.items())]

    def _instances(self, scope: ast.AST, related: set[str]) -> set[str]:
        """Names that hold an object of one of the ``related`` classes made here (``x = Trainer()``),
        bound in ``scope`` or, for a function, at module level and not bound in the function."""
        names = {name for name in related if "." not in name}
        made = self._made_in(scope, names)
        if scope is not self.ctx.tree:
            made |= self._made_in(self.ctx.tree, names) - self._scope_facts(scope)[1]
        return made

    def _made_in(self, scope: ast.AST, classes: set[str]) -> set[str]:
        """Names ``scope`` binds to ``C(...)`` for C in ``classes`` (each scope's constructions found once)."""
        made = self._constructions.get(id(scope))
        if made is None:
            made = self._constructions[id(scope)] = [
                (target.id, statement.value.func.id) for statement, _ in statements_with_loops(scope.body, [])
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                and isinstance(statement.value.func, ast.Name)
                for target in statement.targets if isinstance(target, ast.Name)]
        return {name for name, cls in made if cls in classes}

    def _related_classes(self, class_name: str) -> set[str]:
        """The class, its bases and its subclasses defined in this file."""
        cls = (self.ctx.module, class_name)
        related = {klass for klass in self.project.mro(cls) if not isinstance(klass, str)}
        related |= set(self.project.subclasses.get(cls, []))
        return {qualname for module, qualname in related if module == self.ctx.module}

    def _stores(self, statement: ast.stmt, matches, owner: FunctionId | None, loops: list[ast.stmt],
                mutations_only: bool = False, name: str | None = None,
                attribute: tuple[str, str] | None = None) -> Iterator[_Change]:
        """Bindings and mutations of the variable in one statement (not inside nested definitions)."""
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in flatten_targets(targets):
                if matches(target):
                    plain = isinstance(target, (ast.Name, ast.Attribute)) and len(targets) == 1 \
                        and not isinstance(targets[0], (ast.Tuple, ast.List))
                    if mutations_only and not is_mutation_target(target):
                        continue
                    yield _Change(statement, owner, loops, statement.value if plain else None)
        elif isinstance(statement, (ast.For, ast.AsyncFor)) and not mutations_only:
            for target in flatten_targets([statement.target]):
                if matches(target):
                    yield _Change(statement, owner, loops, statement.iter if isinstance(statement.target, (
                        ast.Name, ast.Attribute)) else None, element_of=True)
        if isinstance(statement, (ast.Expr,)) and isinstance(statement.value, ast.Call):
            call = statement.value
            if isinstance(call.func, ast.Attribute) and self.kb.mutates_container(call.func.attr, len(call.args)):
                receiver = call.func.value
                if (name is not None and is_name(receiver, name)) or (
                        attribute is not None and is_attribute(receiver, *attribute)):
                    yield _Change(statement, owner, loops)

    def _scope_facts(self, function: FunctionNode) -> tuple[set[str], set[str], set[str]]:
        """A function's ``global`` names, own bindings and the names it mentions (computed once)."""
        found = self._facts.get(id(function))
        if found is None:
            nodes = list(own_nodes(function))
            found = self._facts[id(function)] = (
                {name for n in nodes if isinstance(n, ast.Global) for name in n.names},
                own_bindings(function), {n.id for n in nodes if isinstance(n, ast.Name)})
        return found

    # -- the kind of value ------------------------------------------------------------

    def _is_python(self, value: _Value, tensors: bool = True) -> bool:
        """Bound to Python values or tensors (a graph keeps the tensor object its trace saw; only ``.assign`` is read
        live), not objects of unknown kind. Closures only to Python values: an enclosing function's tensors are mostly
        read by functions made anew with them (a def in the changing loop, a branch), which bindings do not tell."""
        kinds = self._kinds(value)
        return bool(kinds & {PYTHON, TENSOR}) if tensors else PYTHON in kinds and TENSOR not in kinds

    def _kinds(self, value: _Value) -> set[str]:
        return {self._kind(change.value, value, change.element_of) for change in value.bindings
                if change.value is not None}

    def known_kind(self, value: _Value) -> str:
        """What the message calls the value: bound only to tensors, only to Python values, or to both."""
        known = self._kinds(value) & {PYTHON, TENSOR}
        return "tensor" if known == {TENSOR} else "Python value" if known == {PYTHON} else "value"

    def _kind(self, expr: ast.expr, value: _Value, element: bool = False) -> str:
        if isinstance(expr, ast.Constant):
            if element:
                return UNKNOWN
            return PYTHON if isinstance(expr.value, (int, float, str, bool)) else UNKNOWN
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            elements = expr.values if isinstance(expr, ast.Dict) else expr.elts
            kinds = {self._kind(e, value) for e in elements if e is not None}
            if element:
                return TENSOR if TENSOR in kinds else PYTHON if kinds == {PYTHON} else UNKNOWN
            return TENSOR if TENSOR in kinds else PYTHON
        if element:
            return TENSOR if self._kind(expr, value) == TENSOR else UNKNOWN
        if isinstance(expr, (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.IfExp)):
            operands = [expr.left, expr.right] if isinstance(expr, ast.BinOp) else [expr.operand] \
                if isinstance(expr, ast.UnaryOp) else expr.values if isinstance(expr, ast.BoolOp) \
                else [expr.body, expr.orelse]
            kinds = {self._kind(o, value) for o in operands if not self._is_itself(o, value)}
            return TENSOR if TENSOR in kinds else PYTHON if PYTHON in kinds else UNKNOWN
        if isinstance(expr, ast.Call):
            dotted = self.ctx.qualified_name(expr.func)
            if dotted and self.kb.produces_tensor(dotted):
                return TENSOR
            if dotted and dotted in self.kb.python_value_calls:
                return PYTHON
        return UNKNOWN

    @staticmethod
    def _is_itself(expr: ast.expr, value: _Value) -> bool:
        """``lr`` in ``lr = lr * 0.9``: the variable's own previous value."""
        text = value.describe.strip("`")
        return (isinstance(expr, ast.Name) and expr.id == text) or (
            isinstance(expr, ast.Attribute) and text == f"self.{expr.attr}")

    # -- after a trace? -----------------------------------------------------------------

    def change_after_trace(self, function: FunctionId, value: _Value) -> _Change | None:
        graph = self.project.graph_functions
        for change in value.changes:
            if change.owner is not None and change.owner in graph:
                continue  # made while tracing: HYB103/HYB104 report it
            if self._after_trace(function, change):
                return change
        return None

    def _after_trace(self, function: FunctionId, change: _Change) -> bool:
        line = change.node.lineno
        # Calls in the same body that trace the function: before the change, or in a loop with it.
        own_sites = self._tracing_sites(function, change.owner)
        for site in own_sites:
            if site.loc[0] < line or any(within(loop, site.loc) for loop in change.loops):
                return True
        if change.owner is None or change.per_call:
            return False  # module level: the module's own calls are all there is before import ends
        if any(site.loc[0] > line for site in own_sites) and self._runs_again(change.owner):
            return True  # `self.target = ...; self.step(x)`: its next run changes what the first one traced
        # Callers of the changing function: it runs after a trace there, or in a loop with one.
        for caller, site in self.project.callers.get(change.owner, []):
            if site.passed:
                continue
            module = self._site_module(caller, site)
            for traced in self._tracing_sites(function, caller, module):
                if traced is site:
                    continue
                if traced.loc[0] < site.loc[0] or self._share_loop(caller, module, site, traced):
                    return True
        return False

    def _runs_again(self, owner: FunctionId) -> bool:
        """The project calls ``owner`` in a loop, or at more than one place."""
        sites = [site for _, site in self.project.callers.get(owner, []) if not site.passed]
        return len(sites) > 1 or any(site.in_loop for site in sites)

    def _share_loop(self, caller: FunctionId | None, module: str | None, site: CallSite, traced: CallSite) -> bool:
        """Whether one loop of the caller runs both calls. Read from the syntax tree for callers in this
        file; elsewhere, both calls being in loops stands for it."""
        if module != self.ctx.module:
            return site.in_loop and traced.in_loop
        scope = self.ctx.tree if caller is None else self.ctx.functions.get(caller[1])
        if scope is None:
            return site.in_loop and traced.in_loop
        return any(within(loop, site.loc) and within(loop, traced.loc)
                   for statement, _ in statements_with_loops(scope.body, []) if isinstance(statement, LOOPS)
                   for loop in [statement])

    def _tracing_sites(self, function: FunctionId, owner: FunctionId | None, module: str | None = None) -> list[CallSite]:
        """Call sites of ``owner``'s body (None: module level of ``module``) that run the graph function."""
        module = module or self.ctx.module
        key = (function, owner, module if owner is None else "")
        found = self._tracing.get(key)
        if found is None:
            ancestors = self._tracing_ancestors(function)
            if owner is not None:  # not `tf.cond(c, branch, ...)`: control flow traces its functions anew each time
                found = [site for site, targets in self.project.call_graph.get(owner, [])
                         if not site.runs_now and any(t.function in ancestors for t in targets)]
            else:
                summary = self.project.summaries.get(module)
                found = [site for site in (summary.module_calls if summary else [])
                         if any(t.function in ancestors and not self._before_definition(site, t.function, module)
                                for ref in site.callees for t in self.project.resolve_ref(ref))]
            self._tracing[key] = found
        return found

    def _tracing_ancestors(self, function: FunctionId) -> set[FunctionId]:
        """Functions whose call traces a graph that runs ``function``: the graph roots that reach it and
        everything that calls them. An eager path to ``function`` (a helper that is graph code only for
        other callers) traces nothing, so what it changes around such a call freezes no graph. Nor does a
        graph builder's (an Estimator's model_fn, code under ``with graph.as_default():``): a TF1 graph
        is built once and run as built, by design."""
        found = self._tracing_ancestry.get(function)
        if found is None:
            roots = self.project.graph_roots
            found = set()
            for root in sorted(self._ancestors_of(function) & roots.keys()):
                if roots[root].reason != BUILDS_A_GRAPH:
                    found |= self._ancestors_of(root)
            self._tracing_ancestry[function] = found
        return found

    def _ancestors_of(self, function: FunctionId) -> set[FunctionId]:
        """The function and every function that calls it, transitively."""
        found = self._ancestors.get(function)
        if found is None:
            found, stack = set(), [function]
            while stack:
                current = stack.pop()
                if current in found:
                    continue
                found.add(current)
                stack.extend(caller for caller, _ in self.project.callers.get(current, []) if caller is not None)
            self._ancestors[function] = found
        return found

    def _before_definition(self, site: CallSite, function: FunctionId, module: str) -> bool:
        """A module-level call above the ``def`` of a function of the same module calls another object
        bound to that name (a notebook-style script redefining ``train_step``), not this one."""
        info = self.project.function(function)
        return function[0] == module and info is not None and site.loc[0] < info.lineno

    @cached_property
    def _module_sites(self) -> dict[int, str]:
        return {id(site): summary.module for summary in self.project.summaries.values() for site in summary.module_calls}

    def _site_module(self, caller: FunctionId | None, site: CallSite) -> str | None:
        return caller[0] if caller is not None else self._module_sites.get(id(site))

    # -- the message ----------------------------------------------------------------------

    def describe_change(self, change: _Change) -> str:
        path = self.ctx.summary.path or self.ctx.module
        where = f"{path}:{change.node.lineno}"
        if change.owner is None:
            return f"is changed at module level at {where}" + (" in a loop" if change.loops else "")
        return f"`{change.owner[1]}` changes at {where}"

    def advice(self, value: _Value) -> str:
        if self.known_kind(value) == "tensor":
            return ("; a graph keeps the tensor object it captured, so `.assign(...)` new values to a `tf.Variable` "
                    "or pass the tensor as an argument")
        scalars = [change.value for change in value.bindings if change.value is not None and not change.element_of]
        if value.module_level and scalars and all(is_number(expr) for expr in scalars):
            return "; keep it in a `tf.Variable` and `.assign(...)` new values, which graphs read on every call"
        return "; pass it as a tensor argument or keep it in a `tf.Variable`, which graphs read on every call"


# -- syntax helpers ---------------------------------------------------------------------
