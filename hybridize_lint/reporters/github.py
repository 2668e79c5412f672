"""GitHub Actions workflow commands, so diagnostics show up as annotations on
the pull request without uploading anything.

The command is the rule's severity (``error``, ``warning``, or ``notice`` for a
``note``); in a notebook the annotation points at the line of the ``.ipynb``
file that holds the code, and the message says which cell.  Escaping follows
``@actions/core``: ``%``, CR and LF in the message, and also ``:`` and ``,`` in
property values, where they would end the value.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, RunReport
from ..registry import RuleSpec

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def render_github(report: RunReport, rules: dict[str, RuleSpec]) -> str:
    return "".join(f"{workflow_command(diagnostic, rules)}\n" for diagnostic in report.diagnostics)


def workflow_command(diagnostic: Diagnostic, rules: dict[str, RuleSpec]) -> str:
    start, end = diagnostic.file_start or diagnostic.start, diagnostic.file_end or diagnostic.end
    properties = {
        "title": f"hybridize-lint ({diagnostic.code})",
        "file": str(diagnostic.path),
        "line": start.row,
        "col": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    message = f"{diagnostic.path}:{diagnostic.where}: {diagnostic.code} {diagnostic.message}"
    rule = rules.get(diagnostic.code)
    command = COMMANDS[rule.severity] if rule is not None else "warning"
    return f"::{command} {rendered}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
