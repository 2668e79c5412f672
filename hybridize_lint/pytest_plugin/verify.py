"""``--hybridize-verify``: the linter's hybridization proposals tried on the project's own tests.

The ordinary run (this process) is the baseline. A child pytest process then runs the same tests with every
proposal applied in memory: an import hook compiles each edited module from the fix's text (no file is
written) and primes ``linecache`` with it, so AutoGraph reads the code it runs. A test that passes in the
baseline and fails in the child refutes a proposal; when several proposals are applied at once the culprit
is found by bisection, re-running only that test. The child also counts traces and calls of each proposal,
and measures eager against graph time per call by replaying the last call the tests made.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import json
import linecache
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..diagnostics import Edit, Position
from ..fixing import apply_edits
from ..source import SourceFile
from .static import PROPOSAL_CODES, function_at, lint_project
from .summary import SCHEMA_VERSION, VERIFY_SCHEMA, verify_lines

MAX_CHILD_RUNS = 12
CHILD_TIMEOUT = 3600
REPLAY_CALLS = 5
HIT = "__hybridize_lint_hit__"
OUR_OPTIONS = ("--hybridize-verify", "--hybridize-audit", "--hybridize-verify-child", "--basetemp")


# -- the parent: proposals, child runs, verdicts ------------------------------------------------------------

def proposals_of(root: Path) -> list[dict]:
    proposals = []
    for finding in lint_project(root):
        if finding.code not in PROPOSAL_CODES or finding.diagnostic.fix is None:
            continue
        path = finding.diagnostic.path.resolve()
        proposals.append({
            "id": f"{finding.code}:{finding.file}:{finding.line}", "code": finding.code, "file": finding.file,
            "path": str(path), "line": finding.line, "qualname": function_at(path, finding.line) or "?",
            "edits": [[edit.start, edit.end, edit.content] for edit in finding.diagnostic.fix.edits],
        })
    return proposals


def verify(config, root: Path, baseline: dict[str, dict], report_path: Path) -> tuple[dict, list[str]]:
    proposals = proposals_of(root)
    runner = _Runner(config, root, proposals)
    verdicts: dict[str, dict] = {}
    if proposals:
        everything = runner.run([p["id"] for p in proposals], None)
        newly_failing = sorted(test for test, outcome in everything["outcomes"].items()
                               if outcome["outcome"] == "failed"
                               and baseline.get(test, {}).get("outcome") == "passed")
        culprits: dict[str, list[tuple[str, str, list[str]]]] = {}
        for test in newly_failing:
            candidates = [p["id"] for p in proposals if test in everything["exercised"].get(p["id"], [])]
            found, error = runner.bisect(candidates or [p["id"] for p in proposals], test,
                                         everything["outcomes"][test]["error"])
            for pid in found:
                culprits.setdefault(pid, []).append((test, error, [other for other in found if other != pid]))
        for proposal in proposals:
            pid = proposal["id"]
            tests = sorted(everything["exercised"].get(pid, []))
            if pid in culprits:
                test, error, together = culprits[pid][0]
                evidence = {"test": test, "error": error, "tests": tests}
                if together:
                    evidence["only_together_with"] = together
                verdicts[pid] = {"status": "refuted", "evidence": evidence}
            elif tests:
                evidence = {"tests": tests, "traces": everything["traces"].get(pid),
                            "calls": everything["calls"].get(pid)}
                evidence.update(everything["timing"].get(pid, {}))
                others = [test for test in tests if test in newly_failing]
                if others:
                    evidence["failing_because_of_other_proposals"] = others
                verdicts[pid] = {"status": "confirmed", "evidence": evidence}
            else:
                verdicts[pid] = {"status": "not-exercised", "evidence": {"tests": []}}
    document = {
        "schema": VERIFY_SCHEMA, "version": SCHEMA_VERSION,
        "proposals": [{"qualname": p["qualname"], "file": p["file"], "line": p["line"], "code": p["code"],
                       **verdicts[p["id"]]} for p in proposals],
        "child_runs": runner.runs, "errors": runner.errors,
    }
    report_path.write_text(json.dumps(document, indent=2) + "\n")
    _store_verdicts(root, proposals, verdicts)
    return document, verify_lines(document) + [f"  {error}" for error in runner.errors]


def _store_verdicts(root: Path, proposals: list[dict], found: dict[str, dict]) -> None:
    """Keep the verdicts in the project's analysis cache, for ``check`` and ``explain``."""
    from .. import verdicts
    from ..engine import project_anchor
    from ..config import SettingsResolver

    by_project: dict[Path, dict] = {}
    for proposal in proposals:
        path = Path(proposal["path"])
        key = verdicts.function_key(path.read_text(encoding="utf-8"), proposal["line"])
        verdict = found.get(proposal["id"])
        if key is None or verdict is None:
            continue
        evidence = verdict["evidence"]
        project = SettingsResolver().for_path(path, fallback_root=project_anchor(path)).root
        by_project.setdefault(project, {})[(proposal["code"], key)] = verdicts.TestVerdict(
            verdict["status"], proposal["code"], proposal["qualname"], evidence.get("speedup"),
            evidence.get("test"), evidence.get("error"))
    for project, entries in by_project.items():
        verdicts.store(project, entries)


