"""What a check sees: one parsed file inside its analysed project."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from .analysis.names import ImportBindings
from .analysis.project import ProjectModel
from .analysis.scopes import local_bindings
from .analysis.summary import FunctionNode, iter_functions
from .config import Settings
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
    settings: Settings
    knowledge: KnowledgeBase
    _local_cache: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def tree(self) -> ast.Module:
        return self.source.tree

    @cached_property
    def functions(self) -> list[tuple[str, FunctionNode]]:
        return list(iter_functions(self.tree))

    def graph_functions(self) -> Iterator[tuple[str, FunctionNode]]:
        """Outermost functions of this file whose bodies run as graph code."""
        for qualname, node in self.functions:
            if self.project.is_graph_function(self.module, qualname):
                yield qualname, node

    def graph_code_nodes(self) -> Iterator[tuple[str, FunctionNode, ast.AST]]:
        """Every node inside a graph function's body, once, with that function."""
        seen: set[int] = set()
        for qualname, function in self.graph_functions():
            for statement in function.body:
                for node in ast.walk(statement):
                    if id(node) not in seen:
                        seen.add(id(node))
                        yield qualname, function, node

    def qualified_name(self, expr: ast.expr, scope: FunctionNode | None = None) -> str | None:
        """The dotted name ``expr`` refers to, or None when a local of ``scope`` shadows it."""
        base = expr
        while isinstance(base, ast.Attribute):
            base = base.value
        if scope is not None and isinstance(base, ast.Name) and base.id in self._locals(scope):
            return None
        dotted = self.bindings.qualified_name(expr)
        return self.knowledge.canonical(dotted) if dotted else None

    def _locals(self, function: FunctionNode) -> frozenset[str]:
        key = id(function)
        if key not in self._local_cache:
            self._local_cache[key] = local_bindings(function)
        return self._local_cache[key]

    def fix(self, rule: RuleSpec, edits: list[Edit], title: str | None = None) -> Fix:
        applicability = rule.fix or Applicability.DISPLAY_ONLY
        if applicability is Applicability.UNSAFE and _matches(rule.code, self.settings.extend_safe_fixes):
            applicability = Applicability.SAFE
        elif applicability is Applicability.SAFE and _matches(rule.code, self.settings.extend_unsafe_fixes):
            applicability = Applicability.UNSAFE
        return Fix(tuple(sorted(edits, key=lambda e: (e.start, e.end))), applicability, title or rule.fix_title or "")

    def diagnostic(self, rule: RuleSpec, node: ast.AST | Span, fix: Fix | None = None, **values: Any) -> Diagnostic:
        span = node if isinstance(node, Span) else self.source.span_of(node)
        return Diagnostic(
            code=rule.code,
            name=rule.name,
            message=rule.format_message(**values),
            path=self.source.path,
            start=self.source.position(span.start),
            end=self.source.position(span.end),
            fix=fix,
        )


def _matches(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)
