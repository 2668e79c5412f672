"""Command-line shell over the engine: ``hybridize-lint check|rule|rules``.

Exit codes: 0 nothing left to report, 1 findings remain (or ``--diff`` has
changes), 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import os
import re
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .config import ConfigError, RuleSelection, SettingsResolver, prefix_list, parse_config_arguments
from .diagnostics import RunReport
from .discovery import is_excluded
from .api import lint, lint_text
from .engine import Linter, RunOptions, project_anchor
from .explain import Target as ExplainTarget
from .explain import explain, render_json, render_text
from .parallel import default_jobs
from .registry import RuleFileError, load_rules, rules_by_code
from .reporters import FORMATS, ReportOptions, render
from .reporters.fixability import LEGEND, rule_marker
from .rule_docs import rule_markdown
from .source import SourceError, SourceFile
from .writing import write_fixes

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


_CONFIG_HELP = ("a pyproject.toml to read instead of the nearest one, or a `KEY = VALUE` line of "
                "[tool.hybridize-lint] settings that overrides it (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hybridize-lint", description=(
        "Find where TensorFlow 2 functions can safely become tf.function graphs, and where they should not."))
    parser.add_argument("--version", action="version", version=f"hybridize-lint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="lint (and optionally fix) files and directories")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", default=None, help="also apply unsafe fixes")
    check.add_argument("--no-unsafe-fixes", dest="unsafe_fixes", action="store_false", help="never apply unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff, write nothing")
    check.add_argument("--output-format", choices=FORMATS, default="text")
    check.add_argument("--select", type=_codes, help="comma-separated code prefixes to enable")
    check.add_argument("--extend-select", type=_codes, help="code prefixes to enable in addition")
    check.add_argument("--ignore", type=_codes, help="code prefixes to disable")
    check.add_argument("--config", action="append", default=[], metavar="PATH | KEY = VALUE", help=_CONFIG_HELP)
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    check.add_argument("--force-exclude", action="store_true", help="apply exclusions to paths given explicitly")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument("--add-noqa", action="store_true", help="add `# noqa` comments to every finding")
    check.add_argument("--stdin-filename", type=Path, help="read source from stdin, linted as this path")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the analysis cache")
    check.add_argument("-j", "--jobs", type=_positive_int, default=0, metavar="N",
                       help="processes for summarising and checking files (default: all cores)")

    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code")
    commands.add_parser("rules", help="list every rule")

    explain = commands.add_parser("explain", help="why each function is (or is not) proposed for tf.function")
    explain.add_argument("targets", nargs="+", metavar="PATH[::QUALNAME]")
    explain.add_argument("--output-format", choices=("text", "json"), default="text")
    explain.add_argument("--config", action="append", default=[], metavar="PATH | KEY = VALUE", help=_CONFIG_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_ERROR if exit_.code not in (0, None) else EXIT_CLEAN
    # The analysis builds millions of small objects without reference cycles; the cyclic garbage
    # collector's passes over them cost a sixth of a cold run and half of a warm one (bench/NOTES.md),
    # and free nothing: memory is the same without them. Reference counting still frees everything.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if args.command == "rules":
            return _list_rules()
        if args.command == "rule":
            return _show_rule(args.code)
        if args.command == "explain":
            return _explain(args)
        return _check(args)
    except (ConfigError, RuleFileError) as error:
        print(f"hybridize-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `hybridize-lint check | head`: the reader left, nothing to report
        with contextlib.suppress(OSError, ValueError):  # keep the interpreter's final flush quiet
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as error:  # a linter must fail with one line and exit 2, never a traceback
        print(f"hybridize-lint: error: internal error: {type(error).__name__}: {error}, please report",
              file=sys.stderr)
        return EXIT_ERROR
    finally:
        if collecting:  # main() is also called in-process (tests, editors): leave the interpreter as it was
            gc.enable()


def _explain(args: argparse.Namespace) -> int:
    config_file, inline = parse_config_arguments(args.config)
    linter = Linter(SettingsResolver(config_file=config_file, inline=inline))
    try:
        explanations = explain(linter, [ExplainTarget.parse(text) for text in args.targets])
    except (LookupError, SourceError) as error:
        print(f"hybridize-lint: error: {getattr(error, 'message', error)}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(render_json(explanations) if args.output_format == "json" else render_text(explanations))
    return EXIT_CLEAN


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("needs at least 1 process")
    return value


def _codes(text: str) -> tuple[str, ...]:
    try:
        return prefix_list("codes", [item.strip() for item in text.split(",") if item.strip()])
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("codes: ")) from error


def _check(args: argparse.Namespace) -> int:
    if args.diff and args.add_noqa:
        print("hybridize-lint: error: --diff and --add-noqa cannot be combined", file=sys.stderr)
        return EXIT_ERROR
    resolver = _settings_resolver(args)
    stdin = args.stdin_filename is not None
    options = RunOptions(fix=args.fix or args.diff, unsafe_fixes=args.unsafe_fixes, add_noqa=args.add_noqa, force_exclude=args.force_exclude, use_cache=not args.no_cache,
                         jobs=args.jobs or default_jobs())
    targets = [args.stdin_filename] if stdin else args.paths or [Path(".")]
    if stdin:
        try:
            stdin_source = _read_stdin(args.stdin_filename)
        except SourceError as error:  # nothing sensible to lint, and nothing safe to echo back
            print(f"hybridize-lint: error: {args.stdin_filename}: {error}", file=sys.stderr)
            return EXIT_ERROR
        report = _lint_stdin(args, stdin_source, resolver, options)
    else:
        report = lint(targets, resolver, options)
        if (args.fix or args.add_noqa) and not args.diff:  # stdin's fixed source goes to stdout instead
            write_fixes(report)

    stdin_fixed = stdin and args.fix and not args.diff
    if stdin_fixed:  # like ruff: the fixed source goes to stdout, findings to stderr
        _echo_fixed_stdin(report, stdin_source)
    nothing_found = not report.files and not stdin and not report.internal_errors
    if nothing_found:  # as ruff: a warning, not "All checks passed!" over no file at all
        print("hybridize-lint: warning: No Python files found under the given path(s)", file=sys.stderr)
    if args.diff:
        _print_diff(report)
    elif args.add_noqa:
        _print_added_noqa(args, report)
    else:
        _print_findings(args, report, resolver, targets, sys.stderr if stdin_fixed else sys.stdout, nothing_found)
    errors = [error for file_report in report.files for error in file_report.errors] + report.internal_errors
    for error in errors:
        print(f"hybridize-lint: error: {error}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if args.diff:
        return EXIT_FINDINGS if any(f.changed for f in report.files) else EXIT_CLEAN
    if report.diagnostics and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _settings_resolver(args: argparse.Namespace) -> SettingsResolver:
    """The settings of each path: the configuration files, ``--config`` and the command line's rule options."""
    overrides = {}
    if (args.select, args.extend_select, args.ignore) != (None, None, None):
        overrides["cli_selection"] = RuleSelection(args.select, args.extend_select or (), args.ignore or ())
    if args.unsafe_fixes is not None:
        overrides["unsafe_fixes"] = args.unsafe_fixes
    config_file, inline = parse_config_arguments(args.config)
    return SettingsResolver(config_file=config_file, overrides=overrides, inline=inline)


