"""HYB202's fix: create a ``tf.function`` once, before the loop that re-creates it every iteration.

Only the trivial case is fixed: ``step = tf.function(train_step)`` alone on its line, directly in
a loop body, wrapping a name the loop never rebinds, assigned nowhere else in the loop and not
read in the loop before that line.  Then every iteration builds an equal wrapper, and building it
once gives the same calls with one trace cache instead of one per iteration.
"""

from __future__ import annotations

import ast

from ..codemods import CodemodError, hoist_before
from ..context import FileContext
from ..diagnostics import Fix
from ..registry import RuleSpec

_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def hoistable_wrappers(ctx: FileContext) -> dict[int, tuple[ast.Assign, ast.stmt]]:
    """``id`` of each ``tf.function(...)`` call that can move → (its assignment, its loop)."""
    found: dict[int, tuple[ast.Assign, ast.stmt]] = {}
    for kind in _LOOPS:
        for loop in ctx.nodes(kind):
            if len(loop.body) < 2:
                continue  # the body would be left empty
            stored = _stores(loop)
            for index, statement in enumerate(loop.body):
                if _is_invariant_wrapper(ctx, statement, stored) and not _read_before(loop, index):
                    found[id(statement.value)] = (statement, loop)
    return found


def hoist_fix(ctx: FileContext, rule: RuleSpec, statement: ast.Assign, loop: ast.stmt) -> Fix | None:
    try:
        return ctx.fix(rule, hoist_before(ctx.source, statement, loop))
    except CodemodError:
        return None


def _is_invariant_wrapper(ctx: FileContext, statement: ast.stmt, stored: dict[str, int]) -> bool:
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return False
    call, name = statement.value, statement.targets[0].id
    if not (ctx.is_hybridizer_call(call) and len(call.args) == 1
            and isinstance(call.args[0], (ast.Name, ast.Attribute))):
        return False
    if stored.get(name, 0) != 1:
        return False  # assigned elsewhere in the loop too
    return not any(isinstance(node, ast.Name) and node.id in stored for node in ast.walk(call))


def _read_before(loop: ast.stmt, index: int) -> bool:
    """Whether the assigned name is read in the loop header or in the body before its assignment."""
    name = loop.body[index].targets[0].id
    header = [loop.iter] if isinstance(loop, (ast.For, ast.AsyncFor)) else [loop.test]
    earlier = [*header, *loop.body[:index]]
    return any(isinstance(node, ast.Name) and node.id == name for part in earlier for node in ast.walk(part))


def _stores(loop: ast.stmt) -> dict[str, int]:
    """How many times the loop (target, body, ``else``) binds each name, nested scopes included."""
    counts: dict[str, int] = {}
    for node in ast.walk(loop):
        names: list[str] = []
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names = [node.id]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names = [node.name]
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    return counts
