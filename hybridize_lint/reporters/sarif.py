"""SARIF 2.1.0, the format code-scanning services (GitHub code scanning, Azure
DevOps, IDE viewers) ingest.

Choices worth knowing:

* every rule in ``rules`` becomes a ``reportingDescriptor``; a diagnostic whose
  code is missing from ``rules`` gets a minimal descriptor so that ``ruleIndex``
  always points at the right rule;
* a rule's level is its severity (``rules/*.toml``): ``error`` for code that
  fails in a graph or cannot be read, ``warning`` for side effects and
  retracing, ``note`` for suggestions; results take their rule's level, and
  ``helpUri`` links the rule's documentation page;
* in a notebook the region is the lines of the ``.ipynb`` file that hold the
  code (the cell is in the result's property bag) and fixes are left out: their
  edits apply to the cell's code, not to the file's JSON;
* columns count characters, so the run declares ``columnKind``
  ``unicodeCodePoints`` (SARIF's default would be UTF-16 code units);
* relative paths become relative URIs, absolute ones ``file://`` URIs;
* every fix is reported, whatever its applicability, which goes in the fix's
  property bag.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostic, Fix, Position, RunReport
from ..registry import RuleSpec

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FAMILIES = {
    "HYB0": "source",
    "HYB1": "side-effects",
    "HYB2": "retracing",
    "HYB3": "hybridize",
    "HYB4": "dehybridize",
    "HYB5": "graph-mode-errors",
}
# (docs key, heading, is code)
DOC_SECTIONS = (
    ("what", "What it does", False),
    ("why", "Why is this bad?", False),
    ("example", "Example", True),
    ("use_instead", "Use instead", True),
    ("fix_safety", "Fix safety", False),
    ("references", "References", False),
)


def render_sarif(report: RunReport, rules: dict[str, RuleSpec]) -> str:
    diagnostics = report.diagnostics
    descriptors = [rule_descriptor(rules[code]) for code in sorted(rules)]
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    for diagnostic in diagnostics:
        if diagnostic.code not in index:
            index[diagnostic.code] = len(descriptors)
            descriptors.append(_fallback_descriptor(diagnostic))
    levels = {code: spec.severity for code, spec in rules.items()}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hybridize-lint", "version": __version__, "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(d, index[d.code], levels.get(d.code, "warning")) for d in diagnostics],
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def family_for(code: str) -> str:
    return FAMILIES.get(code[:4], code[:4])


def rule_descriptor(spec: RuleSpec) -> dict[str, Any]:
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": _doc_text(spec.docs.get("what")) or spec.summary},
        "help": {"text": help_text(spec.docs), "markdown": help_markdown(spec.docs)},
        "defaultConfiguration": {"level": spec.severity},
        "properties": {"fixable": spec.fix is not None, "tags": [family_for(spec.code)]},
        **({"helpUri": spec.url} if spec.url else {}),
    }


def help_markdown(docs: dict[str, Any]) -> str:
    parts = []
    for key, heading, is_code in DOC_SECTIONS:
        body = _doc_text(docs.get(key))
        if not body:
            continue
        if is_code and "```" not in body:
            body = f"```python\n{body}\n```"
        parts.append(f"## {heading}\n{body}")
    return "\n\n".join(parts)


def help_text(docs: dict[str, Any]) -> str:
    parts = []
    for key, heading, is_code in DOC_SECTIONS:
        body = _doc_text(docs.get(key))
        if not body:
            continue
        if is_code:
            body = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
        parts.append(f"{heading}\n{body}")
    return "\n\n".join(parts)


def artifact_uri(path: PurePath | str) -> str:
    path = Path(path)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix())


def _doc_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(f"- {item}" for item in value)
    return str(value).strip("\n")


def _fallback_descriptor(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "id": diagnostic.code,
        "name": diagnostic.name,
        "shortDescription": {"text": diagnostic.name},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"fixable": diagnostic.fix is not None, "tags": [family_for(diagnostic.code)]},
        **({"helpUri": diagnostic.url} if diagnostic.url else {}),
    }


def _result(diagnostic: Diagnostic, rule_index: int, level: str) -> dict[str, Any]:
    uri = artifact_uri(diagnostic.path)
    in_file = diagnostic.file_start is not None and diagnostic.file_end is not None
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": _region(diagnostic.file_start, diagnostic.file_end) if in_file
            else _region(diagnostic.start, diagnostic.end),
        }}],
    }
    if diagnostic.cell is not None:
        result["properties"] = {"cell": diagnostic.cell, "cellLine": diagnostic.start.row,
                                "cellColumn": diagnostic.start.column}
    elif diagnostic.fix is not None:
        result["fixes"] = [_fix(diagnostic.fix, uri)]
    return result


def _fix(fix: Fix, uri: str) -> dict[str, Any]:
    replacements = [
        {"deletedRegion": _region(edit.start_position, edit.end_position),
         "insertedContent": {"text": edit.content}}
        for edit in sorted(fix.edits, key=lambda e: (e.start, e.end))
    ]
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


def _region(start: Position, end: Position) -> dict[str, int]:
    return {"startLine": start.row, "startColumn": start.column, "endLine": end.row, "endColumn": end.column}
