"""The API knowledge base: what the analyses know about library functions.

Loaded from ``rules/api/*.toml`` so adding an API is a data change, and
extended by the user's ``[tool.hybridize-lint]`` knowledge keys.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .registry import rules_directory

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class KnowledgeBase:
    module_aliases: dict[str, str]
    hybridize_functions: frozenset[str]
    python_print: str
    graph_print: str
    print_keywords_without_graph_equivalent: frozenset[str]

    def canonical(self, dotted: str) -> str:
        """Map alternative module spellings onto the canonical TensorFlow name."""
        for alias, target in self.module_aliases.items():
            if dotted == alias or dotted.startswith(alias + "."):
                return target + dotted[len(alias):]
        return dotted

    def is_hybridizer(self, dotted: str | None) -> bool:
        return dotted is not None and self.canonical(dotted) in self.hybridize_functions


@cache
def load_knowledge(directory: Path | None = None) -> KnowledgeBase:
    directory = directory or rules_directory() / "api"
    merged: dict[str, Any] = {}
    for path in sorted(directory.glob("*.toml")):
        _merge(merged, tomllib.loads(path.read_text(encoding="utf-8")))
    return KnowledgeBase(
        module_aliases=dict(merged["modules"]["aliases"]),
        hybridize_functions=frozenset(merged["hybridize"]["functions"]),
        python_print=merged["print"]["python"],
        graph_print=merged["print"]["graph_replacement"],
        print_keywords_without_graph_equivalent=frozenset(merged["print"]["unsupported_keywords"]),
    )


def _merge(into: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = [*into[key], *value]
        else:
            into[key] = value