class _Runner:
    """Runs pytest in a child process with some proposals applied, at most ``MAX_CHILD_RUNS`` times."""

    def __init__(self, config, root: Path, proposals: list[dict]):
        self.root = root
        self.proposals = proposals
        self.args = _child_args(list(config.invocation_params.args))
        self.cwd = Path(config.invocation_params.dir)
        self.runs = 0
        self.errors: list[str] = []
        self._cache: dict[tuple, dict] = {}

    def run(self, applied: list[str], tests: list[str] | None) -> dict:
        key = (tuple(sorted(applied)), tuple(tests or ()))
        if key in self._cache:
            return self._cache[key]
        empty = {"outcomes": {}, "exercised": {}, "traces": {}, "calls": {}, "timing": {}}
        if self.runs >= MAX_CHILD_RUNS:
            self.errors.append(f"stopped after {MAX_CHILD_RUNS} child runs")
            return empty
        self.runs += 1
        with tempfile.TemporaryDirectory(prefix="hybridize-verify-") as folder:
            spec, output = Path(folder) / "spec.json", Path(folder) / "result.json"
            spec.write_text(json.dumps({"proposals": self.proposals, "apply": list(applied), "output": str(output),
                                        "time": tests is None}))
            args = list(tests) if tests is not None else self.args
            cwd = self.root if tests is not None else self.cwd
            # One argument each: pytest takes a separate option value for a path when it looks for the rootdir.
            command = [sys.executable, "-m", "pytest", *args, f"--hybridize-verify-child={spec}",
                       "-p", "no:cacheprovider", "-q", f"--rootdir={self.root}"]
            environment = {**os.environ, "HYBRIDIZE_LINT_VERIFY_CHILD": "1"}
            environment.pop("PYTEST_ADDOPTS", None)
            try:
                completed = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True,
                                           timeout=CHILD_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.errors.append(f"a child run timed out after {CHILD_TIMEOUT} s")
                return empty
            if not output.exists():
                tail = (completed.stdout + completed.stderr).strip().splitlines()[-3:]
                self.errors.append("a child run wrote no result: " + " | ".join(tail))
                return empty
            result = json.loads(output.read_text())
        self._cache[key] = result
        return result

    def bisect(self, candidates: list[str], test: str, error: str | None) -> tuple[list[str], str | None]:
        """The smallest group of ``candidates`` found that still fails ``test`` (one proposal when possible)."""
        while len(candidates) > 1 and self.runs < MAX_CHILD_RUNS:
            half = len(candidates) // 2
            for part in (candidates[:half], candidates[half:]):
                outcome = self.run(part, [test])["outcomes"].get(test)
                if outcome and outcome["outcome"] == "failed":
                    candidates, error = part, outcome["error"]
                    break
            else:
                break  # neither half alone: they fail only together
        return candidates, error


