"""HYB206: ``for i in range(n)`` with a Python ``n`` in graph code is unrolled while tracing.

AutoGraph turns a ``for`` over a tensor into a ``tf.while_loop``, but iterates a Python ``range``
in Python: the body is traced once per iteration, so the graph and the trace time grow with ``n``.

Reported: loops in graph code whose count is known (integer literals, constants of the function or
module, arithmetic of them) and at least ``unrolled-loop-threshold``, or is a parameter that callers
fill with Python literals (each value retraces and unrolls anew); and whose body does tensor work.
Not reported: loops whose index picks Python objects (``self.blocks[i]``: each element is another
object, unrolling is required), counts that are tensors (AutoGraph already builds a while loop),
and counts the analysis cannot bound (on real code: layers, replicas, features, a few power
iterations, where unrolling is what the author wants).
"""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.summary import KERAS_FIT, FunctionNode, FunctionSummary
from ..analysis.project import FunctionId, call_arguments
from ..analysis.values import CONTAINER, LITERAL, TENSOR
from ..codemods import CodemodError, module_spelling, node_for, replace
from ..context import FileContext
from ..diagnostics import Diagnostic, Fix
from ..registry import RuleSpec

_MAX_STEPS = 10  # how far a count is followed through names bound to other names
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    threshold = ctx.settings.unrolled_loop_threshold
    for info, root in ctx.graph_functions():
        node = ctx.functions.get(info.qualname)
        if node is None:
            continue
        autograph = (ctx.module, info.qualname) in _converted(ctx)
        for loop in _own_loops(node):
            if not _is_range(ctx, loop.iter, node) or loop.iter.keywords or not 1 <= len(loop.iter.args) <= 3:
                continue
            tensors = _tensor_parameters(ctx, info)
            if _indexes_objects(loop, tensors) or not _does_tensor_work(ctx, loop, node):
                continue
            count = _range_length(ctx, loop.iter.args, node)
            if count is not None:
                if count < threshold:
                    continue
                how = f"{count} times"
            else:
                passed = _literal_parameter(ctx, info, node, loop.iter.args, threshold)
                if passed is None:
                    continue
                how = f"up to {passed[1]} times (`{passed[0]}` is a Python integer its callers pass; each value " \
                      "also retraces)"
            header = (loop.lineno, loop.col_offset, loop.iter.end_lineno, loop.iter.end_col_offset)
            # A Python count would still retrace per value under `tf.range`: that takes a tensor argument.
            fix = _tf_range_fix(ctx, rule, loop, node, tensors) if autograph and count is not None else None
            remedy = _CONVERTED if autograph else _UNCONVERTED
            yield ctx.diagnostic(rule, header, fix=fix, loop=_text(loop), function=info.qualname, how=how,
                                 remedy=remedy)


_CONVERTED = "iterate over `tf.range(...)` so that AutoGraph builds one `tf.while_loop`"
_UNCONVERTED = ("AutoGraph may not convert this code (traced with `autograph=False`, or run by a Keras layer, "
                "which Keras 3 does not convert), where `tf.range` fails: build the loop with `tf.while_loop`")


def _converting_root(project, function: FunctionId) -> bool:
    root = project.graph_roots.get(function)
    return root is not None and root.autograph and root.reason != KERAS_FIT


def _converted(ctx: FileContext) -> set[FunctionId]:
    """Graph functions AutoGraph converts: reached from a root traced with AutoGraph without passing
    through a Keras layer's ``call`` (Keras 3 runs layers unconverted, and so everything they call)
    or a root Keras' ``fit`` traces. Computed once per call graph."""
    project = ctx.project
    graph = project.call_graph
    cached = project.__dict__.get("_autograph_converted")
    if cached is not None and cached[0] is graph:
        return cached[1]
    keras_calls = {(module, qualname) for module, summary in project.summaries.items()
                   for qualname, info in summary.functions.items()
                   if info.class_name and qualname.rpartition(".")[2] == "call"
                   and project.is_keras_class((module, info.class_name))}
    stack = [function for function in project.graph_roots if _converting_root(project, function)]
    found: set[FunctionId] = set()
    while stack:
        function = stack.pop()
        if function in found or function in project.eager_functions:
            continue
        found.add(function)
        stack.extend(t.function for _, targets in graph.get(function, []) for t in targets
                     if t.function not in keras_calls or _converting_root(project, t.function))
    project.__dict__["_autograph_converted"] = (graph, found)
    return found


