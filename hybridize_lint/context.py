"""What a check sees: one parsed file inside its analysed project."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from .analysis.names import ImportBindings
from .analysis.project import GraphRoot, ProjectModel
from .analysis.scopes import local_bindings
from .analysis.session import AnalysisSession
from .analysis.summary import FunctionNode, FunctionSummary, Loc, ModuleSummary, iter_functions
from .config import Settings, longest_prefix
from .diagnostics import Applicability, Diagnostic, Edit, Fix
from .knowledge import KnowledgeBase
from .registry import RuleSpec
from .source import SourceFile, Span


@dataclass
class FileContext:
    source: SourceFile
    module: str
    bindings: ImportBindings
    project: ProjectModel
    analyses: AnalysisSession
    settings: Settings
    knowledge: KnowledgeBase
    _local_cache: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def tree(self) -> ast.Module:
        return self.source.tree

    @property
    def summary(self) -> ModuleSummary:
        return self.project.summaries[self.module]

    @cached_property
    def functions(self) -> dict[str, FunctionNode]:
        return dict(iter_functions(self.tree))

    def graph_roots(self) -> Iterator[tuple[FunctionSummary, GraphRoot]]:
        """Functions of this file traced for a reason of their own (decorated, mapped, fit)."""
        roots = self.project.graph_roots
        for qualname, info in self.summary.functions.items():
            root = roots.get((self.module, qualname))
            if root is not None:
                yield info, root

    def graph_functions(self) -> Iterator[tuple[FunctionSummary, tuple[str, str]]]:
        """Functions of this file run as graph code, each with a root that reaches it."""
        reached = self.project.graph_functions
        for qualname, info in self.summary.functions.items():
            root = reached.get((self.module, qualname))
            if root is not None:
                yield info, root

    @cached_property
    def _all_nodes(self) -> list[ast.AST]:
        """One walk of the tree, shared by every rule (each walking it again costs as much as parsing)."""
        return list(ast.walk(self.tree))

    @cached_property
    def _nodes_by_type(self) -> dict[type, list[ast.AST]]:
        index: dict[type, list[ast.AST]] = {}
        for node in self._all_nodes:
            index.setdefault(type(node), []).append(node)
        return index

    def nodes(self, kind: type) -> list[ast.AST]:
        """Every node of exactly this type, in ``ast.walk`` order."""
        return self._nodes_by_type.get(kind, [])

    @cached_property
    def hybridizer_calls(self) -> list[ast.Call]:
        """``tf.function(...)`` calls in any spelling, in ``ast.walk`` order."""
        return [node for node in self.nodes(ast.Call) if self.is_hybridizer_call(node)]

    @cached_property
    def _nodes_by_loc(self) -> dict[tuple[Loc, type], ast.AST]:
        index: dict[tuple[Loc, type], ast.AST] = {}
        for node in self._all_nodes:
            if hasattr(node, "end_lineno") and hasattr(node, "lineno"):
                loc = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
                index.setdefault((loc, type(node)), node)
        return index

    def node_at(self, loc: Loc, kind: type) -> ast.AST | None:
        return self._nodes_by_loc.get((tuple(loc), kind))

    def qualified_name(self, expr: ast.expr, scope: FunctionNode | None = None) -> str | None:
        """The dotted name ``expr`` refers to, or None when a local of ``scope`` shadows it."""
        base = expr
        while isinstance(base, ast.Attribute):
            base = base.value
        if scope is not None and isinstance(base, ast.Name) and base.id in self._locals(scope):
            return None
        dotted = self.bindings.qualified_name(expr)
        return self.knowledge.canonical(dotted) if dotted else None

    def render(self, evidence) -> str:
        """Evidence with module names turned into the project's file paths."""
        return evidence.render(self.project.module_paths())

    def is_hybridizer_call(self, node: ast.AST) -> bool:
        """``tf.function(...)`` in any spelling."""
        return isinstance(node, ast.Call) and self.knowledge.is_hybridizer(self.bindings.qualified_name(node.func))

    def _locals(self, function: FunctionNode) -> frozenset[str]:
        key = id(function)
        if key not in self._local_cache:
            self._local_cache[key] = local_bindings(function)
        return self._local_cache[key]

    def span(self, where: ast.AST | Span | Loc) -> Span:
        if isinstance(where, Span):
            return where
        if isinstance(where, tuple):
            return Span(self.source.offset_from_ast(where[0], where[1]), self.source.offset_from_ast(where[2], where[3]))
        return self.source.span_of(where)

    def fix(self, rule: RuleSpec, edits: list[Edit], title: str | None = None) -> Fix:
        applicability = rule.fix or Applicability.DISPLAY_ONLY
        if applicability in (Applicability.SAFE, Applicability.UNSAFE):  # the more specific prefix wins
            safe = longest_prefix(rule.code, self.settings.extend_safe_fixes) or 0
            unsafe = longest_prefix(rule.code, self.settings.extend_unsafe_fixes) or 0
            if safe != unsafe:
                applicability = Applicability.SAFE if safe > unsafe else Applicability.UNSAFE
        return Fix(tuple(sorted(edits, key=lambda e: (e.start, e.end))), applicability, title or rule.fix_title or "")

    def diagnostic(self, rule: RuleSpec, where: ast.AST | Span | Loc, fix: Fix | None = None,
                   **values: Any) -> Diagnostic:
        span = self.span(where)
        return Diagnostic(
            code=rule.code,
            name=rule.name,
            message=rule.format_message(**values),
            path=self.source.path,
            start=self.source.position(span.start),
            end=self.source.position(span.end),
            fix=fix,
        )

