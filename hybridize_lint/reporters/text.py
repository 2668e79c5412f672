"""The human-readable format: ruff's ``concise`` output, line for line.

One line per diagnostic::

    path/to/file.py:12:5: HYB101 [*] message
    notebook.ipynb:cell 3:2:5: HYB101 [~] message

followed by ruff's summary (left out with ``quiet``)::

    Found 3 errors.
    [*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).

With ``statistics`` the per-diagnostic lines are replaced by ruff's
statistics table, then the same summary.  The table follows ruff:

* one row per code, sorted by count (descending) then code;
* columns are ``count`` (right-aligned to the widest count), ``code``
  (left-aligned to the widest code) and the rule name, separated by tabs;
* a marker column sits before the name only when some code has a fix, with
  the markers of ``check`` lines (:mod:`.fixability`): ``[*]`` when ``--fix``
  fixes that code's findings, ``[~]`` when they need ``--unsafe-fixes``, blank
  when they have no fix (a code whose findings differ takes the first of
  ``[*]``, ``[~]`` that some finding has);
* nothing at all is printed when there are no diagnostics (as ruff does).
"""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Diagnostic, RunReport
from ..registry import RuleSpec
from .fixability import APPLIED, NONE, UNSAFE, count_fixes, marker
from .options import ReportOptions


def render_text(report: RunReport, options: ReportOptions, rules: dict[str, RuleSpec]) -> str:
    diagnostics = report.diagnostics
    if options.statistics:
        if not diagnostics:
            return ""
        lines = statistics_lines(diagnostics, options, rules)
    else:
        lines = [diagnostic_line(diagnostic, options) for diagnostic in diagnostics]
    if not options.quiet:
        lines.extend(summary_lines(diagnostics, report.fixed_count, options))
    return "".join(f"{line}\n" for line in lines)


def diagnostic_line(diagnostic: Diagnostic, options: ReportOptions) -> str:
    mark = marker(diagnostic, options)
    mark = f" {mark}" if mark else ""
    return f"{diagnostic.path}:{diagnostic.where}: {diagnostic.code}{mark} {diagnostic.message}"


def summary_lines(diagnostics: list[Diagnostic], fixed_count: int, options: ReportOptions) -> list[str]:
    remaining = len(diagnostics)
    fixed = fixed_count if options.fix_mode else 0
    lines = []
    if fixed:
        total = fixed + remaining
        lines.append(f"Found {total} {_plural(total, 'error', 'errors')} ({fixed} fixed, {remaining} remaining).")
    elif remaining:
        lines.append(f"Found {remaining} {_plural(remaining, 'error', 'errors')}.")
    else:
        lines.append("All checks passed!")
    counts = count_fixes(diagnostics, options)
    hidden = counts.hidden_unsafe
    hint = f"{hidden} hidden {_plural(hidden, 'fix', 'fixes')} can be enabled with the `--unsafe-fixes` option"
    if counts.applicable and hidden:
        lines.append(f"[*] {counts.applicable} fixable with the `--fix` option ({hint}).")
    elif counts.applicable:
        lines.append(f"[*] {counts.applicable} fixable with the `--fix` option.")
    elif hidden:
        lines.append(f"No fixes available ({hint}).")
    return lines


def statistics_lines(diagnostics: list[Diagnostic], options: ReportOptions,
                     rules: dict[str, RuleSpec]) -> list[str]:
    counts = Counter(d.code for d in diagnostics)
    markers: dict[str, set[str]] = {}
    for diagnostic in diagnostics:
        markers.setdefault(diagnostic.code, set()).add(marker(diagnostic, options))
    names = {d.code: d.name for d in diagnostics}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = len(str(max(counts.values())))
    code_width = max(len(code) for code in counts)
    show_marker = any(found - {NONE} for found in markers.values())
    lines = []
    for code, count in rows:
        spec = rules.get(code)
        name = spec.name if spec is not None else names[code]
        mark = ""
        if show_marker:
            mark = next((m for m in (APPLIED, UNSAFE) if m in markers[code]), "   ") + " "
        lines.append(f"{count:>{count_width}}\t{code:<{code_width}}\t{mark}{name}")
    return lines


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural
