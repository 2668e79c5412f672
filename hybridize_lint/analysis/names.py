"""Which dotted name an expression refers to, after following imports.

``import tensorflow as tf2`` then ``tf2.function`` resolves to
``tensorflow.function``; ``from tensorflow import function`` makes the bare
name ``function`` resolve the same way.  Names never imported resolve to
``builtins.<name>`` unless the module rebinds them.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Mapping
from dataclasses import dataclass, field

from .summary import ModuleSummary

_BUILTIN_NAMES = frozenset(dir(builtins))
# Star imports whose names we can attribute without reading the module: TensorFlow's public API.
_STAR_RESOLVED = frozenset({"tensorflow", "keras"})


@dataclass
class ImportBindings:
    """Local name → fully qualified dotted name, for one module."""

    module_name: str
    is_package: bool = False
    bindings: dict[str, str] = field(default_factory=dict)
    rebound_builtins: set[str] = field(default_factory=set)
    star_modules: list[str] = field(default_factory=list)  # `from M import *`
    # `rng = np.random` at module level, the name's only binding: `rng.randn` is `numpy.random.randn`
    value_aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def collect(cls, tree: ast.Module, module_name: str, is_package: bool = False) -> "ImportBindings":
        collected = cls(module_name, is_package)
        for node in statements(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        collected.bindings[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        collected.bindings[top] = top
            elif isinstance(node, ast.ImportFrom):
                base = collected.absolute_module(node)
                for alias in node.names:
                    if alias.name == "*":
                        collected.star_modules.append(base)
                        continue
                    local = alias.asname or alias.name
                    collected.bindings[local] = f"{base}.{alias.name}" if base else alias.name
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name in _BUILTIN_NAMES:
                    collected.rebound_builtins.add(node.name)
            else:
                for target in _assigned_names(node):
                    if target in _BUILTIN_NAMES:
                        collected.rebound_builtins.add(target)
        collected._collect_value_aliases(tree)
        return collected

    def inherit(self, tree: ast.Module, inherited: Mapping[str, str]) -> "ImportBindings":
        """Add what the module's ``from project_module import *`` bring (see :func:`star_bindings`);
        the module's own imports and top-level definitions shadow them."""
        if not inherited:
            return self
        defined = {name for node in tree.body for name in (
            [node.name] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            else _assigned_names(node))}
        for local, dotted in inherited.items():
            if local not in self.bindings and local not in defined:
                self.bindings[local] = dotted
        self._collect_value_aliases(tree)
        return self

    def _collect_value_aliases(self, tree: ast.Module) -> None:
        candidates = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and isinstance(node.value, (ast.Name, ast.Attribute)) and node.targets[0].id not in self.bindings:
                dotted = self.qualified_name(node.value)
                if dotted and not dotted.startswith("builtins."):
                    candidates[node.targets[0].id] = dotted
        if not candidates:
            return
        bound: dict[str, int] = {}
        for node in statements(tree.body):
            names = [node.name] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                else _assigned_names(node)
            for name in names:
                if name in candidates:
                    bound[name] = bound.get(name, 0) + 1
        self.value_aliases = {name: dotted for name, dotted in candidates.items() if bound.get(name) == 1}

    def canonicalize(self, canonical) -> "ImportBindings":
        """Rewrite targets to canonical spellings (``tensorflow.compat.v2`` → ``tensorflow``), so that
        ``local_name_for("tensorflow.function")`` finds ``tf`` after ``import tensorflow.compat.v2 as tf``."""
        self.bindings = {local: canonical(target) for local, target in self.bindings.items()}
        self.value_aliases = {local: canonical(target) for local, target in self.value_aliases.items()}
        return self

    def absolute_module(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = self.module_name.split(".") if self.module_name else []
        if not self.is_package:
            parts = parts[:-1]
        drop = node.level - 1
        if drop:
            parts = parts[:-drop] if drop <= len(parts) else []
        if node.module:
            parts.append(node.module)
        return ".".join(parts)

    def qualified_name(self, expr: ast.expr) -> str | None:
        """The dotted name ``expr`` stands for, or None when it is not a plain reference."""
        if isinstance(expr, ast.Name):
            if expr.id in self.bindings:
                return self.bindings[expr.id]
            if expr.id in self.value_aliases:
                return self.value_aliases[expr.id]
            if expr.id in _BUILTIN_NAMES and expr.id not in self.rebound_builtins:
                return f"builtins.{expr.id}"
            external = [m for m in self.star_modules if m.split(".")[0] in _STAR_RESOLVED]
            if len(external) == 1 and len(self.star_modules) == 1:  # `from tensorflow import *`
                return f"{external[0]}.{expr.id}"
            return None
        if isinstance(expr, ast.Attribute):
            base = self.qualified_name(expr.value)
            return f"{base}.{expr.attr}" if base else None
        return None

    def local_name_for(self, dotted: str) -> str | None:
        """How this module can spell ``dotted`` with its existing imports, if at all."""
        best: str | None = None
        for local, target in self.bindings.items():
            if dotted == target:
                return local
            if dotted.startswith(target + "."):
                candidate = local + dotted[len(target):]
                if best is None or len(candidate) < len(best):
                    best = candidate
        return best


def star_bindings(star_modules: list[str], summaries: Mapping[str, ModuleSummary]) -> dict[str, str]:
    """The imports that ``from M import *`` of project modules bring along: research code often gets
    ``np`` and ``tf`` from ``from utils import *``. Public names (or ``__all__``) of each module's own
    imports, and of its own star imports in turn; a later star import wins, as in Python."""
    found: dict[str, str] = {}
    for module in star_modules:
        found.update(_exported_imports(module, summaries, set()))
    return found


def _exported_imports(module: str, summaries: Mapping[str, ModuleSummary], seen: set[str]) -> dict[str, str]:
    summary = summaries.get(module)
    if summary is None or module in seen:
        return {}
    seen.add(module)
    names: dict[str, str] = {}
    for star in summary.star_imports:
        names.update(_exported_imports(star, summaries, seen))
    names.update(summary.bindings)
    if summary.all_names is not None:
        return {name: dotted for name, dotted in names.items() if name in summary.all_names}
    return {name: dotted for name, dotted in names.items() if not name.startswith("_")}


_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def statements(body: list[ast.stmt]):
    """Every statement, however nested, without visiting expressions (much cheaper than ``ast.walk``)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for name in _BODY_FIELDS:
            children = getattr(node, name, None)
            if children:
                stack.extend(reversed(children))


def _assigned_names(statement: ast.AST):
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        targets = [statement.target]
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
    else:
        return
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                yield node.id
