"""Turn a :class:`~hybridize_lint.diagnostics.RunReport` into text for one
output format.

Reporters are pure: they return a string and never print, so the CLI, tests
and integrations share them.  The string ends with a newline unless it is
empty (write it with ``sys.stdout.write``, not ``print``).  Internal errors are
left to the caller (the CLI writes them to stderr) so stdout stays parseable.
"""

from __future__ import annotations

from ..diagnostics import RunReport
from ..registry import RuleSpec
from .github import render_github
from .json_output import render_json
from .options import ReportOptions
from .sarif import render_sarif
from .text import render_text

FORMATS = ("text", "json", "sarif", "github")

__all__ = ["FORMATS", "ReportOptions", "render"]


def render(report: RunReport, output_format: str, options: ReportOptions,
           rules: dict[str, RuleSpec]) -> str:
    if output_format == "text":
        return render_text(report, options, rules)
    if output_format == "json":
        return render_json(report)
    if output_format == "sarif":
        return render_sarif(report, rules)
    if output_format == "github":
        return render_github(report, rules)
    raise ValueError(f"unknown output format {output_format!r}; choose one of {', '.join(FORMATS)}")
