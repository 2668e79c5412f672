"""Where a body binds, rebinds and mutates names: its own nodes and bindings, its statements with
their enclosing loops, assignment targets, and the scalar expressions a value can be."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.summary import FunctionNode, Loc

FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
LOOPS = (ast.For, ast.AsyncFor, ast.While)


def own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function's own body: nested definitions are not entered (their decorators and
    defaults are, as they run in this body)."""
    stack = list(reversed(function.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, NESTED_SCOPES):
            extra = [*getattr(node, "decorator_list", [])]
            if isinstance(node, FUNCTION_DEFS):
                extra += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            stack.extend(reversed(extra))
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def first_load(function: FunctionNode, matches) -> ast.expr | None:
    for node in own_nodes(function):
        if matches(node) and isinstance(getattr(node, "ctx", None), ast.Load):
            return node
    return None


def own_bindings(function: FunctionNode) -> set[str]:
    """Names a function binds in its own scope (not declared global or nonlocal)."""
    bound, declared = set(), set()
    for node in own_nodes(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, NESTED_SCOPES) and not isinstance(node, ast.Lambda):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
    return bound - declared


def statements_with_loops(body: list[ast.stmt], loops: list[ast.stmt]) -> Iterator[tuple[ast.stmt, list[ast.stmt]]]:
    """Every statement of a body, in blocks too but not in nested definitions, with its enclosing loops."""
    for statement in body:
        yield statement, loops
        if isinstance(statement, NESTED_SCOPES):
            continue
        inner = [*loops, statement] if isinstance(statement, LOOPS) else loops
        for name in ("body", "orelse", "finalbody"):
            block = getattr(statement, name, None)
            if isinstance(block, list):
                yield from statements_with_loops(block, inner if name == "body" else loops)
        for handler in getattr(statement, "handlers", []):
            yield from statements_with_loops(handler.body, loops)
        for case in getattr(statement, "cases", []):
            yield from statements_with_loops(case.body, loops)


def module_statements(body: list[ast.stmt]):
    return statements_with_loops(body, [])


def function_statements(function: FunctionNode):
    return statements_with_loops(function.body, [])


def is_name(target: ast.expr, name: str) -> bool:
    """``name`` itself, or an element of it (``name[k] = v``)."""
    while isinstance(target, ast.Subscript):
        target = target.value
    return isinstance(target, ast.Name) and target.id == name


def is_mutation_of(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Subscript) and is_name(target, name)


def is_mutation_target(target: ast.expr) -> bool:
    return isinstance(target, ast.Subscript)


def is_attribute(target: ast.expr, receiver: str, attribute: str) -> bool:
    """``receiver.attribute`` itself, or an element of it."""
    while isinstance(target, ast.Subscript):
        target = target.value
    return isinstance(target, ast.Attribute) and target.attr == attribute and isinstance(target.value, ast.Name) \
        and target.value.id == receiver


def within(loop: ast.stmt, loc: Loc) -> bool:
    return (loop.lineno, loop.col_offset) <= (loc[0], loc[1]) and (loc[2], loc[3]) <= (
        loop.end_lineno or loop.lineno, loop.end_col_offset or 0)


def is_number(expr: ast.expr) -> bool:
    """A numeric scalar expression: a number, or arithmetic on numbers and names."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool)
    if isinstance(expr, ast.BinOp):
        return all(is_number(o) or isinstance(o, (ast.Name, ast.Attribute)) for o in (expr.left, expr.right)) \
            and (is_number(expr.left) or is_number(expr.right))
    if isinstance(expr, ast.UnaryOp):
        return is_number(expr.operand)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in ("int", "float"):
        return True
    return False
