"""Names a function binds locally, which therefore shadow module-level names."""

from __future__ import annotations

import ast
from typing import Iterable

from .summary import FunctionNode


def local_bindings(function: FunctionNode) -> frozenset[str]:
    """Parameters, assignment targets, imports and nested definitions of ``function``.

    Names declared ``global`` or ``nonlocal`` are not local.
    """
    return bindings_among(function, _walk_own_scope(function))


def bindings_among(function: FunctionNode, own_nodes: Iterable[ast.AST]) -> frozenset[str]:
    """:func:`local_bindings` from the nodes of ``function``'s own scope, when a caller already has them."""
    arguments = function.args
    names = {arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    names.update(arg.arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None)
    declared_elsewhere: set[str] = set()
    for node in own_nodes:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared_elsewhere.update(node.names)
    return frozenset(names - declared_elsewhere)


def _walk_own_scope(function: FunctionNode):
    """Nodes of ``function``'s body, not descending into nested scopes' bodies."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
