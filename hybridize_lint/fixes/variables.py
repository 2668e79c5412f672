"""Create a ``tf.Variable`` once instead of on every call of a ``tf.function`` (HYB502).

``total = tf.Variable(0.0)`` in a ``tf.function`` body raises ``ValueError`` (a tf.function may
create variables only on its first trace). Eagerly, each call gets a fresh variable holding the
initial value; the rewrite keeps exactly that behaviour in the graph: the variable is created once,
behind a ``None`` guard (TensorFlow's documented pattern), and set back to its initial value on
every call::

    global _accumulate_total                      # a module-level holder, ``= None`` above the def
    if _accumulate_total is None:                 # a method uses ``getattr(self, "_…", None)``
        _accumulate_total = tf.Variable(0.0)
    total = _accumulate_total
    total.assign(0.0)

Only for a plain ``NAME = tf.Variable(...)`` statement in the function's own body (no loop or
branch around it) whose initial value is a constant (literals, ``tf.zeros``/``tf.ones``/
``tf.constant``/``tf.fill`` of literals), so that the value assigned on every call is the one
created; anything else keeps the dehybridize fix.
"""

from __future__ import annotations

import ast

from ..codemods import CodemodError, insert_before_statement, node_for, replace
from ..context import FileContext
from ..diagnostics import Fix
from ..registry import RuleSpec

_CONSTANT_MAKERS = frozenset({"tensorflow.zeros", "tensorflow.ones", "tensorflow.constant", "tensorflow.fill"})
_VARIABLE_KEYWORDS = frozenset({"initial_value", "dtype", "trainable", "name"})


def create_once(ctx: FileContext, rule: RuleSpec, call: ast.Call, function: ast.AST | None,
                is_method: bool) -> Fix | None:
    """``is_method``: an instance method, whose ``self`` holds the variable; otherwise ``function``
    must be a module-level function, and a module-level name holds it."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
            not is_method and function not in ctx.tree.body):
        return None
    statement = next((s for s in function.body if isinstance(s, ast.Assign) and s.value is call), None)
    if statement is None or len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
        return None
    if any(k.arg not in _VARIABLE_KEYWORDS for k in call.keywords) or len(call.args) > 1:
        return None
    initial = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "initial_value"), None)
    if initial is None or not _constant(ctx, initial):
        return None
    name = statement.targets[0].id
    if sum(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
           for n in ast.walk(function)) != 1:
        return None
    source = ctx.source
    creation, value = _text(source, call), _text(source, initial)
    line = source.line_text(statement.lineno)
    indent = line[: len(line) - len(line.lstrip())]
    newline = "\r\n" if "\r\n" in source.text else "\n"
    try:
        if is_method:
            receiver = function.args.args[0].arg if function.args.args else None
            if receiver is None:
                return None
            holder = f"{receiver}._{name}_variable"
            guard = f'if getattr({receiver}, "_{name}_variable", None) is None:'
            lines = [guard, f"    {holder} = {creation}", f"{name} = {holder}", f"{name}.assign({value})"]
            edits = []
        else:
            holder = f"_{function.name}_{name}"
            if holder in ctx.bindings.bindings or any(isinstance(n, ast.Name) and n.id == holder
                                                      for n in ast.walk(ctx.tree)):
                return None
            lines = [f"global {holder}", f"if {holder} is None:", f"    {holder} = {creation}",
                     f"{name} = {holder}", f"{name}.assign({value})"]
            edits = [insert_before_statement(source, function, f"{holder} = None{newline}{newline}{newline}")]
        block = (newline + indent).join(lines)
        edits.append(replace(source, node_for(source, statement), block))
    except CodemodError:
        return None
    return ctx.fix(rule, edits, "Create the `tf.Variable` once and reset it to its initial value on every call")


def _constant(ctx: FileContext, node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float, complex, bool))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _constant(ctx, node.operand)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_constant(ctx, element) for element in node.elts)
    if isinstance(node, ast.Call):
        if ctx.qualified_name(node.func) not in _CONSTANT_MAKERS:
            return False
        return all(_constant(ctx, argument) for argument in node.args) and all(
            k.arg == "dtype" or (k.arg in ("shape", "value", "dims") and _constant(ctx, k.value))
            for k in node.keywords)
    return False


def _text(source, node: ast.AST) -> str:
    span = source.span_of(node)
    return source.text[span.start:span.end]
