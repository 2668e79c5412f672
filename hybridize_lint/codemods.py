"""Source edits built from ast-grep nodes.

Checks find problems with CPython's ``ast``; the edits that fix them are made
on ast-grep's concrete syntax tree so comments, spacing and everything else
outside the edited node stay byte-identical.
"""

from __future__ import annotations

import ast

from ast_grep_py import SgNode

from .analysis.names import ImportBindings
from .diagnostics import Edit
from .source import SourceFile


class CodemodError(Exception):
    """The concrete syntax tree does not have the shape the fix expects."""


def node_for(source: SourceFile, node: ast.AST, kind: str | None = None) -> SgNode:
    found = source.sg_node_at(source.span_of(node), kind)
    if found is None:
        raise CodemodError(f"no syntax node for {type(node).__name__} at line {node.lineno}")
    return found


def replace(source: SourceFile, target: SgNode, text: str) -> Edit:
    edit = target.replace(text)
    return source.edit(edit.start_pos, edit.end_pos, edit.inserted_text)


def replace_ast(source: SourceFile, node: ast.AST, text: str) -> Edit:
    return replace(source, node_for(source, node), text)


def rename_keyword(source: SourceFile, keyword: ast.keyword, new_name: str) -> Edit:
    argument = node_for(source, keyword, "keyword_argument")
    name = argument.field("name")
    if name is None:
        raise CodemodError("keyword argument without a name")
    return replace(source, name, new_name)


def remove_argument(source: SourceFile, argument: ast.AST) -> Edit:
    """Remove one argument and the comma that separates it from its neighbours."""
    target = source.sg_node_at(source.span_of(argument))
    if target is None or target.parent() is None:
        raise CodemodError("argument not found in the syntax tree")
    while target.parent() is not None and target.parent().kind() != "argument_list":
        target = target.parent()
    siblings = target.parent().children()
    index = next(i for i, child in enumerate(siblings) if child.range().start.index == target.range().start.index)
    start, end = target.range().start.index, target.range().end.index
    before = siblings[index - 1] if index > 0 else None
    after = siblings[index + 1] if index + 1 < len(siblings) else None
    if before is not None and before.kind() == ",":
        start = before.range().start.index
    elif after is not None and after.kind() == ",":
        following = siblings[index + 2] if index + 2 < len(siblings) else None
        end = following.range().start.index if following is not None and following.kind() != ")" else after.range().end.index
    edit = target.replace("")
    return source.edit(start, end, edit.inserted_text)


def module_spelling(source: SourceFile, bindings: ImportBindings, module: str,
                    alias: str) -> tuple[str, list[Edit]]:
    """How to spell ``module`` here, adding ``import module as alias`` when needed."""
    existing = bindings.local_name_for(module)
    if existing is not None:
        return existing, []
    if alias in bindings.bindings or _is_assigned(source.tree, alias):
        raise CodemodError(f"cannot add `import {module} as {alias}`: the name {alias!r} is taken")
    return alias, [insert_import(source, f"import {module} as {alias}")]


def insert_import(source: SourceFile, statement: str) -> Edit:
    """Insert an import after the module docstring, __future__ imports and existing imports."""
    tree = source.tree
    anchor: ast.stmt | None = None
    for index, node in enumerate(tree.body):
        is_docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
            and isinstance(node.value.value, str)
        if is_docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            anchor = node
            continue
        break
    newline = _newline_of(source)
    if anchor is None:
        # Before the first statement: shebang, coding cookie and header comments stay on top.
        offset = source.offset(_first_row(tree.body[0]), 0) if tree.body else len(source.text)
        edit = source.sg_root.replace(statement + newline)
        return source.edit(offset, offset, edit.inserted_text)
    end = source.span_of(anchor).end
    edit = source.sg_root.replace(newline + statement)
    return source.edit(end, end, edit.inserted_text)


def insert_before_statement(source: SourceFile, statement: ast.stmt, text: str) -> Edit:
    """Insert ``text`` at the start of the line where ``statement`` (its first decorator) begins."""
    offset = source.offset(_first_row(statement), 0)
    edit = source.sg_root.replace(text)
    return source.edit(offset, offset, edit.inserted_text)


