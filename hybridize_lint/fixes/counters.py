"""Turn a module-level Python counter updated in graph code into a ``tf.Variable`` (HYB103).

``steps = 0`` … ``global steps; steps += 1`` in a ``tf.function`` counts one trace, not the calls.
As a variable it counts every call and the graph stays::

    steps = tf.Variable(0)          # where the original value was defined
    steps.assign_add(1)             # each update: ``+=``/``-=`` → assign_add/assign_sub, ``=`` → assign
    print(int(steps))               # each eager read: int(...) (float(...) for a float counter)

Only when every use of the name in the file has one of those shapes: one module-level definition
with a number, updates in functions that declare it ``global``, reads in eager code (converted) or in
graph code (left as they are: a tensor read of the variable's current value). An integer counter
must only be incremented by integer literals (a variable's dtype is fixed). No other module may
read the name. Otherwise no rewrite, and the dehybridize fix stays.
"""

from __future__ import annotations

import ast

from ..codemods import CodemodError, module_spelling, replace_ast
from ..context import FileContext
from ..diagnostics import Edit, Fix
from ..registry import RuleSpec

_UPDATES = {ast.Add: "assign_add", ast.Sub: "assign_sub"}
_CONVERTERS = ("builtins.int", "builtins.float", "builtins.bool", "builtins.str", "builtins.range")


def to_variable(ctx: FileContext, rule: RuleSpec, name: str) -> Fix | None:
    definition = _definition(ctx, name)
    if definition is None or _read_elsewhere(ctx, name):
        return None
    uses = list(_uses(ctx, name))
    if _unaccounted(ctx, name, uses):
        return None
    number = _number(definition.value)
    integer = isinstance(number, int)
    parents = _parents(ctx.tree)
    graph = {qualname for qualname in ctx.functions if (ctx.module, qualname) in ctx.project.graph_functions}
    try:
        spelling, import_edits = module_spelling(ctx.source, ctx.bindings, "tensorflow", alias="tf")
        edits: list[Edit] = [*import_edits, replace_ast(ctx.source, definition.value,
                                                        f"{spelling}.Variable({_text(ctx, definition.value)})")]
        for node, function in uses:
            if node is None or node is definition.targets[0]:
                continue
            parent = parents.get(id(node))
            if isinstance(node.ctx, ast.Store):
                edit = _update(ctx, node, parent, function, integer)
                if edit is None:
                    return None
                edits.append(edit)
            elif isinstance(node.ctx, ast.Load):
                if isinstance(parent, ast.Call) and ctx.qualified_name(parent.func) in _CONVERTERS:
                    if function is not None and function[0] in graph:
                        return None  # int(steps) in graph code: no Python number there
                    continue  # int(steps) already reads a Python number eagerly
                if function is None or function[0] not in graph:
                    edits.append(replace_ast(ctx.source, node, f"{'int' if integer else 'float'}({name})"))
            else:
                return None
    except CodemodError:
        return None
    return ctx.fix(rule, edits, f"Make `{name}` a `tf.Variable` updated on every call (`assign_add`/`assign`)")


def _definition(ctx: FileContext, name: str) -> ast.Assign | None:
    found = [s for s in ctx.tree.body if isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign))
             and any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(s)
                     if isinstance(getattr(t, "ctx", None), ast.Store))]
    if len(found) != 1 or not isinstance(found[0], ast.Assign):
        return None
    statement = found[0]
    if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name) or _number(statement.value) is None:
        return None
    return statement


def _number(node: ast.expr) -> int | float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _number(node.operand)
        return -value if value is not None else None
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _read_elsewhere(ctx: FileContext, name: str) -> bool:
    """Another module imports the name or reads it as ``module.name``."""
    project = ctx.project
    target = f"{ctx.module}.{name}"
    for summary in project.summaries.values():
        if summary.module != ctx.module and any(ref.endswith(target) for ref in summary.bindings.values()):
            return True
    return any(function[0] != ctx.module for function in project.attribute_readers.get(name, ()))


def _uses(ctx: FileContext, name: str):
    """Every ``Name`` node of the module-level variable, with the (qualname, node) of the function it
    is in (None at module level); a name a function binds locally is another variable, yielded as
    ``(None, name)`` to say it was seen."""
    yield from ((n, None) for n in _module_level_names(ctx.tree, name))
    for qualname, function in ctx.functions.items():
        own = list(_own_names(function, name))
        if not own:
            continue
        declared = any(isinstance(n, ast.Global) and name in n.names for n in _own_nodes(function))
        stored = any(isinstance(n.ctx, ast.Store) for n in own)
        if (stored and not declared) or _binds_as_parameter(function, name):
            yield from ((None, n) for n in own)  # a local of the same name: another variable
            continue
        yield from ((n, (qualname, function)) for n in own)


def _unaccounted(ctx: FileContext, name: str, uses) -> bool:
    """Whether a use of the name sits where neither module-level code nor a function's own body sees
    it (a lambda, a class body): one this rewrite would miss."""
    seen = {id(node if node is not None else local) for node, local in uses}  # (None, name): a local
    return any(id(n) not in seen for n in ast.walk(ctx.tree) if isinstance(n, ast.Name) and n.id == name)


def _update(ctx: FileContext, node: ast.Name, parent: ast.AST | None, function, integer: bool) -> Edit | None:
    if function is None:
        return None  # rebound at module level: not a counter's shape
    if isinstance(parent, ast.AugAssign) and parent.target is node and type(parent.op) in _UPDATES:
        if integer and not (isinstance(parent.value, ast.Constant) and type(parent.value.value) is int):
            return None
        method = _UPDATES[type(parent.op)]
        return replace_ast(ctx.source, parent, f"{node.id}.{method}({_text(ctx, parent.value)})")
    if isinstance(parent, ast.Assign) and parent.targets == [node]:
        if integer and _number(parent.value) is None:
            return None
        return replace_ast(ctx.source, parent, f"{node.id}.assign({_text(ctx, parent.value)})")
    return None


def _module_level_names(tree: ast.Module, name: str):
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            if not isinstance(node, ast.Lambda):
                stack.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Name) and node.id == name:
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _own_nodes(function: ast.AST):
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _own_names(function: ast.AST, name: str):
    return (n for n in _own_nodes(function) if isinstance(n, ast.Name) and n.id == name)


def _binds_as_parameter(function: ast.AST, name: str) -> bool:
    arguments = function.args
    return any(a.arg == name for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                       *filter(None, [arguments.vararg, arguments.kwarg])])


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    found: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            found[id(child)] = node
    return found


def _text(ctx: FileContext, node: ast.AST) -> str:
    span = ctx.source.span_of(node)
    return ctx.source.text[span.start:span.end]
