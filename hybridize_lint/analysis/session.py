"""One analysed project: the project model and the whole-project analyses built on it.

The analyses (side effects, tensor inference, hybridization) depend on the model, never the
other way round; the session owns both, builds each analysis on first use and drops them all
together whenever a module summary is added or replaced, so none can answer from stale facts.
"""

from __future__ import annotations

from functools import cached_property

from .flag_reach import FlagReach
from .hybridization import HybridizationAnalysis
from .project import ProjectModel
from .side_effects import SideEffectAnalysis
from .summary import ModuleSummary


class AnalysisSession:
    def __init__(self, model: ProjectModel):
        self.model = model

    def add(self, *summaries: ModuleSummary) -> None:
        """Add or replace module summaries: the model and every analysis are rebuilt on next use."""
        self.model.add(*summaries)
        for name, member in vars(AnalysisSession).items():
            if isinstance(member, cached_property):
                self.__dict__.pop(name, None)

    @cached_property
    def side_effects(self) -> SideEffectAnalysis:
        """The interprocedural side-effect analysis of the project."""
        return SideEffectAnalysis(self.model)

    @cached_property
    def flag_reach(self) -> FlagReach:
        """Whether code behind a flag parameter runs in a graph."""
        return FlagReach(self.model)

    @cached_property
    def hybridization(self) -> HybridizationAnalysis:
        """Tensor inference and the hybridize/dehybridize decisions."""
        return HybridizationAnalysis(self.model, self.side_effects)

    def prepare_for_checks(self) -> None:
        """Compute the whole-project analyses now, so processes forked to check files share them."""
        model = self.model
        model.call_graph, model.callers, model.graph_functions, model.subclasses  # noqa: B018
        self.side_effects.effects  # noqa: B018
        self.hybridization.tensors.facts, self.hybridization.recursive  # noqa: B018
