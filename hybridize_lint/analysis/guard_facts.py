"""What the guards around a node say of how often it runs: once only, only eagerly, how many loop trips."""

from __future__ import annotations

import ast
from functools import cached_property

from .flags import assigned_values, ends_condition, tested_flags
from .resolver import Resolver, Scope
from .statement_walk import COMPREHENSIONS, Branch, InLoop, InWith, module_level_statements
from .summary import LOCAL, FunctionNode
from .syntax import on_receiver


class GuardFacts(Resolver):
    """The summariser's reading of guards (the summariser fills ``class_nodes`` as it walks the module's classes)."""

    class_nodes: dict[str, ast.ClassDef]

    @cached_property
    def _helper_flags(self) -> dict[int, tuple[object, list[ast.expr]]]:  # see _flags_set_by_helpers
        return {}

    def once_only(self, guards: list, scope: Scope) -> bool:
        """Code that runs at most once, eager or traced: a block guarded by a test of a flag that it sets.

        ``if self.w is None: self.w = ...``, ``if not self.built: ...; self.built = True``,
        ``if first_call: ...; first_call = False`` (a nonlocal), ``if hasattr(self, "_c"): return self._c``
        followed by ``self._c = ...``: after the first run the test is false, in eager code as in every
        later trace. The flag must outlive the call: ``if seed is None: seed = ...`` runs at every call.
        """
        return any(self._outlives_call(flag, scope) for guard in guards if isinstance(guard, Branch)
                   for flag in [*guard.own_flags, *self._flags_set_by_helpers(guard, scope)])

    @staticmethod
    def enabling_flags(guards: list, scope: Scope, flag_params: list[str]) -> list[str]:
        """The parameters (of ``flag_params``) that code under ``guards`` needs true (``if verbose:``, or after
        ``if not verbose: return``), outermost first: a call passing a false constant for one never runs it."""
        if not flag_params or scope.node is None:
            return []
        return [flag for guard in guards if isinstance(guard, Branch) and (test := _holding(guard)) is not None
                if (flag := _required_flag(test, flag_params, scope.node)) is not None]

    def _flags_set_by_helpers(self, guard: Branch, scope: Scope) -> list[ast.expr]:
        """``if self._loss is None: self._make_loss()``: the block's flag set by a method of the same
        class that the block calls on ``self`` (and that sets it for good). Asked for every node under
        the guard, so worked out once per guard (the guard kept with it, so its id is not reused)."""
        known = self._helper_flags.get(id(guard))
        if known is None or known[0] is not guard:
            known = self._helper_flags[id(guard)] = (guard, self._find_flags_set_by_helpers(guard, scope))
        return known[1]

    def _find_flags_set_by_helpers(self, guard: Branch, scope: Scope) -> list[ast.expr]:
        methods = self._own_methods(scope)
        if not scope.params or (not methods and not self.kb.flag_setting_methods):
            return []
        found = []
        for flag, holds in tested_flags(guard.test, guard.taken):
            place = _property_field(flag, methods, scope.params[0]) or flag
            for statement in guard.body:
                call = statement.value if isinstance(statement, ast.Expr) else None
                if isinstance(call, ast.Call) and on_receiver(call.func, scope.params[0]) \
                        and holds == "falsy" and on_receiver(flag, scope.params[0]) \
                        and self.kb.flag_setting_methods.get(call.func.attr) == flag.attr:
                    found.append(flag)  # `if not self.built: self.build(shape)`: the framework sets it
                    break
                if isinstance(call, ast.Call) and on_receiver(call.func, scope.params[0]) and call.func.attr in methods:
                    helper = methods[call.func.attr]
                    if helper.args.args and helper.args.args[0].arg == scope.params[0]:
                        setting = helper.body
                    else:
                        continue
                elif place is not flag:
                    setting = [statement]  # `if self.batch is None: self._batch = ...`
                else:
                    continue
                ends = [ends_condition(holds, value) for value in assigned_values(setting, place)]
                if ends and all(ends):
                    found.append(flag)
                    break
        return found

    def _own_methods(self, scope: Scope) -> dict[str, FunctionNode]:
        """The methods of the class a method belongs to, by name (empty outside a method)."""
        node = self.class_nodes.get(scope.class_name) if scope.class_name and scope.params else None
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

    def runs_eagerly(self, guards: list, scope: Scope) -> bool:
        """Under ``if tf.executing_eagerly():`` or ``with tf.init_scope():``: never traced Python."""
        for guard in guards:
            if isinstance(guard, Branch) and self._eager_test(guard.test, guard.taken, scope):
                return True
            if isinstance(guard, InWith) and any(
                    isinstance(item.context_expr, ast.Call)
                    and self.dotted(item.context_expr.func, scope) in self.kb.eager_scopes
                    for item in guard.statement.items):
                return True
        return False

    def while_debugging(self, guards: list, scope: Scope) -> bool:
        """Under ``if logger.isEnabledFor(logging.DEBUG):`` or ``if absl.logging.vlog_is_on(2):``: code that
        runs only while someone debugs, who asked to see what it computes (a dump of the IR, a summary)."""
        kb = self.kb
        return any(isinstance(guard, Branch) and guard.taken and any(
            isinstance(node, ast.Call) and (self.dotted(node.func, scope) in kb.log_level_checks or (
                isinstance(node.func, ast.Attribute) and node.func.attr in kb.log_level_methods))
            for node in ast.walk(guard.test)) for guard in guards)

    def in_eager_branch(self, node: ast.AST, scope: Scope) -> bool:
        """``x.numpy() if hasattr(x, "numpy") else x``: ``node`` in the branch of a conditional expression
        that only eager execution takes (the statement-level ``if`` is a guard of its own)."""
        key = id(scope.node)
        known = self._eager_branches.get(key)
        if known is None or known[0] is not scope.node:
            inside = {id(inner) for expression in ast.walk(scope.node) if isinstance(expression, ast.IfExp)
                      for branch, taken in ((expression.body, True), (expression.orelse, False))
                      if self._eager_test(expression.test, taken, scope) for inner in ast.walk(branch)} \
                if scope.node is not None else set()
            known = self._eager_branches[key] = (scope.node, inside)
        return id(node) in known[1]

    @cached_property
    def _eager_branches(self) -> dict[int, tuple[object, set[int]]]:  # see in_eager_branch
        return {}

    def builds_a_graph(self, guards: list, scope: Scope) -> bool:
        """Under ``with g.as_default():`` for a graph ``g`` (``tf.Graph()``, Keras' ``backend.get_graph()``,
        or a local bound to one): calls there add operations to that graph once, symbolically."""
        return any(isinstance(guard, InWith) and any(
            isinstance(item.context_expr, ast.Call) and isinstance(item.context_expr.func, ast.Attribute)
            and item.context_expr.func.attr == "as_default" and self._is_graph(item.context_expr.func.value, scope)
            for item in guard.statement.items) for guard in guards)

    def _is_graph(self, expr: ast.expr, scope: Scope) -> bool:
        if isinstance(expr, ast.Name) and scope.node is not None:
            bound = _assigned_to(expr.id, scope.node)
            return bool(bound) and all(self._makes_a_graph(value, scope) for value in bound)
        return self._makes_a_graph(expr, scope)

    def _makes_a_graph(self, expr: ast.expr, scope: Scope) -> bool:
        return isinstance(expr, ast.Call) and self.dotted(expr.func, scope) in self.kb.graph_factories

    def _eager_test(self, test: ast.expr, taken: bool, scope: Scope) -> bool:
        """``test`` being ``taken`` (true) or not implies that TensorFlow executes eagerly."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._eager_test(test.operand, not taken, scope)
        if isinstance(test, ast.BoolOp):
            return isinstance(test.op, ast.And) == taken and any(
                self._eager_test(value, taken, scope) for value in test.values)
        if not (taken and isinstance(test, ast.Call)):
            return False
        if isinstance(test.func, ast.Name) and test.func.id == "hasattr" and len(test.args) == 2 \
                and isinstance(test.args[1], ast.Constant) and test.args[1].value in self.kb.eager_attributes:
            return True  # `hasattr(x, "numpy")`: symbolic tensors have no such attribute
        return self.dotted(test.func, scope) in self.kb.eager_checks

    def loop_trips(self, guards: list[ast.expr]) -> int | None:
        """How often the enclosing loops run a node, when every one is ``range`` of known integers."""
        loops = [guard.loop for guard in guards if isinstance(guard, InLoop)]
        if not loops:
            return None
        trips = 1
        for loop in loops:
            count = self._range_length(loop)
            if count is None:
                return None
            trips *= count
        return trips

    def over_python_sequence(self, guards: list[ast.expr], scope: Scope) -> bool:
        iterable = _innermost_iterable(guards)
        return iterable is not None and self._python_sequence(iterable, scope)

    def over_structure_parts(self, guards: list[ast.expr], scope: Scope) -> bool:
        """The innermost loop walks the parts of one structure (``tf.nest.flatten(x)``, a dict's
        ``items()``), or a list or tuple written out: a handful of different values, each of its own
        shape, not the same step repeated over a stream of data."""
        iterable = _innermost_iterable(guards)
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            return True
        if isinstance(iterable, ast.Call) and (isinstance(iterable.func, ast.Attribute)
                                               and iterable.func.attr in ("items", "keys", "values")):
            return True
        return isinstance(iterable, ast.Call) and (self.dotted(iterable.func, scope) or "").endswith("nest.flatten")

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
            bound = _assigned_to(expr.id, scope.node)
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
        for node in module_level_statements(self.tree.body):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                found.setdefault(node.targets[0].id, []).append(
                    value.value if isinstance(value, ast.Constant) and type(value.value) is int else None)
        return {name: values[0] for name, values in found.items() if len(values) == 1 and values[0] is not None}


def _holding(guard: Branch) -> ast.expr | None:
    """What holds under ``guard``: its test when taken, ``x`` after ``if not x: return``."""
    if guard.taken:
        return guard.test
    test = guard.test
    return test.operand if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else None


def _required_flag(test: ast.expr, flags: list[str], function: ast.AST, alias: bool = True) -> str | None:
    """The flag parameter ``test`` needs true: ``verbose``, ``memoize and x``, or a local holding such a test
    (``do = memoize and x``, then ``if do:``); not a parameter the function rebinds."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return next(filter(None, (_required_flag(value, flags, function, alias) for value in test.values)), None)
    if not isinstance(test, ast.Name):
        return None
    bound = _assigned_to(test.id, function)
    if test.id in flags:
        return None if bound else test.id
    return _required_flag(bound[0], flags, function, alias=False) if alias and len(bound) == 1 else None


def _assigned_to(name: str, function: ast.AST) -> list[ast.expr]:
    """The values ``name = VALUE`` statements in ``function`` give it."""
    return [node.value for node in ast.walk(function) if isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)]


def _property_field(flag: ast.expr, methods: dict[str, FunctionNode], receiver: str) -> ast.expr | None:
    """``self._batch`` for a flag ``self.batch`` read through a property that only returns it."""
    if not (isinstance(flag, ast.Attribute) and on_receiver(flag, receiver)):
        return None
    getter = methods.get(flag.attr)
    if getter is None or not any(isinstance(d, ast.Name) and d.id == "property" for d in getter.decorator_list):
        return None
    body = [s for s in getter.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Attribute) \
            and on_receiver(body[0].value, receiver):
        return body[0].value
    return None


def _innermost_iterable(guards: list[ast.expr]) -> ast.expr | None:
    """What the innermost loop among ``guards`` iterates over (a comprehension's first ``for``)."""
    loops = [guard.loop for guard in guards if isinstance(guard, InLoop)]
    if not loops:
        return None
    loop = loops[-1]
    return loop.iter if isinstance(loop, (ast.For, ast.AsyncFor)) else \
        loop.generators[0].iter if isinstance(loop, COMPREHENSIONS) else None
