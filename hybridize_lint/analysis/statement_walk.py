"""The walk of a scope's own nodes, with the guards (branches, loops, ``with`` blocks) that enclose each."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

from .flags import flags_set_for_good

SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class InLoop(ast.expr):
    """Marks, among an expression's guards, that it runs inside a loop body."""

    marks_loop = True  # how passes in other modules recognise it

    def __init__(self, loop: ast.stmt | None = None):
        super().__init__()
        self.loop = loop


@dataclass(frozen=True, eq=False)
class Branch:
    """A guard: the code runs only when ``test`` is ``taken`` (true) or not; ``body`` is that code's block."""

    test: ast.expr
    taken: bool
    body: list[ast.stmt]

    @cached_property
    def own_flags(self) -> list[ast.expr]:  # asked for every node under the guard: walk the block once
        return flags_set_for_good(self.test, self.taken, self.body)


@dataclass(frozen=True, eq=False)
class InWith:
    """A guard: the code runs inside this ``with`` statement."""

    statement: ast.With | ast.AsyncWith


def own_nodes_with_guards(body: list[ast.stmt]):
    """Nodes of a body outside nested defs/classes, with the guards (:class:`Branch`, :class:`InLoop`,
    :class:`InWith`) enclosing each."""
    stack: list[tuple[ast.AST, list]] = list(reversed(_guarded_block(body, [])))
    while stack:
        node, guards = stack.pop()
        yield node, guards
        if isinstance(node, SCOPE_NODES):
            continue
        if isinstance(node, ast.If):
            children = [(node.test, guards), *_guarded_block(node.body, [*guards, Branch(node.test, True, node.body)]),
                        *_guarded_block(node.orelse, [*guards, Branch(node.test, False, node.orelse)])]
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            looped = [*guards, InLoop(node)]
            head = [node.target, node.iter] if isinstance(node, (ast.For, ast.AsyncFor)) else [node.test]
            children = [*((child, guards) for child in head), *_guarded_block(node.body, looped),
                        *((child, guards) for child in node.orelse)]
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            children = [*((child, guards) for child in node.items),
                        *_guarded_block(node.body, [*guards, InWith(node)])]
        elif isinstance(node, COMPREHENSIONS):  # `[step(x) for x in ds]` runs step once per element
            looped = [*guards, InLoop(node)]
            children = [(child, looped) for child in _children(node)]
        elif isinstance(node, ast.comprehension) and guards and isinstance(guards[-1], InLoop) \
                and getattr(guards[-1].loop, "generators", [None])[0] is node:
            # the first `for` of a comprehension: its iterable is evaluated once, before the loop
            children = [(child, guards[:-1] if child is node.iter else guards) for child in _children(node)]
        else:
            children = [(child, guards) for child in _children(node)]
        stack.extend(reversed(children))


def _guarded_block(statements: list[ast.stmt], guards: list) -> list[tuple[ast.AST, list]]:
    """Each statement of a block with its guards: after ``if T: return``, the rest runs only when T is false."""
    result = []
    for index, statement in enumerate(statements):
        result.append((statement, guards))
        if isinstance(statement, ast.If) and not statement.orelse and statement.body \
                and isinstance(statement.body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break)):
            guards = [*guards, Branch(statement.test, False, statements[index + 1:])]
    return result


def block_path(guards: list) -> list[list[int]]:
    """The branches and loop bodies around a node, outermost first, each as ``[line, column, arm]`` of its
    test or loop (arm 1: an ``if``'s body, 0: what runs when its test is false, 2: a loop body). A node
    whose path starts with another's runs in the same arms: after it, it sees what that node did."""
    path = []
    for guard in guards:
        if isinstance(guard, Branch):
            path.append([guard.test.lineno, guard.test.col_offset, int(guard.taken)])
        elif isinstance(guard, InLoop) and guard.loop is not None:
            path.append([guard.loop.lineno, guard.loop.col_offset, 2])
    return path


def within(path: list[list[int]], outer: list[list[int]]) -> bool:
    """Whether ``path`` (see :func:`block_path`) lies in the arms of ``outer``."""
    return path[:len(outer)] == outer


def conditional_in_loop(guards: list) -> bool:
    """Whether an ``if`` inside the innermost loop guards the node: it runs on some iterations only."""
    for guard in reversed(guards):
        if isinstance(guard, InLoop):
            return False
        if isinstance(guard, Branch):
            return True
    return False


# Node types the passes over a scope's own nodes look at (keep in step with those passes: a type
# missing here is a node they silently never see).
_PASS_TYPES = frozenset({
    ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete, ast.For, ast.AsyncFor, ast.While, ast.With,
    ast.AsyncWith, ast.comprehension, ast.NamedExpr, ast.Return, ast.Call, ast.BinOp, ast.UnaryOp,
    ast.Subscript, ast.Try, getattr(ast, "TryStar", ast.Try), ast.Import, ast.ImportFrom, ast.Global,
    ast.Nonlocal, ast.Yield, ast.YieldFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
    ast.If,
})


def passes_nodes(nodes) -> list:
    """The (node, guards) pairs the passes need: most nodes are names, constants and attributes."""
    return [pair for pair in nodes if type(pair[0]) in _PASS_TYPES]


# Fields holding only load/store contexts and operators: AST singletons no analysis looks at on
# their own, and a good third of all nodes.
_MARKER_FIELDS = frozenset({"ctx", "op", "ops"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: ast.AST):
    """``ast.iter_child_nodes`` without contexts and operators, and without its per-node field scan."""
    kind = type(node)
    names = _CHILD_FIELDS.get(kind)
    if names is None:
        names = _CHILD_FIELDS[kind] = tuple(name for name in kind._fields if name not in _MARKER_FIELDS)
    for name in names:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


def direct_definitions(node: ast.AST):
    """Function and class definitions in ``node``'s own scope (inside if/try/with too)."""
    if isinstance(node, SCOPE_NODES):
        yield node
        return
    if isinstance(node, (ast.Lambda, ast.expr)):
        return
    for child in ast.iter_child_nodes(node):
        yield from direct_definitions(child)


def outside_lambdas(own: list) -> list[ast.AST]:
    """The nodes of ``own`` not inside a lambda (whose parameters and walrus targets are its own)."""
    inside = {id(inner) for node, _ in own if isinstance(node, ast.Lambda)
              for inner in ast.walk(node) if inner is not node}
    return [node for node, _ in own if id(node) not in inside] if inside else [node for node, _ in own]


def module_level_statements(body: list[ast.stmt]):
    """Statements that run in the module's namespace: also those under ``if __name__ == "__main__":``,
    ``try`` and ``with`` blocks, but not inside functions or classes."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, SCOPE_NODES):
            continue
        for field_name in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, field_name, None)
            if isinstance(children, list):
                stack.extend(reversed(children))
