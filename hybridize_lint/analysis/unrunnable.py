"""Nested functions that their enclosing function never defines, so that nothing in them ever runs.

A statement of the enclosing function's own block, before the ``def``, always stops it: it reads a name
that is bound nowhere, or a local before any assignment, where that read is always evaluated
(``shuffled = dataset.shuffle(mix_size)`` with no ``mix_size`` in any scope). Every path to the ``def``
runs that statement, and it raises ``NameError`` first, so the function, and what it would hand to
``Dataset.map`` or ``tf.function``, never exists. Leftover modules nobody imports look like that, and a
finding about how their graph code behaves is worth nothing: the code cannot run at all.

pyflakes (which flake8 runs) finds the undefined names, with Python's scoping rules, builtins and star
imports; which of its reads always raise is decided here.
"""

from __future__ import annotations

import ast

from pyflakes import checker, messages

from .statement_walk import COMPREHENSIONS
from .summary import FunctionNode

_SIMPLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return)
_UNDEFINED = (messages.UndefinedName, messages.UndefinedLocal)
# Names that hosts put into builtins at run time: gettext's `_`, IPython's, line_profiler's `profile`.
_INJECTED = frozenset({"_", "get_ipython", "display", "profile", "__IPYTHON__"})


def never_defined(tree: ast.Module, filename: str = "(none)") -> set[tuple[int, int]]:
    """Where (line, column) the nested ``def`` statements that never run are."""
    reads = _undefined_reads(tree, filename)
    found: set[tuple[int, int]] = set()
    if reads:
        for node in ast.walk(tree):
            if isinstance(node, FunctionNode):
                _after_a_stop(node.body, reads, found)
    return found


def _undefined_reads(tree: ast.Module, filename: str) -> set[tuple[int, int]]:
    report = checker.Checker(tree, filename=filename)
    return {(message.lineno, message.col) for message in report.messages
            if isinstance(message, _UNDEFINED) and message.message_args[0] not in _INJECTED}


def _after_a_stop(body: list[ast.stmt], reads: set[tuple[int, int]], found: set[tuple[int, int]]) -> None:
    """Mark the definitions in ``body`` after its first statement that always raises."""
    stopped = False
    for statement in body:
        if stopped:
            found.update((node.lineno, node.col_offset) for node in ast.walk(statement)
                         if isinstance(node, FunctionNode))
        elif isinstance(statement, _SIMPLE) and any(
                (read.lineno, read.col_offset) in reads for read in _always_evaluated(statement)):
            stopped = True


def _always_evaluated(statement: ast.stmt):
    """The names a simple statement reads on every run of it: not in the second operand of ``and``/``or``,
    the arms of ``x if c else y``, lambdas or comprehension bodies (which may never be evaluated)."""
    if isinstance(statement, ast.AnnAssign):  # a local's annotation is never evaluated
        stack: list[ast.AST] = [statement.target, statement.value] if statement.value else []
    else:
        stack = [statement]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node
        elif isinstance(node, ast.BoolOp):
            stack.append(node.values[0])
        elif isinstance(node, ast.IfExp):
            stack.append(node.test)
        elif isinstance(node, COMPREHENSIONS):
            stack.append(node.generators[0].iter)
        elif not isinstance(node, (ast.Lambda, FunctionNode)):
            stack.extend(ast.iter_child_nodes(node))