def _child_args(args: list[str]) -> list[str]:
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            if arg.endswith(".json") or not arg.startswith("-") and arg.startswith("/tmp"):
                continue
        if arg.startswith(OUR_OPTIONS):
            skip = "=" not in arg and arg in ("--hybridize-verify", "--hybridize-audit", "--basetemp",
                                              "--hybridize-verify-child")
            continue
        kept.append(arg)
    return kept


# -- the child: proposals applied at import -----------------------------------------------------------------

class Child:
    """In the child process: compiles the edited modules, and watches the proposals the tests exercise."""

    def __init__(self, spec: dict, auditor):
        self.spec = spec
        self.auditor = auditor
        self.current_test: str | None = None
        applied = set(spec["apply"])
        self.proposals = [p for p in spec["proposals"] if p["id"] in applied]
        self.by_function = {(p["path"], p["qualname"]): p["id"] for p in self.proposals}
        self.exercised: dict[str, set[str]] = {}
        self.calls: dict[str, int] = {}
        self.last_call: dict[str, tuple] = {}
        self.texts: dict[str, str] = {}
        self._replaying = False

    def install(self) -> None:
        by_file: dict[str, list[dict]] = {}
        for proposal in self.proposals:
            by_file.setdefault(proposal["path"], []).append(proposal)
        codes = {}
        for path, proposals in by_file.items():
            source = SourceFile.read(Path(path))
            edits = sorted({tuple(edit) for proposal in proposals for edit in proposal["edits"]})
            text = apply_edits(source, [Edit(start, end, content, Position(1, 1), Position(1, 1))
                                        for start, end, content in edits])
            self.texts[path] = text
            codes[path] = _compile_with_hits(text, path, {p["qualname"]: p["id"] for p in proposals})
        self.prime_linecache()
        import builtins

        setattr(builtins, HIT, self.hit)  # the injected calls find it whatever the module's globals
        sys.meta_path.insert(0, _EditedFinder(codes))
        if self.auditor is not None:
            self.auditor.on_function = self.on_function
            self._patch_calls()

    def prime_linecache(self) -> None:
        for path, text in self.texts.items():
            linecache.cache[path] = (len(text), None, text.splitlines(keepends=True), path)

    def hit(self, pid: str) -> None:
        if not self._replaying:
            self.exercised.setdefault(pid, set()).add(self.current_test or "<collection>")

    def on_function(self, function_object) -> None:
        original = _audited(function_object.python_function)
        if original is None:
            return
        pid = self.by_function.get((os.path.realpath(original.__code__.co_filename), original.__qualname__))
        if pid is not None:
            function_object._hybridize_proposal = pid

    def _patch_calls(self) -> None:
        from tensorflow.python.eager.polymorphic_function import polymorphic_function

        function_class = polymorphic_function.Function
        original_call = function_class.__call__
        child = self

        def __call__(function_object, *args, **kwargs):
            pid = function_object.__dict__.get("_hybridize_proposal")
            if pid is None or child._replaying:
                return original_call(function_object, *args, **kwargs)
            child.hit(pid)
            child.calls[pid] = child.calls.get(pid, 0) + 1
            child.last_call[pid] = (function_object, args, kwargs)
            return original_call(function_object, *args, **kwargs)

        function_class.__call__ = __call__
        self._restore = (function_class, original_call)

    def uninstall(self) -> None:
        if getattr(self, "_restore", None):
            self._restore[0].__call__ = self._restore[1]
        for finder in [finder for finder in sys.meta_path if isinstance(finder, _EditedFinder)]:
            sys.meta_path.remove(finder)

    def finish(self, outcomes: dict[str, dict]) -> None:
        timing = self._replay() if self.spec.get("time") else {}
        traces = {}
        if self.auditor is not None:
            for record in self.auditor.records.values():
                for proposal in self.proposals:
                    if proposal["file"] == record.file and proposal["qualname"] == record.qualname:
                        traces[proposal["id"]] = traces.get(proposal["id"], 0) + len(record.traces)
        Path(self.spec["output"]).write_text(json.dumps({
            "outcomes": outcomes, "exercised": {pid: sorted(tests) for pid, tests in self.exercised.items()},
            "traces": traces, "calls": self.calls, "timing": timing,
            "errors": self.auditor.errors if self.auditor else [],
        }))

    def _replay(self) -> dict[str, dict]:
        """Eager against graph time per call, on the last arguments the tests passed (after the tests)."""
        import tensorflow as tf

        timing = {}
        self._replaying = True
        try:
            for pid, (function_object, args, kwargs) in self.last_call.items():
                try:
                    function_object(*args, **kwargs)  # the trace for these arguments, if any, is not timed
                    graph = _median_call(function_object, args, kwargs)
                    tf.config.run_functions_eagerly(True)
                    try:
                        eager = _median_call(function_object, args, kwargs)
                    finally:
                        tf.config.run_functions_eagerly(False)
                except Exception as error:  # a call that cannot be repeated: no timing, still a verdict
                    timing[pid] = {"timing_error": f"{type(error).__name__}: {error}"[:200]}
                    continue
                timing[pid] = {"eager_ms": eager * 1e3, "graph_ms": graph * 1e3,
                               "speedup": eager / graph if graph > 0 else None}
        finally:
            self._replaying = False
        return timing


