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


def mark_fed_back(own: list, calls: list[CallSite]) -> None:
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
                and isinstance(node.func.value, ast.Name) and empty.get(node.func.value.id, 99) < _loop_depth(guards)}
    sites = {site.loc: site for site in calls if not site.passed}
    for node, guards in own:
        if not isinstance(node, (ast.Assign, ast.Call)):
            continue
        call = node.value if isinstance(node, ast.Assign) else node
        site = sites.get(loc_of(call)) if isinstance(call, ast.Call) else None
        if site is None:
            continue
        depth = _loop_depth(guards)
        grown = set(appended) if isinstance(node, ast.Call) else {
            target.id for target in flatten_targets(node.targets) if isinstance(target, ast.Name)}
        passed = {arg.id for arg in (*call.args, *(k.value for k in call.keywords)) if isinstance(arg, ast.Name)}
        carried = sorted(name for name in grown & passed if empty.get(name, depth) < depth)
        if carried:
            site.fed_back = sorted({*site.fed_back, *carried})


def grown_argument(params, arguments, summaries) -> str | None:
    """Why a function would trace on every call: a parameter that receives a list its caller's loop grows
    (see :func:`mark_fed_back`). ``arguments(param)`` yields (caller, module, site, (locality, bare name,
    value)) of each call's argument for ``param``."""
    for param in params:
        for _caller, module, site, (_locality, name, _atoms) in arguments(param):
            if name and name in site.fed_back:
                where = f"{summaries[module].path or module}:{site.loc[0]}" if module in summaries else f"line {site.loc[0]}"
                return (f"parameter `{param}` receives at {where} `{name}`, a list the loop there grows from "
                        "empty: a Python structure that changes from call to call, so every call would trace anew")
    return None


def _is_empty_display(value: ast.expr) -> bool:
    return isinstance(value, (ast.List, ast.Tuple)) and not value.elts


def _loop_depth(guards: list) -> int:
    return sum(isinstance(guard, InLoop) for guard in guards)
