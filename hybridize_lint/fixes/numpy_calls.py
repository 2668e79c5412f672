"""Drop ``.numpy()`` in graph code when its value only flows into TensorFlow (HYB501).

``peak = tf.reduce_max(x).numpy(); return x / peak`` fails while tracing (a symbolic tensor has no
NumPy value); without ``.numpy()`` it computes the same thing as a graph. Allowed uses of the value:
an argument of a ``tf.*`` call, an operand of arithmetic or a comparison (TensorFlow overloads them),
and the function's return value (a ``tf.function`` returns tensors either way). A value used in any
other way (``.max()``, ``float(v)``, ``if v:``, a Python container) keeps ``.numpy()``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..codemods import CodemodError, replace_ast
from ..context import FileContext
from ..diagnostics import Fix
from ..registry import RuleSpec

_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)


def drop_numpy(ctx: FileContext, rule: RuleSpec, call: ast.Call, function: ast.AST | None,
               returns_tensors: bool) -> Fix | None:
    """``returns_tensors``: the function is a ``tf.function``, whose return values become tensors anyway
    (a helper that returns the value would return a tensor to its eager callers too)."""
    if function is None or not isinstance(call.func, ast.Attribute) or call.args or call.keywords:
        return None
    uses = _Uses(ctx, _parents(function), returns_tensors)
    if not uses.flow_into_tensorflow(call, function):
        return None
    receiver = call.func.value
    span = ctx.source.span_of(receiver)
    text = ctx.source.text[span.start:span.end]
    if not isinstance(receiver, _ATOMS):
        text = f"({text})"
    try:
        edit = replace_ast(ctx.source, call, text)
    except CodemodError:
        return None
    return ctx.fix(rule, [edit], "Drop `.numpy()`: its value only flows into TensorFlow operations")


@dataclass
class _Uses:
    ctx: FileContext
    parents: dict[int, ast.AST]
    returns_tensors: bool

    def flow_into_tensorflow(self, value: ast.expr, function: ast.AST) -> bool:
        parent = self.parents.get(id(value))
        if isinstance(parent, ast.Assign) and parent.value is value:
            if len(parent.targets) != 1 or not isinstance(parent.targets[0], ast.Name):
                return False
            name = parent.targets[0].id
            stores = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name
                      and isinstance(n.ctx, ast.Store)]
            if len(stores) != 1 or _rebinds_elsewhere(function, name):
                return False
            loads = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name
                     and isinstance(n.ctx, ast.Load)]
            return bool(loads) and all(self.tensor_use(load) for load in loads)
        return self.tensor_use(value)

    def tensor_use(self, node: ast.expr) -> bool:
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.Tuple) and isinstance(self.parents.get(id(parent)), ast.Return):
            parent = self.parents.get(id(parent))  # ``return a, b``: each one returned
        if isinstance(parent, ast.Return):
            return self.returns_tensors
        if isinstance(parent, (ast.BinOp, ast.Compare)) or (isinstance(parent, ast.UnaryOp)
                                                             and not isinstance(parent.op, ast.Not)):
            return self.tensor_use(parent)  # arithmetic is TensorFlow's if its result flows there
        if isinstance(parent, ast.keyword):
            parent = self.parents.get(id(parent))
        if isinstance(parent, ast.Call) and node is not parent.func:
            name = self.ctx.qualified_name(parent.func)
            return bool(name) and name.startswith("tensorflow.")
        return False


def _rebinds_elsewhere(function: ast.AST, name: str) -> bool:
    for node in ast.walk(function):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and node is not function:
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node)):
                return True
    return False


def _parents(function: ast.AST) -> dict[int, ast.AST]:
    found: dict[int, ast.AST] = {}
    for node in ast.walk(function):
        for child in ast.iter_child_nodes(node):
            found[id(child)] = node
    return found
