"""Whether code behind a flag parameter runs in a graph: some path into graph code turns the flag on.

``def read(path, return_numpy=True): ... if return_numpy: raw = raw.numpy()`` is eager code for every
graph that calls ``read(p, return_numpy=False)`` (a ``tf.data`` map's lambda, say), while its eager
callers may keep the default. What decides is how graph code reaches the function: the lambda or call
that makes it a graph root, and the calls from other graph code.
"""

from __future__ import annotations

from functools import cached_property

from .project import FunctionId, ProjectModel
from .side_effects import OFF, flag_argument
from .summary import TF_FUNCTION, GraphEntry


class FlagReach:
    """Answers :meth:`turned_on` for the project's graph code."""

    def __init__(self, project: ProjectModel):
        self.project = project

    def turned_on(self, function: FunctionId, param: str) -> bool:
        """Some graph path into ``function`` may pass a true ``param``: a graph root by decoration (its
        callers are anyone's), an entry that passes it or keeps a true default, or graph code calling it so."""
        info = self.project.function(function)
        if info is None or param not in info.receiverless_params():
            return True
        root = self.project.graph_roots.get(function)
        if root is not None and (root.reason == TF_FUNCTION or info.hybrid or not self._entries.get(function)):
            return True  # called by anyone's code, or by a framework (Keras fit passes `training=True`)
        if any(self._entry_turns_on(entry, function, param) for entry in self._entries.get(function, [])):
            return True
        graph = self.project.graph_functions
        for caller, site in self.project.callers.get(function, []):
            if caller is None or caller not in graph:
                continue
            targets = [t for ref in site.callees for t in self.project.resolve_ref(ref) if t.function == function]
            if any(flag_argument(self.project, target, site, param) is not OFF for target in targets) \
                    or (site.passed and not targets):
                return True
        return False

    def _entry_turns_on(self, entry: GraphEntry, function: FunctionId, param: str) -> bool:
        info = self.project.function(function)
        if entry.lambda_positional is None:  # the function itself handed over: called with data only
            return param not in info.flag_params
        if param == info.keywords_param:  # ``**kwargs``: on when the lambda passes a keyword it collects
            return any(keyword not in info.params for keyword in entry.lambda_keywords)
        if param in entry.lambda_keywords:
            return not entry.lambda_keywords[param]
        if info.receiverless_params().index(param) < entry.lambda_positional:
            return True
        return param not in info.flag_params

    @cached_property
    def graph_code(self) -> set[FunctionId]:
        """Functions some graph path runs, calls behind a flag the caller's graph paths leave off not
        followed (``if not kwargs: return spec`` before the branch that serializes with ``.numpy()``)."""
        return set(self.project.graph_reach(
            lambda caller, site: all(self.turned_on(caller, flag) for flag in site.enabled_by)))

    @cached_property
    def _entries(self) -> dict[FunctionId, list[GraphEntry]]:
        """Function → the graph entries that make it a root."""
        found: dict[FunctionId, list[GraphEntry]] = {}
        for summary in self.project.summaries.values():
            for entry in summary.graph_entries:
                for target in self.project.resolve_ref(entry.ref):
                    found.setdefault(target.function, []).append(entry)
        return found
