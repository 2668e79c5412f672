"""The one engine: read → summarise → project model → checks → filters → fixes.

The CLI, the flake8 plugin and the pre-commit hooks are thin shells over
:class:`Linter`; no rule logic lives anywhere else.
"""

from __future__ import annotations

import difflib
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from .analysis.names import ImportBindings
from .analysis.session import AnalysisSession
from .analysis.summary import content_hash, module_name_for
from . import parallel, verdicts
from .cache import FileStat, file_stat
from .config import Settings, SettingsResolver
from .context import FileContext
from .diagnostics import Diagnostic, FileReport, Position, RunReport
from .discovery import discover_files, is_excluded
from .fixing import MAX_ITERATIONS, apply_edits, apply_fixes
from .knowledge import KnowledgeBase, load_knowledge
from .loading import Project, ProjectLoader
from .noqa import NoqaIndex, add_noqa_edits
from .notebook import Notebook, NotebookError
from .registry import RuleSpec, load_rules
from .source import SourceError, SourceFile


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False  # compute fixes (the report holds the fixed text; nothing is written)
    unsafe_fixes: bool | None = None  # None: as configured
    add_noqa: bool = False
    force_exclude: bool = False
    use_cache: bool = True
    jobs: int = 1  # processes for summarising and checking; the CLI defaults to all cores


def project_anchor(path: Path) -> Path:
    """Where the project of ``path`` starts when no marker file (pyproject.toml, .git…) is found above it.

    The current directory when ``path`` lies inside it — what ``check`` with no arguments, flake8 and
    editors see — else ``path`` itself: so ``check DIR``, ``explain DIR/a.py`` and flake8 run from the
    same place analyse one project, with the same module names and the same verdicts.
    """
    try:
        cwd = Path.cwd().resolve()
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return path
    return cwd if resolved == cwd or cwd in resolved.parents else path