def _first_row(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", [])
    return min([statement.lineno, *(decorator.lineno for decorator in decorators)])


def _newline_of(source: SourceFile) -> str:
    for candidate in ("\r\n", "\n", "\r"):
        if candidate in source.text:
            return candidate
    return "\n"


def _is_assigned(tree: ast.Module, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
               for node in ast.walk(tree))




def add_decorator(source: SourceFile, function: ast.AST, decorator: str) -> Edit:
    """``@decorator`` directly above ``def`` (innermost), so ``@staticmethod`` & co. stay outermost."""
    definition = _definition_node(source, function)
    row = source.position(definition.range().start.index).row
    line = source.line_text(row)
    indent = _indentation(line)
    start = source.offset(row, len(_leading_blanks(line)))
    edit = definition.replace("")  # only to go through ast-grep's edit type
    return source.edit(start, start, f"@{decorator}{_newline_of(source)}{indent}" + edit.inserted_text)


def remove_decorator(source: SourceFile, decorator: ast.expr) -> Edit:
    """Delete a decorator line: from its ``@`` to where the next decorator or ``def`` starts."""
    span = source.span_of(decorator)
    node = source.sg_node_at(span)
    while node is not None and node.kind() != "decorator":
        node = node.parent()
    if node is None:
        raise CodemodError("decorator not found in the syntax tree")
    following = node.next()
    if following is None:
        raise CodemodError("decorator without a definition")
    edit = node.replace("")
    return source.edit(node.range().start.index, following.range().start.index, edit.inserted_text)


def unwrap_call(source: SourceFile, call: ast.Call) -> Edit:
    """``tf.function(g, ...)`` → ``g``."""
    if not call.args:
        raise CodemodError("tf.function() without a function argument")
    target = node_for(source, call)
    wrapped = source.text[slice(*_span_tuple(source, call.args[0]))]
    return replace(source, target, wrapped)


def hoist_before(source: SourceFile, statement: ast.stmt, loop: ast.stmt) -> list[Edit]:
    """Move a one-line ``statement`` out of ``loop``'s body to just before the loop, re-indented.

    Whole lines move, so a trailing comment goes with the statement; the statement must be
    alone on its line (no ``;`` neighbours) and the body must keep another statement.
    """
    moved = node_for(source, statement)
    target = node_for(source, loop)
    row = statement.lineno
    line = source.line_text(row)
    blanks, loop_line = _leading_blanks(line), source.line_text(loop.lineno)
    if statement.end_lineno != row or line[len(blanks):].split("#")[0].rstrip() != source.text[
            slice(*_span_tuple(source, statement))] or row + 1 > source.line_count:
        raise CodemodError("only a statement alone on one line is hoisted")
    start, end = source.offset(row, 0), source.offset(row + 1, 0)
    removal = moved.replace("")
    loop_start = source.offset(source.position(target.range().start.index).row, len(_leading_blanks(loop_line)))
    insertion = target.replace("")
    text = line[len(blanks):] + _newline_of(source) + _indentation(loop_line)
    return [source.edit(loop_start, loop_start, text + insertion.inserted_text),
            source.edit(start, end, removal.inserted_text)]


def _span_tuple(source: SourceFile, node: ast.AST) -> tuple[int, int]:
    span = source.span_of(node)
    return span.start, span.end


def _definition_node(source: SourceFile, function: ast.AST) -> SgNode:
    name_row = function.lineno
    for node in _walk_sg(source.sg_root):
        if node.kind() == "function_definition" and source.position(node.range().start.index).row == name_row:
            return node
    raise CodemodError(f"no function definition on line {name_row}")


def _walk_sg(node: SgNode):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


def _leading_blanks(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _indentation(line: str) -> str:
    """The indentation to repeat on an inserted line: leading blanks without form feeds (which reset it)."""
    return _leading_blanks(line).replace("\f", "")


def remove_statement(source: SourceFile, statement: ast.stmt, block: list[ast.stmt]) -> Edit:
    """Delete a statement alone on its lines (its trailing comment goes too); ``pass`` replaces the
    only statement of a block, which cannot be empty."""
    target = node_for(source, statement)
    first, last = statement.lineno, statement.end_lineno or statement.lineno
    before = _text_before(source, statement)
    after = source.text[source.span_of(statement).end:source.offset(last + 1, 0) if last < source.line_count
                        else len(source.text)]
    if before.strip() or after.split("#")[0].strip():
        raise CodemodError("only a statement alone on its lines is removed")
    if len(block) == 1:
        return replace(source, target, "pass")
    start = source.offset(first, 0)
    end = source.offset(last + 1, 0) if last < source.line_count else len(source.text)
    edit = target.replace("")
    return source.edit(start, end, edit.inserted_text)


def _text_before(source: SourceFile, node: ast.AST) -> str:
    """The text of ``node``'s first line before it."""
    start = source.span_of(node).start
    return source.text[source.offset(node.lineno, 0):start]
