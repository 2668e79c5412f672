"""Builds a project's model from its files: cached summaries where still valid, fresh ones where not.

Every module of the project is summarised, not only the files being checked, because their findings
depend on the rest (what callers pass, what callees do). Summaries come from the on-disk cache when
a file's size and mtime, or else its content, are unchanged; the others are parsed and summarised,
in worker processes when there are many.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import parallel
from .analysis.names import star_bindings
from .analysis.summariser import summarize_module
from .analysis.policy import HybridizationPolicy
from .analysis.project import ProjectModel
from .analysis.session import AnalysisSession
from .analysis.summary import ModuleSummary, content_hash, module_name_for, summary_schema
from .cache import FileStat, SummaryCache, file_stat
from .config import Settings, relative_posix
from .discovery import discover_files
from .knowledge import KnowledgeBase
from .source import SourceError, SourceFile


@dataclass
class Project:
    """One project being linted: its settings, its knowledge base, and the model of its modules."""

    settings: Settings
    knowledge: KnowledgeBase
    session: AnalysisSession = field(init=False)

    def __post_init__(self) -> None:
        self.session = AnalysisSession(ProjectModel(self.knowledge, policy=HybridizationPolicy(
            every_function=self.settings.hybridization == "every-function",
            hybridize_tests=self.settings.hybridize_tests)))

    @property
    def model(self) -> ProjectModel:
        return self.session.model


class ProjectLoader:
    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge

    def load(self, settings: Settings, sources: dict[Path, SourceFile], use_cache: bool, jobs: int = 1,
             target_stats: dict[Path, FileStat | None] | None = None) -> tuple[Project, dict[Path, SourceError]]:
        """Summaries of every module of the project: ``sources`` from memory, the rest via the cache.

        ``target_stats`` (by resolved path) are the sources' stats taken before they were read.
        Also returns the sources that do not parse (other unparsable files are just left out).
        """
        project = Project(settings, self.knowledge.extended(settings.knowledge))
        cache = SummaryCache(settings.root, self._cache_salt(settings), enabled=use_cache)
        context_files = discover_files([settings.root], root=settings.root, exclude=settings.exclude,
                                       extend_exclude=settings.extend_exclude, extend_include=settings.extend_include,
                                       respect_gitignore=settings.respect_gitignore).files
        target_of = {path.resolve(): path for path in sources}
        unparsable: dict[Path, SourceError] = {}
        with cache.locked():
            missing: list[tuple[Path, SourceFile, str, str]] = []
            found: dict[Path, ModuleSummary] = {}
            stats: dict[Path, FileStat | None] = dict(target_stats or {})
            for path in sorted({*(p.resolve() for p in context_files), *target_of}):
                module, _ = module_name_for(path, settings.root)
                target = target_of.get(path)
                if target is not None:
                    source = sources[target]
                else:
                    stats[path] = stat = file_stat(path)  # before reading: a later edit changes it
                    summary = cache.get_unchanged(module, stat) if stat else None
                    if summary is not None:  # not even read: size and mtime are those it was summarised at
                        found[path] = summary
                        continue
                    try:
                        source = SourceFile.read(path)
                    except SourceError:
                        continue
                digest = content_hash(source.text)
                summary = cache.get(module, digest)
                if summary is None:
                    missing.append((path, source, module, digest))
                else:
                    found[path] = summary
                    if stats.get(path):
                        cache.put(module, summary, stats[path])  # same content, new mtime: remember it
            for (path, _, module, _), outcome in zip(missing, self._summarize_all(missing, project, jobs)):
                if isinstance(outcome, SourceError):
                    if path in target_of:
                        unparsable[target_of[path]] = outcome
                    continue
                cache.put(module, outcome, stats.get(path))
                found[path] = outcome
            self._settle_star_bindings(found, {path: sources[target] for path, target in target_of.items()},
                                       project, cache, stats)
            cache.save()
        project.session.add(*(found[path] for path in sorted(found)))  # one order, cold or warm: same evidence
        return project, unparsable

    def _settle_star_bindings(self, found: dict[Path, ModuleSummary], sources: dict[Path, SourceFile],
                              project: Project, cache: SummaryCache, stats: dict[Path, FileStat | None]) -> None:
        """Re-summarise the modules whose ``from project_module import *`` bring other imports than when
        they were summarised (summaries are made one module at a time, so the first pass cannot know)."""
        by_module = {summary.module: summary for summary in found.values()}
        for path, summary in sorted(found.items()):
            if not summary.star_imports or star_bindings(summary.star_imports, by_module) == summary.star_bindings:
                continue
            source = sources.get(path)
            try:
                source = source or SourceFile.read(path)
                fresh = self.summarize(source, summary.module, summary.content_hash, project, by_module)
            except SourceError:
                continue
            finally:
                if source is not None and path not in sources:
                    source.release_trees()
            cache.put(summary.module, fresh, stats.get(path))
            found[path] = by_module[summary.module] = fresh

    def refresh(self, project: Project, changed: dict[Path, SourceFile]) -> list[Path]:
        """Re-summarise changed modules in one go, so the project is re-analysed once.

        Returns the files that could not be summarised (their old summaries stay).
        """
        summaries, failed = [], []
        for path, source in changed.items():
            module, _ = module_name_for(source.path, project.settings.root)
            try:
                summaries.append(self.summarize(source, module, content_hash(source.text), project))
            except SourceError:
                failed.append(path)
        project.session.add(*summaries)
        return failed

    def summarize(self, source: SourceFile, module: str, digest: str, project: Project,
                  others: dict[str, ModuleSummary] | None = None) -> ModuleSummary:
        """``others``: the modules its star imports may name, else the project's current summaries."""
        _, is_package = module_name_for(source.path, project.settings.root)
        try:
            summary = summarize_module(source.tree, module, is_package, digest, project.knowledge, source.text,
                                       project.model.summaries if others is None else others)
        except RecursionError as exc:  # deeply nested code: HYB002 for the file, not a crash
            source.raise_if_too_deep(exc)
            raise
        summary.path = relative_posix(source.path, project.settings.root)
        return summary

    def summarize_or_error(self, source: SourceFile, module: str, digest: str,
                           project: Project) -> ModuleSummary | SourceError:
        try:
            return self.summarize(source, module, digest, project)
        except SourceError as error:
            return error
        finally:  # parsed again when checked: the whole project's trees at once would not fit in memory
            source.release_trees()

    def _summarize_all(self, missing: list[tuple[Path, SourceFile, str, str]], project: Project,
                       jobs: int) -> list[ModuleSummary | SourceError]:
        items = [(source, module, digest) for _, source, module, digest in missing]
        results = parallel.map_in_workers(_summarize_in_worker, items, jobs, loader=self, project=project)
        if results is not None:
            return results
        return [self.summarize_or_error(source, module, digest, project) for source, module, digest in items]

    def _cache_salt(self, settings: Settings) -> str:
        """Stable across processes (no hash-seed-dependent set order), so workers share one cache."""
        state = {"knowledge": asdict(self.knowledge), "user": settings.knowledge,
                 "python": list(sys.version_info[:2]),  # a cached summary means the file parses here
                 "schema": summary_schema()}
        return hashlib.sha256(json.dumps(state, default=_sorted_list, sort_keys=True).encode()).hexdigest()


def _summarize_in_worker(item: tuple[SourceFile, str, str]) -> ModuleSummary | SourceError:
    """Parse and summarise one module in a worker process."""
    source, module, digest = item
    return parallel.shared("loader").summarize_or_error(source, module, digest, parallel.shared("project"))


def _sorted_list(value: object) -> list:
    return sorted(value, key=str) if isinstance(value, (set, frozenset, tuple)) else [str(value)]