def _median_call(function_object, args, kwargs) -> float:
    times = []
    for _ in range(REPLAY_CALLS):
        start = time.perf_counter()
        function_object(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _audited(function):
    """The project function behind a tf.function's ``python_function`` (through bound methods, TF decorators)."""
    for _ in range(8):
        if function is None:
            return None
        original = getattr(function, "__hybridize_audited__", None)
        if original is not None:
            return original
        decorator = getattr(function, "_tf_decorator", None)
        if decorator is not None:
            function = decorator.decorated_target
        elif hasattr(function, "__func__"):
            function = function.__func__
        else:
            function = getattr(function, "__wrapped__", None)
    return None


def _compile_with_hits(text: str, path: str, hits: dict[str, str]):
    """The edited module's code, with a call recording each proposal's execution as its first statement.

    The call sits on the line of the statement it precedes, so every line number stays the file's.
    """
    tree = ast.parse(text, filename=path)

    def visit(body, prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + node.name
                if name in hits and node.body:
                    docstring = isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant) \
                        and isinstance(node.body[0].value.value, str)
                    at = 1 if docstring and len(node.body) > 1 else 0
                    call = ast.Expr(ast.Call(ast.Name(HIT, ast.Load()), [ast.Constant(hits[name])], []))
                    node.body.insert(at, ast.copy_location(call, node.body[at]))
                    ast.fix_missing_locations(node)
                visit(node.body, name + ".<locals>.")
            elif isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".")

    visit(tree.body, "")
    return compile(tree, path, "exec", dont_inherit=True)


class _EditedFinder(importlib.abc.MetaPathFinder):
    def __init__(self, codes: dict[str, object]):
        self.codes = {os.path.realpath(path): code for path, code in codes.items()}

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None:
            return None
        code = self.codes.get(os.path.realpath(spec.origin))
        if code is None:
            return None
        spec.loader = _EditedLoader(fullname, spec.origin, code)
        return spec


class _EditedLoader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname: str, path: str, code):
        super().__init__(fullname, path)
        self._code = code

    def get_code(self, fullname):
        return self._code

    def get_source(self, fullname):
        return "".join(linecache.getlines(self.path))
