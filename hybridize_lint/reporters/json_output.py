"""ruff-compatible JSON, so tools that already read ``ruff --output-format
json`` (editors, CI annotators, dashboards) can read ours unchanged.

Keys are sorted and indented by two spaces, exactly as ruff prints them.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..diagnostics import Diagnostic, Edit, Fix, Position, RunReport


def render_json(report: RunReport) -> str:
    items = [diagnostic_to_json(diagnostic) for diagnostic in report.diagnostics]
    return json.dumps(items, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def diagnostic_to_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "cell": diagnostic.cell,
        "code": diagnostic.code,
        "end_location": _location(diagnostic.end),
        "filename": os.path.abspath(str(diagnostic.path)),
        "fix": _fix(diagnostic.fix),
        "location": _location(diagnostic.start),
        "message": diagnostic.message,
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
