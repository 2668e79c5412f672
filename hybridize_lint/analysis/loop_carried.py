"""Python lists a loop grows while passing them to a call (``p_list = boost(x, p_list)``, or
``clusters.append(c)`` beside ``match(clusters, d)``).

A tf.function keys its traces on the structure of the Python lists and tuples it receives: a list that
grows from call to call is a new structure at every call, so each call traces anew.
"""

from __future__ import annotations

import ast

from .statement_walk import InLoop
from .summary import CallSite, loc_of
from .syntax import flatten_targets

_GROWERS = frozenset({"append", "extend", "insert"})


def mark_grown_lists(own: list, calls: list[CallSite]) -> None:
    """Record on each call in a loop the names it passes of lists that start empty outside that loop
    (``p_list = []``, perhaps in an outer loop) and that the loop grows: by binding the call's own result
    to the name, or by appending to it. What the loop passes grows from call to call."""
    empty = {target.id: _loop_depth(guards) for node, guards in own
             if isinstance(node, ast.Assign) and _is_empty_display(node.value)
             for target in flatten_targets(node.targets) if isinstance(target, ast.Name)}
    if not empty:
        return
    appended = {node.func.value.id for node, guards in own
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _GROWERS
                and isinstance(node.func.value, ast.Name) and node.func.value.id in empty
                and empty[node.func.value.id] < _loop_depth(guards)}
    sites = {site.loc: site for site in calls if not site.passed}
    for node, guards in own:
        if isinstance(node, ast.Call):
            call, grown = node, appended  # `match(clusters, d)` beside `clusters.append(...)`
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):  # `p_list = boost(x, p_list)`
            call, grown = node.value, {target.id for target in flatten_targets(node.targets) if isinstance(target, ast.Name)}
        else:
            continue
        site = sites.get(loc_of(call))
        depth = _loop_depth(guards)
        passed = {arg.id for arg in (*call.args, *(k.value for k in call.keywords)) if isinstance(arg, ast.Name)}
        carried = {name for name in grown & passed if empty.get(name, depth) < depth}
        if site is not None and carried:
            site.grown_lists = sorted({*site.grown_lists, *carried})


def grown_argument(params, arguments, place) -> str | None:
    """Why a function would trace on every call: a parameter that receives a list its caller's loop grows
    (see :func:`mark_grown_lists`). ``arguments(param)`` yields (caller, module, site, (locality, bare name,
    value)) of each call's argument for ``param``; ``place(module, line)`` says where that is."""
    for param in params:
        for _caller, module, site, (_locality, name, _atoms) in arguments(param):
            if name and name in site.grown_lists:
                return (f"parameter `{param}` receives at {place(module, site.loc[0])} `{name}`, a list the loop "
                        "there grows from empty: a Python structure that changes from call to call, so every call "
                        "would trace anew")
    return None


def _is_empty_display(value: ast.expr) -> bool:
    return isinstance(value, (ast.List, ast.Tuple)) and not value.elts


def _loop_depth(guards: list) -> int:
    return sum(isinstance(guard, InLoop) for guard in guards)
