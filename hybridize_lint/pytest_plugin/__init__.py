"""pytest plugin: the project's own tests as evidence for or against hybridize-lint's findings.

``pytest --hybridize-audit[=PATH]`` records every ``tf.function`` the tests trace, why each retrace happened and
the Python effects that ran while tracing, matched to the static findings; ``pytest --hybridize-verify[=PATH]``
re-runs the tests with the linter's hybridization proposals applied in memory and gives each a verdict.

Registered through the ``pytest11`` entry point and inert without its options: this module imports only the
standard library and pytest; TensorFlow and the linter's engine are imported once an option is given.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pytest

DEFAULT_AUDIT = "hybridize-audit.json"
DEFAULT_VERIFY = "hybridize-verify.json"
_KEY = "hybridize_lint_plugin"


def pytest_addoption(parser) -> None:
    group = parser.getgroup("hybridize-lint", "hybridize-lint: confirm static findings at run time")
    group.addoption("--hybridize-audit", nargs="?", const=DEFAULT_AUDIT, default=None, metavar="PATH",
                    help="record tf.function traces, retrace causes and trace-time Python effects; write them "
                         f"to PATH (a .json file, default {DEFAULT_AUDIT})")
    group.addoption("--hybridize-verify", nargs="?", const=DEFAULT_VERIFY, default=None, metavar="PATH",
                    help="run the tests again with hybridize-lint's HYB301/HYB302/HYB401/HYB402 proposals applied "
                         f"in memory and give each a verdict; write them to PATH (default {DEFAULT_VERIFY})")
    group.addoption("--hybridize-verify-child", default=None, help=argparse.SUPPRESS)


def _report_path(config, option: str, default: str) -> Path | None:
    value = config.getoption(option)
    if value is None:
        return None
    if not value.endswith(".json"):  # `--hybridize-audit tests/`: argparse took the test path as ours
        if config.args_source == pytest.Config.ArgsSource.ARGS:
            config.args.append(value)
        else:
            config.args[:] = [value]
        value = default
    path = Path(value)
    return path if path.is_absolute() else Path(config.invocation_params.dir) / path


@pytest.hookimpl(trylast=True)
def pytest_configure(config) -> None:
    child = config.getoption("--hybridize-verify-child")
    audit = _report_path(config, "--hybridize-audit", DEFAULT_AUDIT)
    verify = _report_path(config, "--hybridize-verify", DEFAULT_VERIFY)
    if not (child or audit or verify):
        return
    plugin = _Plugin(config, audit, verify, child)
    config.pluginmanager.register(plugin, _KEY)
    plugin.start()


class _Plugin:
    """The active plugin; every hook swallows its own errors into one reported line."""

    def __init__(self, config, audit: Path | None, verify: Path | None, child: str | None):
        self.config = config
        self.audit_path = audit
        self.verify_path = verify
        self.child_spec = child
        self.root = Path(config.rootpath)
        self.auditor = None
        self.child = None
        self.errors: list[str] = []
        self.outcomes: dict[str, dict] = {}
        self.pid = os.getpid()
        self.worker = getattr(config, "workerinput", {}).get("workerid")
        self.started = time.time()
        self.lines: list[str] = []
        self.background_lint = None

    def fail(self, stage: str, error: BaseException) -> None:
        self.errors.append(f"hybridize-lint plugin: internal error while {stage}: {type(error).__name__}: {error}")

    def start(self) -> None:
        try:
            if self.audit_path is not None or self.child_spec is not None:
                from .audit import Auditor

                self.auditor = Auditor(str(self.root))
                self.auditor.install()
            if self.audit_path is not None and self.worker is None and self.child_spec is None:
                from .static import BackgroundLint

                self.background_lint = BackgroundLint(self.root)
            if self.child_spec is not None:
                from .verify import Child

                self.child = Child(json.loads(Path(self.child_spec).read_text()), self.auditor)
                self.child.install()
        except Exception as error:  # the tests run, without the audit
            self.auditor = self.child = None
            self.fail("starting", error)

    # -- per test -------------------------------------------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if self.auditor is not None:
            self.auditor.current_test = item.nodeid
        if self.child is not None:
            self.child.current_test = item.nodeid
            self.child.prime_linecache()  # something may have cleared it; AutoGraph must read the edited code
        yield
        if self.auditor is not None:
            self.auditor.current_test = None

    def pytest_runtest_logreport(self, report) -> None:
        entry = self.outcomes.setdefault(report.nodeid, {"outcome": "passed", "error": None})
        if report.failed and entry["outcome"] != "failed":
            entry["outcome"] = "failed"
            entry["error"] = _first_line(report)
        elif report.skipped and report.when in ("setup", "call") and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"

    # -- at the end -----------------------------------------------------------------------------------------

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if os.getpid() != self.pid:  # a forked test process: its parent writes the report
            return
        if self.child is not None:
            try:
                self.child.finish(self.outcomes)
            except Exception as error:
                self.fail("writing the verify child's results", error)
            return
        if self.auditor is not None and self.audit_path is not None:
            try:
                self._finish_audit()
            except Exception as error:
                self.fail("writing the audit report", error)
        if self.verify_path is not None and self.worker is None:
            try:
                from .verify import verify

                document, lines = verify(self.config, self.root, self.outcomes, self.verify_path)
                self.lines += ["hybridize-lint verify:", *lines, f"verdicts written to {self.verify_path}"]
            except Exception as error:
                self.fail("verifying proposals", error)

    def _finish_audit(self) -> None:
        functions = self.auditor.report()
        errors = [*self.auditor.errors]
        if self.worker is not None:  # pytest-xdist worker: the controller merges the parts
            part = self.audit_path.with_name(f"{self.audit_path.name}.{self.worker}.part")
            part.write_text(json.dumps({"functions": functions, "errors": errors}))
            return
        from .static import Matcher, lint_project
        from .summary import audit_document, audit_lines, merge_functions

        parts = [functions]
        for part in sorted(self.audit_path.parent.glob(f"{self.audit_path.name}.*.part")):
            if part.stat().st_mtime >= self.started - 1:
                loaded = json.loads(part.read_text())
                parts.append(loaded["functions"])
                errors += loaded["errors"]
            part.unlink()
        try:
            if self.background_lint is not None:
                try:
                    findings = self.background_lint.findings()
                except Exception:  # the process could not start or died: lint here
                    findings = lint_project(self.root, include_tests=True)
            else:
                findings = lint_project(self.root, include_tests=True)
            matcher = Matcher(findings)
        except Exception as error:  # a report without the static side beats no report
            matcher = None
            errors.append(f"static analysis failed: {type(error).__name__}: {error}")
        document = audit_document(merge_functions(parts), matcher, errors)
        self.audit_path.write_text(json.dumps(document, indent=2) + "\n")
        self.lines += ["hybridize-lint audit:", *audit_lines(document), f"report written to {self.audit_path}"]

    def pytest_unconfigure(self, config) -> None:
        if self.background_lint is not None:
            self.background_lint.cancel()
        for part in (self.child, self.auditor):
            if part is not None:
                try:
                    part.uninstall()
                except Exception as error:
                    self.fail("uninstalling", error)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.lines and not self.errors:
            return
        terminalreporter.section("hybridize-lint")
        for line in self.lines:
            terminalreporter.write_line(line)
        for line in self.errors:
            terminalreporter.write_line(line)
        if self.auditor is not None:
            for message in self.auditor.errors:
                terminalreporter.write_line(f"hybridize-lint plugin: internal error while auditing: {message}")


def _first_line(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    lines = [line.strip() for line in (crash.message if crash is not None else str(report.longrepr)).splitlines()
             if line.strip()]
    if not lines:
        return ""
    if lines[0].endswith("in user code:"):  # TensorFlow's staging error: the real error is its last line
        kind = lines[0].split(":")[0]
        return lines[-1] if lines[-1].startswith(kind) else f"{kind}: {lines[-1]}"
    return lines[0]
