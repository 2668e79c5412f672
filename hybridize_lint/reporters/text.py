"""The human-readable format: ruff's ``concise`` output, line for line.

One line per diagnostic::

    path/to/file.py:12:5: HYB101 [*] message

followed by ruff's summary (left out with ``quiet``)::

    Found 3 errors.
    [*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).

With ``statistics`` the per-diagnostic lines are replaced by ruff's
statistics table, then the same summary.  The table follows ruff:

* one row per code, sorted by count (descending) then code;
* columns are ``count`` (right-aligned to the widest count), ``code``
  (left-aligned to the widest code) and the rule name, separated by tabs;
* a marker column sits before the name only when some code has an applicable
  fix: ``[*]`` when every diagnostic of that code has one, ``[-]`` when only
  some do, ``[ ]`` when none does;
* nothing at all is printed when there are no diagnostics (as ruff does).
"""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Diagnostic, RunReport
from ..registry import RuleSpec
from .fixability import count_fixes, is_applicable
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
    marker = " [*]" if is_applicable(diagnostic, options) else ""
    return f"{diagnostic.path}:{diagnostic.where}: {diagnostic.code}{marker} {diagnostic.message}"


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
    fixable = Counter(d.code for d in diagnostics if is_applicable(d, options))
    names = {d.code: d.name for d in diagnostics}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = len(str(max(counts.values())))
    code_width = max(len(code) for code in counts)
    show_marker = bool(fixable)
    lines = []
    for code, count in rows:
        spec = rules.get(code)
        name = spec.name if spec is not None else names[code]
        marker = ""
        if show_marker:
            marker = "[*] " if fixable[code] == count else "[-] " if fixable[code] else "[ ] "
        lines.append(f"{count:>{count_width}}\t{code:<{code_width}}\t{marker}{name}")
    return lines


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural
