"""Arguments a graph would not keep behaving as eager code does: Python values or objects that change
from call to call (each new one retraces), objects whose state changes between calls (a graph is kept
per object), functions made at the call. Asked by the obstacle analysis of a hybridization candidate.
"""

from __future__ import annotations

from functools import cached_property, partial

from .dtypes import is_array
from .loop_carried import grown_argument
from .project import FunctionId, ProjectModel, call_arguments
from .summary import CAPTURED, LOCAL, FunctionSummary
from .tensors import TensorInference
from .values import CONTAINER, LITERAL, RANGE, TENSOR, is_param


class LooseArguments:
    """What each call passes a candidate, and which of it a graph would not keep behaving as eager code does."""

    def __init__(self, project: ProjectModel, tensors: TensorInference):
        self.project = project
        self.tensors = tensors

    def first(self, function: FunctionId, info: FunctionSummary) -> str | None:
        """Why one of the function's arguments would not behave in a graph as it does eagerly (None: all would)."""
        return self._untyped_argument(function, info) or self._argument_changed_between_calls(function, info) \
            or self._function_made_per_call(function, info) \
            or grown_argument(info.receiverless_params(), partial(self.arguments, function), self.project.place)

    def arguments_of(self, function: FunctionId, site):
        """(parameter, position or keyword, abstract value) of each argument ``site`` passes to ``function``."""
        info = self.project.function(function)
        for ref in site.callees:
            for target in self.project.resolve_ref(ref):
                if target.function == function and info is not None:
                    yield from call_arguments(info, target, site)
                    return

    def _untyped_argument(self, function: FunctionId, info: FunctionSummary) -> str | None:
        """A parameter that receives neither tensors nor NumPy arrays, from a call that may pass another
        value each time (a local, a loop variable, an expression): a new Python value or object
        retraces, a new object that makes variables fails, an unrecognised float64 array breaks
        dtypes. One module-level object passed at every call (the model, the optimizer) is fine. A parameter
        the body needs as a Python value (a string, a ``math`` argument) is one whatever callers seem to pass,
        and a part of the caller's own parameter (``text[i:i + 3]``) passed in a loop is a new one each time."""
        project, facts = self.project, self.tensors.of(function)
        for param in info.receiverless_params():
            kinds = facts.kinds.get(param, set())
            if (TENSOR in kinds or any(is_array(kind) for kind in kinds)) and param not in info.python_params:
                continue
            python_value = param in info.python_params
            for caller, module, site, (locality, name, atoms) in self.arguments(function, param):
                if all(is_param(atom) for atom in atoms) and not (python_value and site.in_loop and not name):
                    continue  # the caller's own parameter passed on: judged where that is filled
                if atoms and set(atoms) <= {LITERAL, RANGE, CONTAINER}:
                    continue  # a Python literal (or a display of them): whether it retraces is judged above
                if name and self._same_object_each_call(caller, module, locality, name):
                    continue
                where = project.place(module, site.loc[0])
                if python_value:
                    return (f"parameter `{param}` is used as a Python value (a string, a `math` argument) and "
                            f"receives one at {where} that may differ from call to call: each new value retraces")
                return (f"parameter `{param}` receives a value of unknown type at {where} that may differ from call "
                        "to call: each new Python value or object retraces, and a float64 array would break dtypes")
        return None

    def _argument_changed_between_calls(self, function: FunctionId, info: FunctionSummary) -> str | None:
        """A Python object whose attributes the function reads, passed from a loop that also calls a
        project method changing the object's state (``memory.clear()``, ``memory.store(r)``): a graph is
        keyed by the object's identity, so later calls would get what its first trace read."""
        project = self.project
        for param in info.receiverless_params():
            read = set(info.param_attributes.get(param, ()))
            if not read:
                continue
            for caller, module, site, (_locality, name, _atoms) in self.arguments(function, param):
                if not (name and site.in_loop and caller):
                    continue
                for other, targets in project.call_graph.get(caller, []):
                    changer = next((t.function for t in targets if self._attributes_set_by.get(t.function, set()) & read),
                                   None)
                    if other is not site and other.in_loop and other.receiver_name == name and changer:
                        return (f"parameter `{param}` receives `{name}`, whose state `{changer[1]}` changes "
                                f"between its calls at {project.place(module, other.loc[0])}: a graph is kept "
                                "per object, so later calls would get what the first trace read of it")
        return None

    def _function_made_per_call(self, function: FunctionId, info: FunctionSummary) -> str | None:
        """A callback parameter (``fn(x)`` in the body) given a function made at the call (``lambda t: t *
        scale``, ``functools.partial(f, ...)``): a new object at every run of the site, so a tf.function keyed
        on it would trace on every call (``scripts/S11_lambda_argument_retraces.py``)."""
        for param in info.called_params:
            for caller, site in self.project.callers.get(function, []):
                if site.passed or not site.made_functions:
                    continue
                if any(name == param and where in site.made_functions
                       for name, where, _ in self.arguments_of(function, site)):
                    module = caller[0] if caller else self._module_level_sites.get(id(site), "")
                    return (f"parameter `{param}` receives a function made at the call "
                            f"({self.project.place(module, site.loc[0])}): "
                            "a new object at every call, and each new one would trace the graph again")
        return None

    @cached_property
    def _attributes_set_by(self) -> dict[FunctionId, set[str]]:
        """The attributes of its own object each project method sets (``clear``: ``rewards``)."""
        found: dict[FunctionId, set[str]] = {}
        for name, writers in self.project.self_attribute_writers.items():
            for writer in writers:
                found.setdefault(writer, set()).add(name)
        return found

    def _same_object_each_call(self, caller: FunctionId | None, module: str, locality: str, name: str) -> bool:
        """A module global the program never rebinds, or a local the caller binds outside its loops."""
        if locality == CAPTURED:
            return name not in self.project.summaries[module].rebound_globals
        info = self.project.function(caller) if caller else None
        return locality == LOCAL and info is not None and name not in info.loop_bound

    def arguments(self, function: FunctionId, param: str):
        """(caller, module, call site, (locality, bare name, abstract value)) of each call's ``param``."""
        for caller, site in self.project.callers.get(function, []):
            if site.passed:
                continue
            module = caller[0] if caller else self._module_level_sites.get(id(site), "")
            for name, where, atoms in self.arguments_of(function, site):
                if name != param:
                    continue
                if isinstance(where, int):
                    bare = site.arg_names[where] if where < len(site.arg_names) else ""
                    yield caller, module, site, (site.args[where] if where < len(site.args) else "", bare, atoms)
                else:
                    yield caller, module, site, (site.keywords.get(where, ""), site.keyword_names.get(where, ""), atoms)

    @cached_property
    def _module_level_sites(self) -> dict[int, str]:
        """Module-level call sites (by identity) → their module."""
        return {id(site): summary.module for summary in self.project.summaries.values()
                for site in summary.module_calls}
