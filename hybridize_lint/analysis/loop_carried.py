"""Python structures a loop feeds back into the call that made them (``p_list = boost(x, p_list)``).

A tf.function keys its traces on the structure of Python lists and tuples it receives: a list that a
loop grows through a function's own results is a new structure at every call, so each call traces anew.
"""

from __future__ import annotations

import ast

from .statement_walk import InLoop
from .summary import CallSite, loc_of
from .syntax import flatten_targets


def mark_fed_back(own: list, calls: list[CallSite]) -> None:
    """Record on each call in a loop the arguments that are the name its own result is bound to, when that
    name starts as an empty list or tuple outside that loop (``p_list = []``, perhaps in an outer loop):
    what the loop passes grows from call to call, starting from nothing."""
    empty = {target.id: _loop_depth(guards) for node, guards in own
             if isinstance(node, ast.Assign) and _is_empty_display(node.value)
             for target in flatten_targets(node.targets) if isinstance(target, ast.Name)}
    if not empty:
        return
    sites = {site.loc: site for site in calls if not site.passed}
    for node, guards in own:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        depth = _loop_depth(guards)
        carried = {target.id for target in flatten_targets(node.targets)
                   if isinstance(target, ast.Name) and empty.get(target.id, depth) < depth}
        site = sites.get(loc_of(node.value))
        if carried and site is not None:
            site.fed_back = sorted(carried & {arg.id for arg in (*node.value.args, *(k.value for k in node.value.keywords))
                                              if isinstance(arg, ast.Name)})


def grown_argument(params, arguments, summaries) -> str | None:
    """Why a function would trace on every call: a parameter that receives a list its caller's loop grows
    from the function's own results (see :func:`mark_fed_back`). ``arguments(param)`` yields (caller,
    module, site, (locality, bare name, value)) of each call's argument for ``param``."""
    for param in params:
        for _caller, module, site, (_locality, name, _atoms) in arguments(param):
            if name and name in site.fed_back:
                where = f"{summaries[module].path or module}:{site.loc[0]}" if module in summaries else f"line {site.loc[0]}"
                return (f"parameter `{param}` receives at {where} `{name}`, which the loop there rebuilds from what "
                        "the call returns, starting from an empty list: a Python structure that changes from call "
                        "to call, so every call would trace anew")
    return None


def _is_empty_display(value: ast.expr) -> bool:
    return isinstance(value, (ast.List, ast.Tuple)) and not value.elts


def _loop_depth(guards: list) -> int:
    return sum(isinstance(guard, InLoop) for guard in guards)
