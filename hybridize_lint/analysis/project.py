"""The project model: every whole-project fact the analyses and checks read, in one object.

Assembled from module summaries; each layer of it sits in its own module: symbols and the class
hierarchy (``symbols``), the call graph (``call_graph``), graph code (``tracing``). This one adds
who reads which attributes, and names the model's vocabulary for its users.
"""

from __future__ import annotations

from functools import cached_property

from .call_graph import Target, call_arguments, value_parameters
from .symbols import ClassId, FunctionId, Symbol
from .tracing import GraphRoot, Tracing, Wrapping

__all__ = ["ClassId", "FunctionId", "GraphRoot", "ProjectModel", "Symbol", "Target", "Wrapping", "call_arguments",
           "value_parameters"]


class ProjectModel(Tracing):
    """Symbols, classes, the call graph and graph code of one project (see the modules of each layer)."""

    @cached_property
    def attribute_readers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the functions that read an attribute of that name on some object other
        than their own ``self`` (module-level code as ``(module, "<module>")``)."""
        readers = self._functions_by_attribute(lambda info: info.attribute_loads)
        for summary in self.summaries.values():
            for name in summary.attribute_loads:
                readers.setdefault(name, set()).add((summary.module, "<module>"))
        return readers

    @cached_property
    def self_attribute_writers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the methods that set ``self.NAME`` to a Python value (not a tensor)."""
        return self._functions_by_attribute(
            lambda info: [effect.self_attribute for effect in info.effects if effect.self_attribute])

    @cached_property
    def self_attribute_readers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the methods that read ``self.NAME``."""
        return self._functions_by_attribute(lambda info: info.self_attribute_loads)

    def _functions_by_attribute(self, attributes_of) -> dict[str, set[FunctionId]]:
        """Attribute name → the functions whose ``attributes_of(info)`` names it."""
        found: dict[str, set[FunctionId]] = {}
        for summary in self.summaries.values():
            for qualname, info in summary.functions.items():
                for name in attributes_of(info):
                    found.setdefault(name, set()).add((summary.module, qualname))
        return found

    def never_called(self, function: FunctionId) -> bool:
        """Nothing in the project calls, stores, passes on or uses the function as a tf.function object:
        dead code, or API for callers not seen. What it does runs in no execution the project shows."""
        return not self.callers.get(function) and function not in self.stored_functions \
            and function not in self.hybrid_objects_used
