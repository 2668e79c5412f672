"""The project-level view assembled from module summaries.

It answers the cross-module questions checks ask, such as "is this function
run as graph code?", in terms of (module, qualname) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .summary import ModuleSummary


@dataclass
class ProjectModel:
    summaries: dict[str, ModuleSummary] = field(default_factory=dict)
    _graph_functions: set[tuple[str, str]] | None = None

    def add(self, summary: ModuleSummary) -> None:
        self.summaries[summary.module] = summary
        self._graph_functions = None

    def resolve_function(self, dotted: str) -> tuple[str, str] | None:
        """Split ``pkg.mod.Class.method`` into a known module and a function qualname."""
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            summary = self.summaries.get(module)
            if summary is not None:
                qualname = ".".join(parts[cut:])
                return (module, qualname) if qualname in summary.functions else None
        return None

    @property
    def graph_functions(self) -> set[tuple[str, str]]:
        """Functions whose bodies are traced: decorated, or wrapped by ``tf.function(f)``."""
        if self._graph_functions is None:
            found: set[tuple[str, str]] = set()
            for summary in self.summaries.values():
                found.update((summary.module, name) for name, fn in summary.functions.items() if fn.hybrid)
                for dotted in summary.hybridized_elsewhere:
                    resolved = self.resolve_function(dotted)
                    if resolved:
                        found.add(resolved)
            self._graph_functions = found
        return self._graph_functions

    def is_graph_function(self, module: str, qualname: str) -> bool:
        return (module, qualname) in self.graph_functions