def _lint_stdin(args: argparse.Namespace, stdin_source: SourceFile, resolver: SettingsResolver, options: RunOptions) -> RunReport:
    if args.force_exclude and _excluded(resolver, args.stdin_filename):
        return RunReport()  # as for an excluded file on disk: nothing to report, source echoed as is
    text = stdin_source.notebook.text if stdin_source.notebook is not None else stdin_source.text
    return lint_text(args.stdin_filename, text, resolver, options)


def _echo_fixed_stdin(report: RunReport, stdin_source: SourceFile) -> None:
    file_report = report.files[0] if report.files else None
    fixed = file_report.fixed_text if file_report is not None else None
    # A file that could not be fixed (e.g. a syntax error) is echoed unchanged, never emptied.
    _write_source(stdin_source, fixed if fixed is not None else stdin_source.text)


def _print_diff(report: RunReport) -> None:
    """``--diff``: the fixes as a patch on stdout."""
    diff_text = _unified_diffs(report)
    sys.stdout.write(diff_text)
    for note in _notes(report):
        print(note, file=sys.stderr)
    would_fix = sum(file_report.fixed_count for file_report in report.files if file_report.changed)
    if would_fix:  # as ruff: the count goes to stderr, so stdout stays a patch
        print(f"Would fix {would_fix} {'error' if would_fix == 1 else 'errors'}.", file=sys.stderr)


