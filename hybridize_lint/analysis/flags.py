"""State flags: which a branch's test requires, which a block sets for good, which a function sets back."""

from __future__ import annotations

import ast

from .syntax import flatten_targets, is_place, place_key, same_place


def flags_set_for_good(test: ast.expr, taken: bool, body: list[ast.stmt]) -> list[ast.expr]:
    """Flags a block's test (``test`` being ``taken``) requires unset and the block sets, without
    setting them back (a re-entry guard, ``self._busy = True; ...; self._busy = False``, runs on every call)."""
    found = []
    for flag, holds in tested_flags(test, taken):
        ends = [ends_condition(holds, value) for value in assigned_values(body, flag)]
        if (ends and all(ends)) or (not ends and holds == "falsy" and fills(body, flag)):
            found.append(flag)
    return found


def tested_flags(test: ast.expr, taken: bool):
    """(flag expression, what the branch needs of it) for each flag whose state ``test`` requires:
    "unset" (None or missing), "falsy" or "truthy"."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from tested_flags(test.operand, not taken)
    elif isinstance(test, ast.BoolOp):
        if isinstance(test.op, ast.And) == taken:  # every operand holds (or, negated, fails)
            for value in test.values:
                yield from tested_flags(value, taken)
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.comparators[0], ast.Constant) \
            and test.comparators[0].value is None and is_place(_read_place(test.left)):
        if isinstance(test.ops[0], (ast.Is, ast.Eq)) == taken \
                and isinstance(test.ops[0], (ast.Is, ast.Eq, ast.IsNot, ast.NotEq)):
            yield _read_place(test.left), "unset"
    elif isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr" \
            and len(test.args) == 2 and isinstance(test.args[1], ast.Constant) and isinstance(test.args[1].value, str):
        if not taken:
            yield ast.Attribute(test.args[0], test.args[1].value, ast.Load()), "unset"
    elif is_place(_read_place(test)):
        yield _read_place(test), "truthy" if taken else "falsy"


def _read_place(expr: ast.expr) -> ast.expr:
    """``getattr(self, "x", None)`` reads the place ``self.x`` (None when it is missing); other expressions
    stand for themselves."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "getattr" \
            and len(expr.args) in (2, 3) and not expr.keywords and isinstance(expr.args[1], ast.Constant) \
            and isinstance(expr.args[1].value, str) and expr.args[1].value.isidentifier() \
            and (len(expr.args) == 2 or (isinstance(expr.args[2], ast.Constant) and expr.args[2].value is None)):
        return ast.Attribute(expr.args[0], expr.args[1].value, ast.Load())
    return expr


def ends_condition(holds: str, value: ast.expr) -> bool:
    """Assigning ``value`` makes the branch's condition on its flag false."""
    constant = isinstance(value, ast.Constant)
    if holds == "truthy":
        return constant and not value.value
    if holds == "unset":
        return not (constant and value.value is None)
    return not constant or bool(value.value)


def assigned_values(body: list[ast.stmt], place: ast.expr) -> list[ast.expr]:
    """The values a block (nested blocks included) assigns to ``place``, by assignment or, for a
    ``tf.Variable`` flag, by ``place.assign(value)`` (``if not self._initialized: ...;
    self._initialized.assign(True)``)."""
    found = []
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.extend(node.value for target in flatten_targets(targets) if same_place(target, place))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "assign" \
                and len(node.args) == 1 and not node.keywords and same_place(node.func.value, place):
            found.append(node.args[0])
    return found


_FILLING_METHODS = frozenset({"append", "add", "update", "extend", "insert", "setdefault"})


def fills(body: list[ast.stmt], place: ast.expr) -> bool:
    """Whether a block puts something into the container ``place`` (``if not cache: cache[k] = v``):
    the container is then truthy, and the block's test false on every later run."""
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and same_place(node.value, place):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _FILLING_METHODS and same_place(node.func.value, place):
            return True
    return False


def flags_set_back(body: list[ast.stmt]) -> list[ast.expr]:
    """Flags a function sets and sets back (``self._in_call = True`` ... ``self._in_call = False``):
    they bound re-entry, and leave the object as it was after every call, traced or not."""
    constants: dict[str, tuple[ast.expr, set]] = {}
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and len(node.targets) == 1 \
                and isinstance(node.targets[0], (ast.Attribute, ast.Name)) and is_place(node.targets[0]):
            constants.setdefault(place_key(node.targets[0]), (node.targets[0], set()))[1].add(repr(node.value.value))
    return [place for place, values in constants.values() if len(values) > 1]


def places_put_back(body: list[ast.stmt]) -> list[ast.expr]:
    """Places a function saves and puts back (``was = _IN_SCOPE`` ... ``_IN_SCOPE = was``, in a
    context manager's ``finally``, say): whatever it writes there in between is undone by the time
    it returns, traced or not."""
    saved: dict[str, str] = {}  # local name → key of the place it holds
    places: dict[str, ast.expr] = {}
    restored: set[str] = set()
    for node in (n for statement in body for n in ast.walk(statement)):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target, value = node.targets[0], node.value
        if isinstance(target, (ast.Name, ast.Attribute)) and is_place(target) and isinstance(value, ast.Name) \
                and saved.get(value.id) == place_key(target):
            restored.add(place_key(target))
        elif isinstance(target, ast.Name) and is_place(value) and isinstance(value, (ast.Name, ast.Attribute)):
            saved[target.id] = place_key(value)
            places[place_key(value)] = value
    return [places[key] for key in restored]