def _own_loops(function: FunctionNode) -> Iterator[ast.For]:
    """``for`` loops of the function's own body, not of nested definitions."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, _NESTED):
            continue
        if isinstance(node, ast.For):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _is_range(ctx: FileContext, expr: ast.expr, function: FunctionNode) -> bool:
    return isinstance(expr, ast.Call) and not any(isinstance(a, ast.Starred) for a in expr.args) \
        and ctx.qualified_name(expr.func, function) == "builtins.range"


def _text(loop: ast.For) -> str:
    text = f"for {ast.unparse(loop.target)} in {ast.unparse(loop.iter)}"
    return text if len(text) <= 60 else text[:59] + "…"


# -- the count ------------------------------------------------------------------


def _range_length(ctx: FileContext, args: list[ast.expr], function: FunctionNode) -> int | None:
    values = [_int_value(ctx, arg, function, 0) for arg in args]
    if any(value is None for value in values):
        return None
    start, stop, step = (0, values[0], 1) if len(values) == 1 else (*values, 1)[:3]
    if step == 0:
        return None
    return max(0, -((start - stop) // step))  # len(range(...)) without its size limit


def _int_value(ctx: FileContext, expr: ast.expr, function: FunctionNode, depth: int) -> int | None:
    """The integer ``expr`` certainly is, following constants of the function and the module."""
    if depth > _MAX_STEPS:
        return None
    if isinstance(expr, ast.Constant):
        return expr.value if isinstance(expr.value, int) and not isinstance(expr.value, bool) else None
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        value = _int_value(ctx, expr.operand, function, depth + 1)
        return -value if value is not None else None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)):
        left = _int_value(ctx, expr.left, function, depth + 1)
        right = _int_value(ctx, expr.right, function, depth + 1)
        if left is None or right is None or (isinstance(expr.op, ast.FloorDiv) and right == 0):
            return None
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(
            type(expr.op), left // right if right else 0)
    if isinstance(expr, ast.Call) and ctx.qualified_name(expr.func, function) == "builtins.len" \
            and len(expr.args) == 1 and isinstance(expr.args[0], (ast.List, ast.Tuple)) \
            and not any(isinstance(e, ast.Starred) for e in expr.args[0].elts):
        return len(expr.args[0].elts)
    if isinstance(expr, ast.Name):
        value = _single_binding(expr.id, function)
        if value is _PARAMETER:
            return None
        if value is not None:
            return _int_value(ctx, value, function, depth + 1) if isinstance(value, ast.expr) else None
        if _binds(function, expr.id):
            return None  # bound some other way (a loop, several assignments)
        if expr.id in ctx.summary.rebound_globals or any(expr.id in node.names for node in ctx.nodes(ast.Global)):
            return None
        module_value = _single_binding(expr.id, ctx.tree)
        return _int_value(ctx, module_value, function, depth + 1) if isinstance(module_value, ast.expr) else None
    return None


_PARAMETER = object()


def _single_binding(name: str, scope: ast.AST):
    """The one value ``scope`` assigns ``name`` (None: none, several, or bound another way such as a
    loop or ``+=``; ``_PARAMETER``: a parameter)."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and name in _parameters(scope, every=True):
        return _PARAMETER
    values: list[ast.expr] = []
    simple: set[int] = set()
    other = False
    for node in _scope_nodes(scope):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            other = True
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id == name:
                values.append(node.value)
                simple.add(id(targets[0]))
        elif isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)) \
                and id(node) not in simple:
            other = True
        elif isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
            other = True
        elif isinstance(node, _NESTED) and getattr(node, "name", None) == name:
            other = True
    return values[0] if len(values) == 1 and not other else None


def _binds(function: FunctionNode, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store)
               for node in _scope_nodes(function))