def _print_added_noqa(args: argparse.Namespace, report: RunReport) -> None:
    """``--add-noqa``: how many directives were added, and what they leave."""
    added = sum(file_report.added_noqa for file_report in report.files)
    changed = sum(1 for file_report in report.files if file_report.added_noqa and file_report.changed)
    if added:
        print(f"Added {added} noqa {'directive' if added == 1 else 'directives'} "
              f"in {changed} {'file' if changed == 1 else 'files'}.", file=sys.stderr)
    else:
        print("No noqa directives added.", file=sys.stderr)
    remaining = render(report, args.output_format, ReportOptions(quiet=True), rules_by_code())
    if remaining:
        sys.stdout.write(remaining)
    for note in _notes(report):
        print(note, file=sys.stderr)


def _print_findings(args: argparse.Namespace, report: RunReport, resolver: SettingsResolver, targets: list,
                    stream, nothing_found: bool) -> None:
    if args.unsafe_fixes is not None:
        unsafe = args.unsafe_fixes
    else:  # `unsafe-fixes = true` in the config decides which fixes `[*]` marks
        unsafe = any(resolver.for_path(path).unsafe_fixes for path in targets)
    output = render(report, args.output_format,
                    ReportOptions(unsafe_fixes=unsafe, fix_mode=args.fix, statistics=args.statistics,
                                  quiet=args.quiet), rules_by_code())
    if output and not nothing_found:
        stream.write(output if output.endswith("\n") else output + "\n")
    for note in _notes(report):
        print(note, file=sys.stderr)


def _notes(report) -> list[str]:
    return [f"hybridize-lint: warning: {file_report.path}: {note}"
            for file_report in report.files for note in file_report.notes]


def _excluded(resolver: SettingsResolver, path: Path) -> bool:
    settings = resolver.for_path(path, fallback_root=project_anchor(path))
    return is_excluded(path, root=settings.root, exclude=settings.exclude, extend_exclude=settings.extend_exclude)


def _read_stdin(name: Path) -> SourceFile:
    """Source from stdin, decoded as a file would be (PEP 263 cookie, BOM), keeping its line endings;
    named ``*.ipynb``, a notebook (its fixed form goes back out as the notebook's JSON)."""
    path = Path("-").with_name("-" + name.suffix) if name.suffix.lower() == ".ipynb" else Path("-")
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # already text (an editor integration or a test)
        return SourceFile.from_text(path, sys.stdin.read())
    return SourceFile.from_bytes(path, buffer.read())


def _write_source(source: SourceFile, text: str) -> None:
    """Fixed stdin goes back in the bytes it came in: same encoding, same BOM."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(source.encode(text))
    buffer.flush()


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _unified_diffs(report) -> str:
    chunks = []
    for file_report in report.files:
        if not file_report.changed or file_report.original_text is None:
            continue
        if file_report.changed_cells:  # a notebook: one diff per edited cell, as ruff shows them
            pairs = [(f"{file_report.path}:cell {number}", before, after)
                     for number, before, after in file_report.changed_cells]
        else:
            pairs = [(str(file_report.path), file_report.original_text, file_report.fixed_text)]
        for name, before, after in pairs:
            diff = difflib.unified_diff(_diff_lines(before), _diff_lines(after), fromfile=f"a/{name}",
                                        tofile=f"b/{name}")
            # Like git: a last line without a line break is marked, not glued to the next diff line.
            chunks.extend(line if line.endswith(("\n", "\r")) else f"{line}\n\\ No newline at end of file\n"
                          for line in diff)
    return "".join(chunks)


def _diff_lines(text: str) -> list[str]:
    """Lines split on Python's line breaks only (str.splitlines also splits on form feeds)."""
    return _LINE.findall(text)


def _list_rules() -> int:
    print(f"# {LEGEND}; no marker: no automatic fix")
    for rule in load_rules():
        print(f"{rule.code} {rule_marker(rule.fix) or '   '} {rule.name:<40} {rule.summary}")
    return EXIT_CLEAN


def _show_rule(code: str) -> int:
    rule = rules_by_code().get(code.upper())
    if rule is None:
        print(f"hybridize-lint: error: unknown rule {code!r} (see `hybridize-lint rules`)", file=sys.stderr)
        return EXIT_ERROR
    print(rule_markdown(rule))
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
