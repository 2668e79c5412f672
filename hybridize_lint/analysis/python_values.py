"""What a body does with values only Python has: parameters it needs as Python values, and tensors it walks
as Python sequences.

A parameter passed to ``math.factorial``, checked before a ``raise`` or asked ``term.isnumeric()`` is a
Python value: a graph of the function traces once per value. A tensor unpacked (``b, h, w, c = tf.shape(x)``),
zipped, enumerated, listed or walked by a comprehension is iterated by Python: fine eagerly, but a symbolic
tensor refuses it (OperatorNotAllowedInGraphError, TF 2.21; a plain ``for`` over it is a graph loop AutoGraph
makes). Only expressions that surely denote one tensor count: ``tape.gradient`` returns a list as often.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .summary import Blocker, FunctionSummary, loc_of

if TYPE_CHECKING:  # pragma: no cover
    from .resolver import Resolver, Scope


def record_python_uses(builder: "Resolver", scope: "Scope", function: FunctionSummary, every: list, own: list) -> None:
    """The parameters' uses (reads, attributes, Python-only ones) and the tensors the body iterates."""
    record_parameter_uses(function, every)
    record_python_parameters(builder, scope, function, every)
    record_tensor_iteration(builder, scope, function, own)


def record_parameter_uses(function: FunctionSummary, every: list) -> None:
    """How often each parameter is read, and which of its attributes are read."""
    value_params = set(function.receiverless_params())
    for node, _ in every:
        if isinstance(node, ast.Name) and node.id in value_params and isinstance(node.ctx, ast.Load):
            function.param_loads[node.id] = function.param_loads.get(node.id, 0) + 1
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in value_params and node.attr not in _TENSOR_ATTRIBUTES:
            attributes = function.param_attributes.setdefault(node.value.id, [])
            if node.attr not in attributes:
                attributes.append(node.attr)


def record_python_parameters(builder: "Resolver", scope: "Scope", function: FunctionSummary, every: list) -> None:
    """Parameters the body passes to Python-only math (``math.factorial(n)``, ``scipy.special.jn(n, x)``),
    validates with a ``raise`` (``if n < 0: raise ValueError``: a tensor condition cannot raise) or calls a
    string's method on (``term.isnumeric()``). (Not ``range(n)``: AutoGraph turns a loop over ``range`` of
    a tensor into a graph loop.)"""
    params, kb = set(function.receiverless_params()), builder.kb
    for node, _ in every:
        if isinstance(node, ast.Call) and _python_only(builder.dotted(node.func, scope), kb.python_only_modules):
            used = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in kb.string_methods:
            used = [node.func.value] if isinstance(node.func.value, ast.Name) else []
        elif isinstance(node, ast.If) and any(isinstance(statement, ast.Raise) for statement in node.body):
            used = [node.test]
        else:
            continue
        for argument in used:
            for name in ast.walk(argument):
                if isinstance(name, ast.Name) and name.id in params and name.id not in function.python_params:
                    function.python_params.append(name.id)


def _python_only(dotted: str | None, modules: frozenset[str]) -> bool:
    return dotted is not None and dotted.split(".")[0] in modules


_TENSOR_ATTRIBUTES = frozenset({"dtype"})  # read alike from arrays and from tensors of any shape


_SEQUENCE_BUILTINS = {"builtins.zip": 0, "builtins.enumerate": 0, "builtins.list": 0, "builtins.tuple": 0,
                      "builtins.sorted": 0, "builtins.set": 0, "builtins.reversed": 0, "builtins.sum": 0,
                      "builtins.map": 1, "builtins.filter": 1}  # → the first argument that is iterated


def record_tensor_iteration(builder: "Resolver", scope: "Scope", function: FunctionSummary, own: list) -> None:
    """Blockers where the body walks one tensor as a Python sequence."""
    single = _SingleTensors(builder, scope, own)
    for node, _ in own:
        for iterated in _iterated(builder, scope, node):
            if single.denotes(iterated, getattr(node, "lineno", iterated.lineno)):
                function.blockers.append(Blocker(
                    "walks a tensor as a Python sequence (unpacking, `zip`, `enumerate`, `list(...)`, a "
                    "comprehension): fine eagerly, a symbolic tensor raises OperatorNotAllowedInGraphError",
                    loc_of(iterated), []))
                break


def _iterated(builder: "Resolver", scope: "Scope", node: ast.AST) -> list[ast.expr]:
    """The expressions ``node`` makes Python iterate (not a plain ``for x in t``, which AutoGraph converts)."""
    if isinstance(node, ast.Assign) and any(isinstance(t, (ast.Tuple, ast.List)) for t in node.targets):
        return [node.value]
    if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, (ast.Tuple, ast.List)):
        return [node.iter]  # each element unpacked
    if isinstance(node, ast.comprehension):
        return [node.iter]
    if isinstance(node, ast.Call):
        starred = [a.value for a in node.args if isinstance(a, ast.Starred)]
        first = _SEQUENCE_BUILTINS.get(builder.dotted(node.func, scope) or "")
        return starred + (node.args[first:] if first is not None else [])
    return []


class _SingleTensors:
    """Which expressions of one body surely denote one tensor: what a function of ``single_tensor_functions``
    returns, a part of it, arithmetic of it with numbers, a local last bound to one of these."""

    def __init__(self, builder: "Resolver", scope: "Scope", own: list):
        self.builder, self.scope = builder, scope
        self.bindings: dict[str, list[tuple[int, ast.expr | None]]] = {}
        for node, _ in own:  # unpacked, looped, updated or `with ... as` bindings are of unknown value
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            for target in _binding_targets(node):
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound = value if target is name else None
                        self.bindings.setdefault(name.id, []).append((name.lineno, bound))

    def denotes(self, expr: ast.expr, line: int) -> bool:
        if isinstance(expr, ast.Call):
            return self.builder.dotted(expr.func, self.scope) in self.builder.kb.single_tensor_functions
        if isinstance(expr, ast.Subscript):
            return self.denotes(expr.value, line)
        if isinstance(expr, ast.UnaryOp):
            return self.denotes(expr.operand, line)
        if isinstance(expr, ast.BinOp):
            sides = (expr.left, expr.right)
            return any(self.denotes(side, line) for side in sides) and all(
                self.denotes(side, line) or _number(side) for side in sides)
        if isinstance(expr, ast.Name):
            earlier = [(at, value) for at, value in self.bindings.get(expr.id, []) if at < line]
            return bool(earlier) and earlier[-1][1] is not None and self.denotes(earlier[-1][1], earlier[-1][0])
        return False


def _binding_targets(node: ast.AST) -> list[ast.expr]:
    """What a statement of the body binds (the summariser's walk of a body yields statements, not names)."""
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
        return [node.target]
    return []


def _number(expr: ast.expr) -> bool:
    if isinstance(expr, ast.UnaryOp):
        return _number(expr.operand)
    return isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool)