class Linter:
    """Lints files as parts of their projects, optionally fixing them."""

    use_verdicts = True  # False: findings as the analysis makes them, without the tests' verdicts

    def __init__(self, resolver: SettingsResolver | None = None, rules: Sequence[RuleSpec] | None = None,
                 knowledge: KnowledgeBase | None = None):
        self.resolver = resolver or SettingsResolver()
        self.rules = tuple(rules if rules is not None else load_rules())
        self.knowledge = knowledge or load_knowledge()
        self._checks = {rule.code: rule.load_check() for rule in self.rules if not rule.is_engine_rule}
        self.loader = ProjectLoader(self.knowledge)
        self._verdict_cache: dict[Path, dict] = {}

    # -- entry points -----------------------------------------------------

    def run(self, paths: Sequence[Path], options: RunOptions = RunOptions()) -> RunReport:
        report = RunReport()
        grouped: dict[Path, tuple[Settings, list[Path]]] = {}
        seen: set[Path] = set()
        explicit = {path for path in paths if not path.is_dir()}
        for path in paths:
            settings = self.resolver.for_path(path, fallback_root=project_anchor(path))
            found = discover_files([path], root=settings.root, exclude=settings.exclude,
                                   extend_exclude=settings.extend_exclude, force_exclude=options.force_exclude,
                                   respect_gitignore=settings.respect_gitignore,
                                   extend_include=settings.extend_include)
            for error in found.errors:
                self._report_source_error(error.path, SourceError("HYB001", error.reason), settings, report)
            for file in found.files:
                identity = file.resolve()
                if identity in seen:  # named twice (say, relative and absolute): lint it once
                    continue
                seen.add(identity)
                file_settings = self.resolver.for_path(file, fallback_root=project_anchor(path))
                if file_settings.root != settings.root and file not in explicit and is_excluded(
                        file, root=file_settings.root, exclude=file_settings.exclude,
                        extend_exclude=file_settings.extend_exclude):
                    continue  # a nested project's own exclusions apply to its files
                grouped.setdefault(file_settings.root, (file_settings, []))[1].append(file)
        for settings, files in grouped.values():
            self._run_project(settings, files, {}, options, report)
        return report

    def run_source(self, path: Path, text: str, options: RunOptions = RunOptions()) -> RunReport:
        """Lint text that is not on disk (``--stdin-filename``), inside ``path``'s project."""
        report = RunReport()
        settings = self.resolver.for_path(path, fallback_root=project_anchor(path))
        self._run_project(settings, [path], {path: text}, options, report)
        return report

    def project_session(self, path: Path) -> tuple[AnalysisSession, str]:
        """The analysed project ``path`` belongs to, and ``path``'s module name in it."""
        settings = self.resolver.for_path(path, fallback_root=project_anchor(path))
        source = SourceFile.read(path)
        source.tree
        project, _ = self.loader.load(settings, {path: source}, use_cache=True)
        module, _ = module_name_for(path, settings.root)
        return project.session, module

    def check_in_project(self, source: SourceFile, project: Project) -> list[Diagnostic]:
        """Every finding of every rule for one file of a loaded project, unfiltered (no selection, no
        noqa): what the flake8 plugin reports, flake8 filtering them itself."""
        return self._check(self._context(source, project), set(self._checks))

    # -- one project ------------------------------------------------------

    def _run_project(self, settings: Settings, files: list[Path], texts: dict[Path, str], options: RunOptions,
                     report: RunReport) -> None:
        sources: dict[Path, SourceFile] = {}
        stats: dict[Path, FileStat | None] = {}  # taken before reading: a later edit changes it
        for path in files:
            try:
                if path in texts:
                    sources[path] = SourceFile.from_text(path, texts[path])
                else:
                    stats[path.resolve()] = file_stat(path)
                    sources[path] = SourceFile.read(path)
            except SourceError as error:
                self._report_source_error(path, error, settings, report)
        project, unparsable = self.loader.load(settings, sources, options.use_cache, options.jobs, stats)
        for path, error in unparsable.items():
            self._report_source_error(path, error, settings, report, sources.pop(path))
        enabled = {code for code in self._checks if settings.is_enabled(code, self._rule(code).default_enabled)}

        def lint(current: SourceFile) -> list[Diagnostic]:
            return self._lint(current, project, enabled, report)

        first = self._lint_all(sources, project, enabled, options.jobs, report)
        if first is None:
            first = {path: self._first_findings(source, project, enabled, report) for path, source in sources.items()}
        for path, outcome in list(first.items()):
            if isinstance(outcome, SourceError):  # cannot happen once summarised, but never crash on it
                del first[path], sources[path]
                self._report_source_error(path, outcome, settings, report)
        fixed = self._fix_project(sources, first, project, lint, options) if options.fix else {}
        for path, source in sources.items():
            current, applied, notes = fixed.get(path, (source, 0, []))
            report.files.append(self._finish_file(source, current, first[path], applied, notes, lint, options))
            report.files[-1].root = settings.root

    def _lint_all(self, sources: dict[Path, SourceFile], project: Project, enabled: set[str], jobs: int,
                  report: RunReport) -> dict[Path, list[Diagnostic] | SourceError] | None:
        """First findings of every file, checked in parallel; None when the caller must do it serially."""
        if jobs < 2 or len(sources) < parallel.MIN_ITEMS_PER_RUN:
            return None
        project.session.prepare_for_checks()  # whole-project analyses once, before the workers fork
        results = parallel.map_in_workers(_lint_in_worker, list(sources), jobs, linter=self, project=project,
                                          sources=sources, enabled=enabled)
        if results is None:
            return None
        first: dict[Path, list[Diagnostic] | SourceError] = {}
        for path, (outcome, internal_errors) in zip(sources, results):
            first[path] = outcome
            report.internal_errors.extend(internal_errors)
        return first

    def _lint(self, source: SourceFile, project: Project, enabled: set[str], report: RunReport) -> list[Diagnostic]:
        found = self._check(self._context(source, project), enabled, report)
        if source.notebook is not None:  # cells that do not parse, once each; no fix on masked lines
            found = source.notebook.without_unsafe_edits(source.text, found) + self._cell_errors(source, project)
        return self._filter(found, source, project.settings)

    def _cell_errors(self, source: SourceFile, project: Project) -> list[Diagnostic]:
        found = []
        for error in source.notebook.errors:
            where = source.notebook.module_position(source.text, error.cell, error.row, error.column)
            diagnostic = self.source_error(source.path, SourceError("HYB002", error.message, where.row, where.column),
                                            project.settings)
            if diagnostic is not None:
                found.append(diagnostic)
        return found

    def _first_findings(self, source: SourceFile, project: Project, enabled: set[str],
                        report: RunReport) -> list[Diagnostic] | SourceError:
        """A file's findings before any fix; its trees are freed afterwards (fixing rebuilds them)."""
        try:
            return self._lint(source, project, enabled, report)
        except SourceError as error:
            return error
        finally:
            source.release_trees()

    def _fix_project(self, sources: dict[Path, SourceFile], first: dict[Path, list[Diagnostic]], project: Project,
                     lint, options: RunOptions) -> dict[Path, tuple[SourceFile, int, list[str]]]:
        """Apply fixes in rounds over the whole project, re-analysing once per round.

        A fix in one file can change findings in another (adding ``tf.function`` makes callees graph
        code), and re-analysing the project after every single fix would be quadratic.
        """
        unsafe = project.settings.unsafe_fixes if options.unsafe_fixes is None else options.unsafe_fixes
        current = dict(sources)
        applied: dict[Path, int] = {path: 0 for path in sources}
        notes: dict[Path, list[str]] = {path: [] for path in sources}
        pending = first
        history: dict[Path, list[tuple[SourceFile, int]]] = {path: [(source, 0)] for path, source in sources.items()}
        for _ in range(MAX_ITERATIONS):
            changed: list[Path] = []
            before = {path: (current[path], applied[path]) for path in current}
            for path, source in current.items():
                outcome = apply_fixes(source, pending[path], unsafe)
                notes[path].extend(note for note in outcome.notes if note not in notes[path])
                if outcome.applied and outcome.text != source.text \
                        and any(earlier.text == outcome.text for earlier, _ in history[path]):
                    current[path], applied[path] = _closest_to_original(history[path], outcome.text)
                    notes[path].append("fixes stopped: they undo each other (" + ", ".join(
                        sorted({d.code for d in pending[path] if d.fix})) + "); that code is left as written")
                elif outcome.applied and outcome.text != source.text:
                    history[path].append((outcome.source, applied[path] + outcome.applied))
                    current[path] = outcome.source
                    applied[path] += outcome.applied
                    changed.append(path)
            for path in self.loader.refresh(project, {path: current[path] for path in changed}):
                current[path], applied[path] = before[path]  # the analysis cannot follow the fixed code
                notes[path].append("fixes reverted: the fixed code is too deeply nested to analyse")
                changed.remove(path)
            if not changed:
                break
            pending = {path: self._lint_or_nothing(lint, source) for path, source in current.items()}
        else:
            for path in changed:
                notes[path].append(f"fixes did not converge after {MAX_ITERATIONS} rounds")
        return {path: (current[path], applied[path], notes[path]) for path in sources}

    @staticmethod
    def _lint_or_nothing(lint, source: SourceFile) -> list[Diagnostic]:
        try:
            return lint(source)
        except SourceError:  # nothing more to fix in code the rules cannot analyse
            return []

    def _finish_file(self, original: SourceFile, current: SourceFile, first: list[Diagnostic], applied: int,
                     notes: list[str], lint, options: RunOptions) -> FileReport:
        file_report = FileReport(original.path, first, original_text=original.text)
        file_report.unfixed_diagnostics = first
        file_report.notes.extend(notes)
        if applied:
            file_report.fixed_count = applied
            file_report.diagnostics = lint(current)
        if options.add_noqa and file_report.diagnostics:
            edits = add_noqa_edits(current, file_report.diagnostics)
            if current.notebook is not None:  # never on a masked IPython line
                edits = [edit for edit in edits if not current.notebook.protects(current.text, edit)]
            noqa_text = apply_edits(current, edits)
            if current.with_text(noqa_text).parses():
                current = current.with_text(noqa_text)
                file_report.added_noqa = len(edits)
                file_report.diagnostics = [d for d in file_report.diagnostics
                                           if not any(edit.start_position.row == (d.noqa_row or d.start.row)
                                                      for edit in edits)]
        if current.text != original.text:
            file_report.changed = True
            file_report.fixed_text = current.text
            if original.data is not None:  # read from disk: the fix writer may write it back
                file_report.original = original
        if original.notebook is not None:
            self._locate_in_cells(original, current, file_report)
        return file_report

    @staticmethod
    def _locate_in_cells(original: SourceFile, current: SourceFile, file_report: FileReport) -> None:
        """Positions relative to the notebook's cells, as every reporter shows them."""
        notebook = original.notebook
        fixed = notebook
        if current.text != original.text and file_report.changed:  # not when writing it failed
            try:  # the fixed notebook, read back: its cells and its JSON lines, for the remaining findings
                fixed = Notebook.from_bytes(notebook.render(current.text))
                file_report.changed_cells = [
                    (cell.number, before, after) for (cell, before), (_, after)
                    in zip(notebook.cell_sources(original.text), notebook.cell_sources(current.text))
                    if before != after]
            except NotebookError as error:  # --diff: what writing would have refused
                file_report.errors.append(f"{original.path}: {error}")
                file_report.changed, file_report.fixed_count = False, 0
                file_report.diagnostics = file_report.unfixed_diagnostics
        text = current.text if fixed is not notebook else original.text
        file_report.diagnostics = [fixed.locate_diagnostic(text, d) for d in file_report.diagnostics]
        file_report.unfixed_diagnostics = [notebook.locate_diagnostic(original.text, d)
                                           for d in file_report.unfixed_diagnostics]

    # -- analysis ------------------------------------------------------------

    def _context(self, source: SourceFile, project: Project) -> FileContext:
        module, is_package = module_name_for(source.path, project.settings.root)
        digest = content_hash(source.text)
        known = project.model.summaries.get(module)
        if known is None or known.content_hash != digest:
            known = self.loader.summarize(source, module, digest, project)
            project.session.add(known)
        bindings = ImportBindings.collect(source.tree, module, is_package).inherit(
            source.tree, known.star_bindings).canonicalize(project.knowledge.canonical)
        return FileContext(source, module, bindings, project.model, project.session, project.settings, project.knowledge)

    def _check(self, context: FileContext, codes: Iterable[str], report: RunReport | None = None) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for code in sorted(codes):
            rule = self._rule(code)
            try:
                found.extend(self._checks[code](context, rule))
            except Exception as exc:  # one broken rule must not hide the others' findings
                context.source.raise_if_too_deep(exc)  # deeply nested code: HYB002 for the file
                where = _failing_line(exc)
                message = (f"internal error in rule {code} on {context.source.path}{where}: "
                           f"{type(exc).__name__}: {exc}, please report")
                if report is None:
                    raise
                if message not in report.internal_errors:  # once, not once per fix round
                    report.internal_errors.append(message)
        return found

    def _filter(self, diagnostics: list[Diagnostic], source: SourceFile, settings: Settings) -> list[Diagnostic]:
        noqa = NoqaIndex(source)
        kept = []
        for diagnostic in diagnostics:
            if settings.ignored_for_path(diagnostic.code, source.path) or noqa.is_suppressed(diagnostic):
                continue
            kept.append(replace(diagnostic, noqa_row=noqa.noqa_row(diagnostic.start.row),
                                url=diagnostic.url or self._rule(diagnostic.code).url))
        if self.use_verdicts:  # what `pytest --hybridize-verify` found out about the proposals
            kept = verdicts.annotate(kept, source.text, self._verdicts(settings.root))
        return sorted(kept, key=lambda d: d.sort_key)

    def _verdicts(self, root: Path) -> dict:
        if root not in self._verdict_cache:
            self._verdict_cache[root] = verdicts.load(root)
        return self._verdict_cache[root]

    # -- unreadable input ---------------------------------------------------

    def _report_source_error(self, path: Path, error: SourceError, settings: Settings, report: RunReport,
                             source: SourceFile | None = None) -> None:
        diagnostic = self.source_error(path, error, settings)
        if diagnostic is not None and source is not None and source.notebook is not None:
            diagnostic = source.notebook.locate_diagnostic(source.text, diagnostic)  # in the cell
        report.files.append(FileReport(path, [diagnostic] if diagnostic else []))

    def source_error(self, path: Path, error: SourceError, settings: Settings) -> Diagnostic | None:
        rule = self._rule(error.code)
        if not settings.is_enabled(error.code, rule.default_enabled) or settings.ignored_for_path(error.code, path):
            return None
        position = Position(error.row, error.column)
        return Diagnostic(error.code, rule.name, rule.format_message(reason=error.message), path, position, position,
                          noqa_row=error.row, url=rule.url)

    def _rule(self, code: str) -> RuleSpec:
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)



def _lint_in_worker(path: Path) -> tuple[list[Diagnostic] | SourceError, list[str]]:
    """First findings for one file in a worker, with the internal errors its rules raised."""
    report = RunReport()
    outcome = parallel.shared("linter")._first_findings(parallel.shared("sources")[path], parallel.shared("project"),
                                                        parallel.shared("enabled"), report)
    return outcome, report.internal_errors


def _failing_line(exc: Exception) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f" (raised at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""


def _closest_to_original(history: list[tuple[SourceFile, int]], repeated: str) -> tuple[SourceFile, int]:
    """Of the states a cycle of fixes goes round (from the one it would return to, on), the one that
    changes the fewest lines of the original: where fixes disagree, the code stays as the user wrote it."""
    original = history[0][0].text.splitlines()
    start = next(index for index, (source, _) in enumerate(history) if source.text == repeated)
    return min(history[start:], key=lambda state: _changed_lines(original, state[0].text.splitlines()))


def _changed_lines(original: list[str], text: list[str]) -> int:
    matcher = difflib.SequenceMatcher(None, original, text, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
