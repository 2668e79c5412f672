"""Snapshot everything the linter says about a set of trees, and compare two snapshots byte for byte.

A refactoring that must not change behaviour is checked with it: take a snapshot before, one
after, and compare::

    python bench/compare_outputs.py snapshot /tmp/before      # at the branch point
    python bench/compare_outputs.py snapshot /tmp/after       # after the change
    python bench/compare_outputs.py compare /tmp/before /tmp/after

The linter measured is the ``hybridize_lint`` this interpreter imports: to snapshot another checkout
(the branch point, ``main``) with this script, put it first on the path:
``PYTHONPATH=/path/to/that/checkout python bench/compare_outputs.py snapshot /tmp/before``.

Inputs: the benchmark corpus (``../shared/corpus``, fetched with its ``fetch.sh``; one project per
package) and the conformance cases (``../shared/conformance/cases``, one project per case). Each
snapshot copies them into a scratch directory first, so no analysis cache of an earlier run (or
of another checkout) can answer for the code under test, and nothing is written next to the
inputs. For each project it records, with ``cwd`` the project and the path ``.``:

- ``check``: ``check --output-format json --select HYB --no-cache`` (every rule on by default; the opt-in HYB302 stays off, since a bare ``HYB`` prefix does not enable off-by-default rules);
- ``fix``: ``check --select HYB --fix --unsafe-fixes --diff --no-cache`` (every fix as a diff);
- ``check-warm`` (with ``--warm``): ``check`` again from the analysis cache a first run filled, so
  what summaries read back from the cache say is compared too;
- ``explain``: ``explain FILE...`` for every Python file of a case, and for the first 12 files of a
  corpus package that spell ``tf.function`` (``--explain-files``; text output).

All runs go through ``hybridize_lint.cli.main`` in one interpreter (``-j 1`` for the small
cases, ``-j N`` for the corpus). It records stdout, stderr and the exit code of each, with the scratch directory's path replaced by
``<ROOT>`` so snapshots taken from different scratch directories compare equal.

One field is normalised on purpose: the JSON ``url`` of a finding (the rule's documentation page),
which is a ``file://`` path into the checkout that runs the linter (so it differs between
worktrees) and which the architecture work gives to every rule. It is replaced by ``<URL>`` when
set; ``null`` stays ``null``. Nothing else is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEFAULT_CORPUS = Path("/tmp/arch_corpus/src")
DEFAULT_CASES = SHARED / "conformance" / "cases"
CACHE_DIR_NAME = ".hybridize_lint_cache"
ROOT_MARK = "<ROOT>"
URL_MARK = "<URL>"


def _projects(corpus: Path | None, cases: Path | None) -> list[tuple[str, Path]]:
    projects = []
    if corpus is not None:
        projects += [(f"corpus/{path.name}", path) for path in sorted(corpus.iterdir()) if path.is_dir()]
    if cases is not None:
        projects += [(f"cases/{path.name}", path) for path in sorted(cases.iterdir()) if path.is_dir()]
    return projects


def _copy(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(CACHE_DIR_NAME, "__pycache__"))


def _python_files(project: Path, graph_code_only: bool, limit: int) -> list[str]:
    """The files to explain: all of a conformance case; of a corpus package, the first ``limit`` (in
    path order) that spell ``tf.function``: ``explain`` analyses the whole project once per file, so
    all 2,280 files would take hours and the 156 graph-code files a quarter of an hour."""
    files = []
    for directory, subdirectories, names in os.walk(project):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        files += [os.path.relpath(os.path.join(directory, name), project) for name in sorted(names)
                  if name.endswith((".py", ".ipynb"))]
    if graph_code_only:
        files = [name for name in files if b"tf.function" in (project / name).read_bytes()][:limit]
    return files


def _run(arguments: list[str], cwd: Path, root: Path) -> str:
    """One command, in this process (the interpreter starts once per snapshot, not once per run)."""
    from hybridize_lint.cli import main as cli_main

    started = time.monotonic()
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli_main(arguments)
    finally:
        os.chdir(previous)
    elapsed = time.monotonic() - started
    out = stdout.getvalue().replace(str(root), ROOT_MARK)
    err = stderr.getvalue().replace(str(root), ROOT_MARK)
    print(f"  {' '.join(arguments[:2])[:40]:<40} {elapsed:6.1f}s exit {code}", file=sys.stderr)
    return f"exit: {code}\n--- stdout\n{out}\n--- stderr\n{err}"


def _normalise_check(record: str) -> str:
    head, _, rest = record.partition("--- stdout\n")
    stdout, separator, tail = rest.partition("\n--- stderr\n")
    try:
        findings = json.loads(stdout)
    except json.JSONDecodeError:
        return record
    for finding in findings:
        if finding.get("url") is not None:
            finding["url"] = URL_MARK
    return f"{head}--- stdout\n{json.dumps(findings, indent=1, sort_keys=True)}{separator}{tail}"


def _snapshot_project(name: str, project: Path, root: Path, jobs: int, explain_limit: int,
                      warm: bool = False) -> dict[str, str]:
    print(f"{name}", file=sys.stderr)
    select = ["--select", "HYB", "--no-cache", "-j", str(jobs)]
    record = {"check": _normalise_check(_run(["check", "--output-format", "json", *select, "."], project, root)),
              "fix": _run(["check", "--fix", "--unsafe-fixes", "--diff", *select, "."], project, root)}
    if warm:  # the same findings from summaries read back from the analysis cache
        _run(["check", "--output-format", "json", "--select", "HYB", "-j", str(jobs), "."], project, root)
        record["check-warm"] = _normalise_check(_run(["check", "--output-format", "json", "--select", "HYB",
                                                      "-j", str(jobs), "."], project, root))
        shutil.rmtree(project / CACHE_DIR_NAME, ignore_errors=True)
    files = _python_files(project, graph_code_only=name.startswith("corpus/"), limit=explain_limit)
    record["explain"] = _run(["explain", *files], project, root) if files else "no files\n"
    shutil.rmtree(project / CACHE_DIR_NAME, ignore_errors=True)  # explain writes one
    return record


def snapshot(output: Path, corpus: Path | None, cases: Path | None, jobs: int, explain_limit: int,
             warm: bool = False) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hybridize-compare-") as scratch:
        root = Path(scratch).resolve()
        copies = []
        for name, source in _projects(corpus, cases):
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy(source, target)
            copies.append((name, str(target)))
        (root / "jobs.json").write_text(json.dumps({"root": str(root), "jobs": jobs, "explain_limit": explain_limit, "warm": warm,
                                                      "projects": copies}))
        environment = dict(os.environ, HYBRIDIZE_LINT_CACHE_KEY=str(root / "cache-key"), PYTHONHASHSEED="0")
        started = time.monotonic()
        subprocess.run([sys.executable, __file__, "_worker", str(root / "jobs.json"), str(output)], env=environment,
                       check=True)
        print(f"snapshot of {len(copies)} projects in {time.monotonic() - started:.0f}s: {output}", file=sys.stderr)


def _worker(job_file: Path, output: Path) -> None:
    """Runs every project of a snapshot in one interpreter (started by :func:`snapshot` with a fixed
    hash seed and a cache key of its own)."""
    spec = json.loads(job_file.read_text())
    import hybridize_lint

    print(f"linting with {Path(hybridize_lint.__file__).parent}", file=sys.stderr)
    root = Path(spec["root"])
    for name, project in spec["projects"]:
        jobs = spec["jobs"] if name.startswith("corpus/") else 1
        record = _snapshot_project(name, Path(project), root, jobs, spec["explain_limit"], spec.get("warm", False))
        for kind, text in record.items():
            path = output / name / f"{kind}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogateescape")


def compare(before: Path, after: Path) -> int:
    names = sorted({path.relative_to(before).as_posix() for path in before.rglob("*.txt")}
                   | {path.relative_to(after).as_posix() for path in after.rglob("*.txt")})
    different = []
    for name in names:
        left, right = before / name, after / name
        if not (left.is_file() and right.is_file()) or left.read_bytes() != right.read_bytes():
            different.append(name)
    for name in different[:20]:
        left, right = before / name, after / name
        lines = lambda path: path.read_text(encoding="utf-8", errors="replace").splitlines(True) if path.is_file() else []  # noqa: E731
        sys.stdout.writelines(list(difflib.unified_diff(lines(left), lines(right), f"before/{name}", f"after/{name}"))[:60])
    projects = len({name.rsplit("/", 1)[0] for name in names})
    if different:
        print(f"DIFFERENT: {len(different)} of {len(names)} outputs ({projects} projects) differ")
        return 1
    print(f"IDENTICAL: {len(names)} outputs ({projects} projects: check, fix, explain) byte for byte "
          f"(JSON `url` normalised)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot", help="record every output into a directory")
    take.add_argument("output", type=Path)
    take.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the unpacked corpus (fetch.sh's target)")
    take.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="the conformance cases")
    take.add_argument("--no-corpus", action="store_true")
    take.add_argument("--no-cases", action="store_true")
    take.add_argument("-j", "--jobs", type=int, default=2, help="processes per linter run")
    take.add_argument("--explain-files", type=int, default=12, metavar="N",
                      help="explain at most N files of each corpus package (those that spell tf.function)")
    take.add_argument("--warm", action="store_true",
                      help="also record `check` run a second time, from the analysis cache the first one filled")
    diff = commands.add_parser("compare", help="compare two snapshots byte for byte")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    worker = commands.add_parser("_worker")
    worker.add_argument("job_file", type=Path)
    worker.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    if args.command == "_worker":
        _worker(args.job_file, args.output)
        return 0
    if args.command == "compare":
        return compare(args.before, args.after)
    corpus = None if args.no_corpus else args.corpus
    if corpus is not None and not corpus.is_dir():
        parser.error(f"no corpus at {corpus}: run `bash ../shared/corpus/fetch.sh {corpus}` first, or --no-corpus")
    snapshot(args.output, corpus, None if args.no_cases else args.cases, args.jobs, args.explain_files, args.warm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
