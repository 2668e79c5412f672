"""A local Python list grown in a graph loop and stacked afterwards → a ``tf.TensorArray`` (HYB504).

::

    out = []                                  out = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    for i in tf.range(n):                     for i in tf.range(n):
        out.append(i * i)            →            out = out.write(out.size(), i * i)
    return tf.stack(out)                      return out.stack()

In a ``tf.function`` AutoGraph turns a loop over ``tf.range`` or a dataset into a ``tf.while_loop``
(or a dataset reduction), whose body is a graph of its own: a tensor appended to a Python list there
cannot be read after the loop, and tracing fails. A ``TensorArray`` is the loop-carried list the
graph has. The pattern is matched strictly: the list made empty in the same block as the loop,
appended by one statement of the loop's body, and only ``tf.stack``-ed after it. The element dtype
must be spelled out by the appended expression (a ``tf.cast``, a ``dtype=``), or follow from a float
literal (float32) or from ``tf.range`` of integer literals and integer arithmetic on its variable
(int32); otherwise there is no rewrite.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from ..codemods import CodemodError, module_spelling, replace_ast
from ..context import FileContext
from ..diagnostics import Fix
from ..registry import RuleSpec

_RANGE = "tensorflow.range"
_DATASET_PREFIX = "tensorflow.data."
_BLOCKS = ("body", "orelse", "finalbody")


@dataclass(frozen=True)
class GrownList:
    """``name = []``; ``for target in loop_iter: name.append(element)``; ``tf.stack(name)`` after."""

    name: str
    creation: ast.Assign
    loop: ast.For
    append: ast.Call
    stacks: tuple[ast.Call, ...]
    over: str  # "tf.range" | "a dataset"


def grown_lists(ctx: FileContext, function: ast.AST) -> Iterator[GrownList]:
    for block in _blocks(function):
        for index, statement in enumerate(block):
            name = _empty_list(statement)
            if name is None:
                continue
            found = _grown(ctx, function, block, index, name)
            if found is not None:
                yield found


def tensor_array_fix(ctx: FileContext, rule: RuleSpec, grown: GrownList) -> Fix | None:
    dtype = _element_dtype(ctx, grown)
    if dtype is None:
        return None
    try:
        tf, import_edits = module_spelling(ctx.source, ctx.bindings, "tensorflow", alias="tf")
        name = grown.name
        element = _text(ctx, grown.append.args[0])
        edits = [
            *import_edits,
            replace_ast(ctx.source, grown.creation.value, f"{tf}.TensorArray({tf}.{dtype}, size=0, dynamic_size=True)"),
            # ``name.append(x)`` is a statement of its own: it becomes ``name = name.write(...)``.
            replace_ast(ctx.source, grown.append, f"{name} = {name}.write({name}.size(), {element})"),
            *(replace_ast(ctx.source, stack, f"{name}.stack()") for stack in grown.stacks),
        ]
    except CodemodError:
        return None
    return ctx.fix(rule, edits, f"Collect `{name}` in a `tf.TensorArray` ({dtype}) and stack it after the loop")


def _blocks(function: ast.AST) -> Iterator[list[ast.stmt]]:
    stack = [function]
    while stack:
        node = stack.pop()
        for field in _BLOCKS:
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
                stack.extend(s for s in block if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                     ast.ClassDef)))
        for handler in getattr(node, "handlers", []):
            stack.append(handler)


def _empty_list(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name) \
            and isinstance(statement.value, ast.List) and not statement.value.elts:
        return statement.targets[0].id
    return None


def _grown(ctx: FileContext, function: ast.AST, block: list[ast.stmt], index: int, name: str) -> GrownList | None:
    loop_index = next((i for i in range(index + 1, len(block)) if isinstance(block[i], ast.For)
                       and _mentions(block[i], name)), None)
    if loop_index is None or any(_mentions(s, name) for s in block[index + 1:loop_index]):
        return None
    loop = block[loop_index]
    over = _graph_loop(ctx, function, loop.iter)
    if over is None or loop.orelse or _mentions(loop.iter, name) or _mentions(loop.target, name):
        return None
    appends = [s for s in loop.body if _mentions(s, name)]
    if len(appends) != 1:
        return None
    append = _append_call(appends[0], name)
    if append is None:
        return None
    stacks = []
    for statement in block[loop_index + 1:]:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == name:
                stack = _stack_of(ctx, statement, node)
                if stack is None:
                    return None
                stacks.append(stack)
    if not stacks:
        return None
    uses = sum(1 for node in ast.walk(function) if isinstance(node, ast.Name) and node.id == name)
    if uses != 2 + len(stacks):  # made, appended, stacked: nothing else, nowhere else
        return None
    return GrownList(name, block[index], loop, append, tuple(stacks), over)


def _graph_loop(ctx: FileContext, function: ast.AST, iterable: ast.expr) -> str | None:
    """"tf.range" or "a dataset" when AutoGraph makes the loop a graph loop."""
    if isinstance(iterable, ast.Call):
        name = ctx.qualified_name(iterable.func) or ""
        if name == _RANGE:
            return "tf.range"
        root = iterable.func
        while isinstance(root, ast.Attribute) and isinstance(root.value, ast.Call):
            root = root.value.func  # Dataset.range(5).map(f).batch(2)
        if (ctx.qualified_name(root) or "").startswith(_DATASET_PREFIX):
            return "a dataset"
    if isinstance(iterable, ast.Name):
        assigned = [s.value for s in ast.walk(function) if isinstance(s, ast.Assign) and len(s.targets) == 1
                    and isinstance(s.targets[0], ast.Name) and s.targets[0].id == iterable.id]
        if len(assigned) == 1 and _graph_loop(ctx, function, assigned[0]) == "a dataset":
            return "a dataset"
    return None


def _append_call(statement: ast.stmt, name: str) -> ast.Call | None:
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        if isinstance(call.func, ast.Attribute) and call.func.attr == "append" and isinstance(call.func.value, ast.Name) \
                and call.func.value.id == name and len(call.args) == 1 and not call.keywords \
                and not _mentions(call.args[0], name):
            return call
    return None


def _stack_of(ctx: FileContext, statement: ast.stmt, name_node: ast.Name) -> ast.Call | None:
    for node in ast.walk(statement):
        if isinstance(node, ast.Call) and node.args and node.args[0] is name_node and len(node.args) == 1 \
                and not node.keywords and ctx.qualified_name(node.func) == "tensorflow.stack":
            return node
    return None


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _element_dtype(ctx: FileContext, grown: GrownList) -> str | None:
    element = grown.append.args[0]
    for node in ast.walk(element):
        if isinstance(node, ast.Call) and ctx.qualified_name(node.func) == "tensorflow.cast" and len(node.args) == 2:
            return _dtype_name(ctx, node.args[1])
        for keyword in getattr(node, "keywords", []):
            if keyword.arg == "dtype":
                return _dtype_name(ctx, keyword.value)
    if any(isinstance(n, ast.Constant) and type(n.value) is float for n in ast.walk(element)):
        return "float32"
    if grown.over == "tf.range" and isinstance(grown.loop.target, ast.Name) \
            and all(isinstance(a, ast.Constant) and type(a.value) is int for a in grown.loop.iter.args) \
            and not grown.loop.iter.keywords and _integer_arithmetic(element, grown.loop.target.id):
        return "int32"
    return None


def _integer_arithmetic(node: ast.expr, variable: str) -> bool:
    if isinstance(node, ast.Name):
        return node.id == variable
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)):
        return _integer_arithmetic(node.left, variable) and _integer_arithmetic(node.right, variable)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _integer_arithmetic(node.operand, variable)
    return False


def _dtype_name(ctx: FileContext, node: ast.expr) -> str | None:
    name = ctx.qualified_name(node) or ""
    prefix = "tensorflow."
    return name[len(prefix):] if name.startswith(prefix) and name.count(".") == 1 else None


def _text(ctx: FileContext, node: ast.AST) -> str:
    span = ctx.source.span_of(node)
    return ctx.source.text[span.start:span.end]
