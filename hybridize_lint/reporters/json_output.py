"""ruff-compatible JSON, so tools that already read ``ruff --output-format
json`` (editors, CI annotators, dashboards) can read ours unchanged.

Keys are sorted and indented by two spaces, exactly as ruff prints them.
Every path is absolute, as ruff's ``filename`` is: the files a message cites
(``called in a loop at pkg/train.py:12``, relative to the project root in
text output) too.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Edit, Fix, Position, RunReport


_CITED_PATH = re.compile(r"(?<![\w/.~-])((?:[\w.~-]+/)*[\w.~-]+\.(?:py|pyi|ipynb))(?=:(?:cell \d+:)?\d)")


def render_json(report: RunReport) -> str:
    found = [(diagnostic, file_report.root) for file_report in report.files for diagnostic in file_report.diagnostics]
    items = [diagnostic_to_json(diagnostic, root) for diagnostic, root in sorted(found, key=lambda d: d[0].sort_key)]
    return json.dumps(items, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def absolute_citations(message: str, root: Path | None) -> str:
    """``message`` with the project files it cites (relative to ``root``) made absolute."""
    if root is None:
        return message

    def absolute(match: re.Match[str]) -> str:
        path = root / match.group(1)
        return os.path.abspath(path) if path.exists() else match.group(0)

    return _CITED_PATH.sub(absolute, message)


def diagnostic_to_json(diagnostic: Diagnostic, root: Path | None = None) -> dict[str, Any]:
    return {
        "cell": diagnostic.cell,
        "code": diagnostic.code,
        "end_location": _location(diagnostic.end),
        "filename": os.path.abspath(str(diagnostic.path)),
        "fix": _fix(diagnostic.fix),
        "location": _location(diagnostic.start),
        "message": absolute_citations(diagnostic.message, root),
        "noqa_row": diagnostic.noqa_row if diagnostic.noqa_row is not None else diagnostic.start.row,
        "url": diagnostic.url,
    }


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "edits": [_edit(edit) for edit in sorted(fix.edits, key=lambda e: (e.start, e.end))],
        "message": fix.title,
    }


def _edit(edit: Edit) -> dict[str, Any]:
    return {
        "content": edit.content,
        "end_location": _location(edit.end_position),
        "location": _location(edit.start_position),
    }


def _location(position: Position) -> dict[str, int]:
    return {"column": position.column, "row": position.row}
