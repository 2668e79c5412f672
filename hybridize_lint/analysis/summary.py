"""Per-module summaries: the facts other modules need, without the AST.

A summary is small, JSON-serialisable and keyed by the module's content
hash, so the project-level analysis can be rebuilt from an on-disk cache by
every flake8 worker or pre-commit run without re-parsing the project.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from ..knowledge import KnowledgeBase
from .names import ImportBindings

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class FunctionSummary:
    qualname: str
    lineno: int
    hybrid: bool


@dataclass
class ModuleSummary:
    module: str
    content_hash: str
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    # Dotted names of functions this module wraps with ``tf.function(f)``.
    hybridized_elsewhere: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ModuleSummary":
        functions = {name: FunctionSummary(**value) for name, value in data["functions"].items()}
        return cls(data["module"], data["content_hash"], functions, list(data["hybridized_elsewhere"]))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def module_name_for(path: Path, root: Path) -> tuple[str, bool]:
    """Dotted module name of ``path`` inside the project at ``root``, and whether it is a package."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        relative = Path(path.name)
    parts = list(relative.with_suffix("").parts)
    if len(parts) > 1 and parts[0] == "src" and not (root / "src" / "__init__.py").exists():
        parts = parts[1:]
    is_package = bool(parts) and parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def iter_functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, FunctionNode]]:
    """Every function with its qualified name (``Class.method``, ``outer.inner``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualname = f"{prefix}{node.name}"
            yield qualname, node
            yield from iter_functions(node, qualname + ".")
        elif isinstance(node, ast.ClassDef):
            yield from iter_functions(node, f"{prefix}{node.name}.")
        else:
            yield from iter_functions(node, prefix)


def hybridizer_call(node: ast.AST, bindings: ImportBindings, kb: KnowledgeBase) -> ast.Call | None:
    """``node`` if it is a call of ``tf.function`` (any spelling), else None."""
    if isinstance(node, ast.Call) and kb.is_hybridizer(bindings.qualified_name(node.func)):
        return node
    return None


def is_hybrid_decorator(decorator: ast.expr, bindings: ImportBindings, kb: KnowledgeBase) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return kb.is_hybridizer(bindings.qualified_name(target))


def summarize_module(tree: ast.Module, module: str, text_hash: str, bindings: ImportBindings,
                     kb: KnowledgeBase) -> ModuleSummary:
    summary = ModuleSummary(module, text_hash)
    local_functions: dict[str, str] = {}
    for qualname, node in iter_functions(tree):
        hybrid = any(is_hybrid_decorator(d, bindings, kb) for d in node.decorator_list)
        summary.functions[qualname] = FunctionSummary(qualname, node.lineno, hybrid)
        local_functions.setdefault(node.name, qualname)
    for call, enclosing_class in _calls_with_class(tree):
        if hybridizer_call(call, bindings, kb) and call.args:
            target = _wrapped_target(call.args[0], module, bindings, local_functions, enclosing_class)
            if target:
                summary.hybridized_elsewhere.append(target)
    return summary


def _calls_with_class(tree: ast.AST, enclosing_class: str | None = None) -> Iterator[tuple[ast.Call, str | None]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            yield from _calls_with_class(node, node.name)
            continue
        if isinstance(node, ast.Call):
            yield node, enclosing_class
        yield from _calls_with_class(node, enclosing_class)


def _wrapped_target(arg: ast.expr, module: str, bindings: ImportBindings, local_functions: dict[str, str],
                    enclosing_class: str | None) -> str | None:
    if isinstance(arg, ast.Name) and arg.id in local_functions and arg.id not in bindings.bindings:
        return f"{module}.{local_functions[arg.id]}"
    if (isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name)
            and arg.value.id in ("self", "cls") and enclosing_class):
        return f"{module}.{enclosing_class}.{arg.attr}"
    return bindings.qualified_name(arg)
