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
        readers: dict[str, set[FunctionId]] = {}
        for summary in self.summaries.values():
            for name in summary.attribute_loads:
                readers.setdefault(name, set()).add((summary.module, "<module>"))
            for qualname, info in summary.functions.items():
                for name in info.attribute_loads:
                    readers.setdefault(name, set()).add((summary.module, qualname))
        return readers

    @cached_property
    def self_attribute_writers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the methods that set ``self.NAME`` to a Python value (not a tensor)."""
        writers: dict[str, set[FunctionId]] = {}
        for summary in self.summaries.values():
            for qualname, info in summary.functions.items():
                for effect in info.effects:
                    if effect.self_attribute:
                        writers.setdefault(effect.self_attribute, set()).add((summary.module, qualname))
        return writers

    @cached_property
    def self_attribute_readers(self) -> dict[str, set[FunctionId]]:
        """Attribute name → the methods that read ``self.NAME``."""
        readers: dict[str, set[FunctionId]] = {}
        for summary in self.summaries.values():
            for qualname, info in summary.functions.items():
                for name in info.self_attribute_loads:
                    readers.setdefault(name, set()).add((summary.module, qualname))
        return readers