def _scope_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a scope's own body, in order (nested functions and classes only as themselves)."""
    stack = list(reversed(getattr(scope, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _NESTED):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _literal_parameter(ctx: FileContext, info: FunctionSummary, function: FunctionNode,
                       args: list[ast.expr], threshold: int) -> tuple[str, int] | None:
    """``range(n)`` over a parameter ``n`` that callers fill with Python literals (never tensors), one
    of them an integer of at least ``threshold`` in this file: (the parameter, the largest such count)."""
    if len(args) != 1 or not isinstance(args[0], ast.Name):
        return None
    param = args[0].id
    if _single_binding(param, function) is not _PARAMETER or _binds(function, param):
        return None
    project = ctx.project
    key = (ctx.module, info.qualname)
    largest, tensor = None, False
    for caller, site in project.callers.get(key, []):
        if site.passed:
            continue
        for target in (t for ref in site.callees for t in project.resolve_ref(ref) if t.function == key):
            for name, where, atoms in call_arguments(info, target, site):
                if name != param:
                    continue
                tensor |= TENSOR in atoms or not atoms or set(atoms) != {LITERAL}
                value = _argument_constant(ctx, caller, site, where)
                if value is not None and (largest is None or value > largest):
                    largest = value
    if tensor or largest is None or largest < threshold:
        return None
    return param, largest


def _argument_constant(ctx: FileContext, caller, site, where: int | str) -> int | None:
    """The integer literal a call site of this file passes at ``where`` (a position or keyword)."""
    module = caller[0] if caller else None
    if module is not None and module != ctx.module:
        return None
    call = ctx.node_at(site.loc, ast.Call)
    if not isinstance(call, ast.Call):
        return None
    if isinstance(where, int):
        argument = call.args[where] if where < len(call.args) else None
    else:
        argument = next((k.value for k in call.keywords if k.arg == where), None)
    if isinstance(argument, ast.Constant) and isinstance(argument.value, int) and not isinstance(argument.value, bool):
        return argument.value
    return None


# -- the body -------------------------------------------------------------------


def _loop_names(loop: ast.For) -> set[str]:
    return {node.id for node in ast.walk(loop.target) if isinstance(node, ast.Name)}


def _loads(loop: ast.For, names: set[str]) -> list[ast.Name]:
    return [node for statement in loop.body for node in ast.walk(statement)
            if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load)]


def _parents(loop: ast.For) -> dict[int, ast.AST]:
    return {id(child): parent for statement in loop.body for parent in ast.walk(statement)
            for child in ast.iter_child_nodes(parent)}


def _indexes_objects(loop: ast.For, tensors: set[str]) -> bool:
    """The index (or arithmetic on it) picks elements of something not known to be a tensor
    (``self.blocks[i]``, ``patches[row * cols + col]``): a loop over Python objects in disguise."""
    parents = _parents(loop)
    for name in _loads(loop, _loop_names(loop)):
        child, parent = name, parents.get(id(name))
        while isinstance(parent, (ast.BinOp, ast.UnaryOp, ast.Tuple, ast.Slice)):
            child, parent = parent, parents.get(id(parent))
        if isinstance(parent, ast.Subscript) and parent.value is not child and not _is_tensor(parent.value, tensors):
            return True
    return False


def _is_tensor(expr: ast.expr, tensors: set[str]) -> bool:
    return isinstance(expr, ast.Name) and expr.id in tensors


def _tensor_parameters(ctx: FileContext, info: FunctionSummary) -> set[str]:
    """Parameters that receive tensors (from callers, hints or an input signature), not containers of them."""
    facts = ctx.analyses.hybridization.tensors.of((ctx.module, info.qualname))
    found = {param for param, kinds in facts.kinds.items() if TENSOR in kinds}
    project, key = ctx.project, (ctx.module, info.qualname)
    for _, site in project.callers.get(key, []):
        for target in (t for ref in site.callees for t in project.resolve_ref(ref) if t.function == key):
            found -= {name for name, _, atoms in call_arguments(info, target, site) if CONTAINER in atoms}
    return found | set(info.tensor_hints)


def _parameters(function: FunctionNode, every: bool = False) -> set[str]:
    arguments = function.args
    variadic = (arguments.vararg, arguments.kwarg) if every else ()
    return {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *variadic)
            if a is not None}


def _does_tensor_work(ctx: FileContext, loop: ast.For, function: FunctionNode) -> bool:
    """A TensorFlow computation in the body, or arithmetic on a parameter (a tensor, in graph code)."""
    params = _parameters(function) - {"self", "cls"}
    for statement in loop.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and ctx.knowledge.is_tensor_computation(ctx.qualified_name(node.func,
                                                                                                      function)):
                return True
            if isinstance(node, (ast.BinOp, ast.AugAssign)):
                operands = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.target, node.value)
                if any(isinstance(o, ast.Name) and o.id in params for o in operands):
                    return True
    return False


# -- the fix --------------------------------------------------------------------


def _tf_range_fix(ctx: FileContext, rule: RuleSpec, loop: ast.For, function: FunctionNode,
                  tensors: set[str]) -> Fix | None:
    """``range(n)`` → ``tf.range(n)`` when the index is used only in tensor operations."""
    if loop.orelse or not _index_only_in_tensor_ops(ctx, loop, function, tensors) \
            or _mutates_python_state(ctx, loop):
        return None
    try:
        spelling, import_edits = module_spelling(ctx.source, ctx.bindings, "tensorflow", alias="tf")
        callee = node_for(ctx.source, loop.iter.func)
    except CodemodError:
        return None
    return ctx.fix(rule, [replace(ctx.source, callee, f"{spelling}.range"), *import_edits])


def _index_only_in_tensor_ops(ctx: FileContext, loop: ast.For, function: FunctionNode, tensors: set[str]) -> bool:
    """Each use of the index is an argument of a TensorFlow call or indexes a tensor parameter."""
    if not isinstance(loop.target, ast.Name):
        return False
    parents = _parents(loop)
    for name in _loads(loop, {loop.target.id}):
        parent = parents.get(id(name))
        if isinstance(parent, ast.keyword):
            parent = parents.get(id(parent))
        if isinstance(parent, ast.Call) and name is not parent.func \
                and ctx.knowledge.is_tensor_computation(ctx.qualified_name(parent.func, function)):
            continue
        if isinstance(parent, ast.Subscript) and _is_tensor(parent.value, tensors):
            continue
        return False
    return not any(isinstance(node, ast.Name) and node.id == loop.target.id and not isinstance(node.ctx, ast.Load)
                   for statement in loop.body for node in ast.walk(statement))


def _mutates_python_state(ctx: FileContext, loop: ast.For) -> bool:
    """Python containers changed in the body (``outputs.append(y)``, ``d[k] = v``): a ``tf.while_loop``
    cannot carry them."""
    for statement in loop.body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and ctx.knowledge.mutates_container(node.func.attr, len(node.args)):
                return True
            if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
                return True
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                return True
    return False
