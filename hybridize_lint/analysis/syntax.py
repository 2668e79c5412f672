"""Pure questions about syntax trees: assignment targets, places (names, attribute chains), bodies, parameters."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from .summary import FunctionNode


def flatten_targets(targets):
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from flatten_targets(target.elts)
        elif isinstance(target, ast.Starred):
            yield from flatten_targets([target.value])
        else:
            yield target


def place_key(place: ast.expr) -> str:
    return ast.dump(place, annotate_fields=False).replace("Store()", "Load()")


def is_place(expr: ast.expr) -> bool:
    """A name, an attribute chain or a constant index (``wrapped[0]``): something a flag can live in."""
    while isinstance(expr, ast.Attribute) or (isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant)):
        expr = expr.value
    return isinstance(expr, ast.Name)


def same_place(target: ast.expr, flag: ast.expr) -> bool:
    if isinstance(target, ast.Name) and isinstance(flag, ast.Name):
        return target.id == flag.id
    if isinstance(target, ast.Attribute) and isinstance(flag, ast.Attribute):
        return target.attr == flag.attr and same_place(target.value, flag.value)
    if isinstance(target, ast.Subscript) and isinstance(flag, ast.Subscript) \
            and isinstance(target.slice, ast.Constant) and isinstance(flag.slice, ast.Constant):
        return target.slice.value == flag.slice.value and same_place(target.value, flag.value)
    return False


def is_attribute_of(target: ast.expr, name: str) -> bool:
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == name


def reads_object_state(expr: ast.expr) -> bool:
    """``self.model.trainable_variables``, ``[self.w]``: attribute reads of named objects only."""
    if isinstance(expr, (ast.List, ast.Tuple)):
        return all(reads_object_state(element) for element in expr.elts)
    if not isinstance(expr, ast.Attribute):
        return False
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return isinstance(expr, ast.Name)


def mirrors_object_state(value: ast.expr, function: ast.AST, depth: int = 0) -> bool:
    """A copy of state objects hold, read afresh with no call: ``self.ids = [v.unique_id for v in
    q_vars]`` after ``q_vars = self.posterior.trainable_variables``, ``self.vocab = feats["values"]`` for
    ``feats`` taken from ``self.config["schema"]``. Every call would write the same value. Rooted at the
    receiver or a name the function does not bind (a closure's ``self``, a module's config), not at the
    call's other parameters: those are its inputs."""
    if depth > 3:
        return False
    if isinstance(value, (ast.List, ast.Tuple)):
        return bool(value.elts) and all(mirrors_object_state(e, function, depth + 1) for e in value.elts)
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
        return mirrors_object_state(value.value, function, depth + 1)
    if isinstance(value, ast.Attribute):
        root = value
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        return isinstance(root, ast.Name) and (root.id in ("self", "cls")
                                               or _bound_to_mirrors(root.id, function, depth, free_ok=True))
    if isinstance(value, ast.Name):
        return _bound_to_mirrors(value.id, function, depth)
    if isinstance(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) and len(value.generators) == 1:
        generator = value.generators[0]
        return isinstance(generator.target, ast.Name) and not generator.ifs \
            and mirrors_object_state(generator.iter, function, depth + 1) \
            and _reads_element(value.elt, generator.target.id)
    return False


def _reads_element(expr: ast.expr, name: str) -> bool:
    """``v``, ``v.unique_id``, ``v["key"]``: the comprehension's element or what it holds, nothing computed."""
    while isinstance(expr, ast.Attribute) or (isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant)):
        expr = expr.value
    return isinstance(expr, ast.Name) and expr.id == name


def parameter_names(function: FunctionNode) -> set[str]:
    """Every parameter a function binds, ``*args`` and ``**kwargs`` included."""
    arguments = function.args
    return {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg,
                            arguments.kwarg) if a is not None}


