"""GitHub Actions workflow commands, so diagnostics show up as annotations on
the pull request without uploading anything.

Escaping follows ``@actions/core``: ``%``, CR and LF in the message, and also
``:`` and ``,`` in property values, where they would end the value.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, RunReport


def render_github(report: RunReport) -> str:
    return "".join(f"{workflow_command(diagnostic)}\n" for diagnostic in report.diagnostics)


def workflow_command(diagnostic: Diagnostic) -> str:
    start, end = diagnostic.start, diagnostic.end
    properties = {
        "title": f"hybridize-lint ({diagnostic.code})",
        "file": str(diagnostic.path),
        "line": start.row,
        "col": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    }
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    message = f"{diagnostic.path}:{start.row}:{start.column}: {diagnostic.code} {diagnostic.message}"
    return f"::error {rendered}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