def _bound_to_mirrors(name: str, function: ast.AST, depth: int, free_ok: bool = False) -> bool:
    """Every binding of the local ``name`` in ``function`` (an assignment, a ``for`` target) is a mirror of
    object state; a name unpacked from a structure or bound any other way is not followed. A name the
    function does not bind (an enclosing method's ``self``, a module's config) counts with ``free_ok``."""
    values = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            targets, value = [node.target], node.iter
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            targets, value = [node.target], None
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            targets, value = [node.optional_vars], None
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id == name and value is not None:
                values.append(value)
            elif any(isinstance(part, ast.Name) and part.id == name for part in ast.walk(target)):
                return False
    if not values:
        return free_ok and name not in parameter_names(function)
    return all(mirrors_object_state(value, function, depth + 1) for value in values)


def on_receiver(node: ast.AST, receiver: str | None) -> bool:
    """``self.name`` for the method's receiver ``self``."""
    return receiver is not None and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
        and node.value.id == receiver


def attribute_loads(nodes: Iterable[ast.AST]) -> list[str]:
    """Names of the attributes read (``x.name``, ``getattr(x, "name")``)."""
    found = set()
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            found.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
            found.add(node.args[1].value)
    return sorted(found)


def is_stub(body: list[ast.stmt]) -> bool:
    """A placeholder body, as ruff's stub-function check sees it: nothing to judge the function by yet."""
    for statement in body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                and (statement.value.value is Ellipsis or isinstance(statement.value.value, str)):
            continue
        raised = statement.exc.func if isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call) \
            else getattr(statement, "exc", None)
        if isinstance(statement, ast.Raise) and isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
            continue
        return False
    return True


def defaulted_parameters(node: FunctionNode) -> list[str]:
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    with_defaults = positional[len(positional) - len(arguments.defaults):] if arguments.defaults else []
    keyword_only = [a for a, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is not None]
    return [a.arg for a in (*with_defaults, *keyword_only)]


def flag_parameters(node: FunctionNode) -> list[str]:
    """Parameters whose default is a false constant (``verbose=0``, ``memoize=False``, ``callback=None``), and
    ``**kwargs``, an empty (false) mapping unless a call passes keywords no other parameter takes."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    pairs = [*zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults),
             *zip(arguments.kwonlyargs, arguments.kw_defaults)]
    flags = [a.arg for a, default in pairs if isinstance(default, ast.Constant) and not default.value]
    return flags + ([arguments.kwarg.arg] if arguments.kwarg is not None else [])


def forces_eager_steps(method: FunctionNode, switch_keywords: dict[str, str]) -> bool:
    """An override of ``compile`` that passes ``run_eagerly=True`` on to ``super().compile``: the
    class runs its steps eagerly by design, whatever its users pass."""
    keyword = switch_keywords.get(method.name)
    return keyword is not None and any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method.name
        and is_super_call(node.func.value) and any(
            k.arg == keyword and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords)
        for node in ast.walk(method))


def is_super_call(expr: ast.expr) -> bool:
    """``super()`` or ``super(Class, self)``."""
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "super"


def is_constant_display(expr: ast.expr) -> bool:
    """A value written out in full: a constant (``256``, ``-1.5``, ``"sum"``, ``None``) or a tuple or
    list of them (``(128, 128, 128)``). The same value at every execution of the code that holds it."""
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        return isinstance(expr.operand, ast.Constant)
    if isinstance(expr, (ast.Tuple, ast.List)):
        return all(is_constant_display(element) for element in expr.elts)
    return False


FRESH_CONTAINERS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


def freshly_bound_before(place: ast.expr, line: int, function: ast.AST | None) -> bool:
    """``self.endpoints = {...}`` on every path of ``function`` before ``line``, and no other binding of
    the attribute in it: what the call fills there is a container of its own, which every call (and every
    trace) builds anew, so filling it once per trace loses nothing."""
    if function is None or not isinstance(place, ast.Attribute):
        return False
    key = place_key(place)
    fresh = [node for node in ast.walk(function) if isinstance(node, ast.Assign)
             and isinstance(node.value, FRESH_CONTAINERS) and any(place_key(t) == key for t in node.targets)]
    fresh_targets = {id(target) for node in fresh for target in node.targets}
    if any(isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load) and place_key(node) == key
           and id(node) not in fresh_targets for node in ast.walk(function)):
        return False
    return any(node in fresh and node.lineno < line for node in _always_run(getattr(function, "body", [])))


def _always_run(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """The statements of a body that run whenever it runs to its end: its own, and those of ``with`` blocks."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from _always_run(statement.body)
