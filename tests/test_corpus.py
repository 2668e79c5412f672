"""Real TensorFlow 2 code: the pinned corpus of ``bench/corpus.toml``, linted and fixed.

By default only the ``fast`` package (neural-structured-learning, 41 files) is checked; every
pinned package (about 2,300 files, several minutes) with::

    HYBRIDIZE_LINT_CORPUS=all python -m pytest tests/test_corpus.py -q

Wheels are fetched from PyPI by ``bench/corpus.py`` (checked against their sha256) into
``.corpus/`` at the repository root (gitignored, reused by later runs); set
``HYBRIDIZE_LINT_CORPUS_DIR`` to use another folder. Each package is copied to a temporary
project and must give: no crash and no internal error, no file reported unreadable or invalid
(they all parse), then under ``--fix --unsafe-fixes`` no internal error and no "please report"
note, every file still parsing, files without fixes byte-identical, and a second pass that
changes nothing. Without network the test is skipped, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions
from hybridize_lint.writing import write_fixes

REPO = Path(__file__).resolve().parent.parent
WHICH = os.environ.get("HYBRIDIZE_LINT_CORPUS", "fast")
DEST = Path(os.environ.get("HYBRIDIZE_LINT_CORPUS_DIR") or REPO / ".corpus")
JOBS = min(2, os.cpu_count() or 1)  # the parallel path, as the CLI runs it by default


def _corpus_module():
    name = "hybridize_lint_bench_corpus"
    if name not in sys.modules:  # registered first: its dataclasses look themselves up there
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "corpus.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def _packages():
    if WHICH not in ("fast", "all"):
        raise pytest.UsageError(f"HYBRIDIZE_LINT_CORPUS must be 'fast' or 'all', not {WHICH!r}")
    return _corpus_module().pinned_packages(fast_only=WHICH == "fast")


@pytest.fixture(scope="module")
def corpus() -> dict[str, Path]:
    if os.environ.get("HYBRIDIZE_LINT_SKIP_CORPUS") == "1":
        pytest.skip("HYBRIDIZE_LINT_SKIP_CORPUS=1: the corpus is not fetched")
    module = _corpus_module()
    packages = _packages()
    try:
        folders = module.fetch(packages, DEST, progress=lambda message: None)
    except (subprocess.CalledProcessError, RuntimeError, OSError) as error:
        reason = f"cannot fetch the corpus into {DEST}: {error}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason + " (CI must run this test; is PyPI reachable?)")
        pytest.skip(reason)
    return {package.name: folder for package, folder in zip(packages, folders)}


def _parses(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except SyntaxError:
        return False
    return True


def _lint(root: Path, **options):
    report = Linter(SettingsResolver()).run([root], RunOptions(use_cache=False, jobs=JOBS, **options))
    if options.get("fix"):
        write_fixes(report)
    return report


def _problems(report) -> list[str]:
    return [*report.internal_errors, *(f"{f.path}: {error}" for f in report.files for error in f.errors),
            *(f"{f.path}: {note}" for f in report.files for note in f.notes
              if "please report" in note or "did not converge" in note)]


@pytest.mark.parametrize("name", [package.name for package in _packages()])
def test_corpus_package_is_linted_and_fixed_without_internal_errors(corpus, tmp_path, name):
    project = tmp_path / name
    shutil.copytree(corpus[name], project, ignore=shutil.ignore_patterns(".fetched-sha256"))
    (project / "pyproject.toml").write_text("[tool.hybridize-lint]\n")  # default settings, its own root
    files = sorted(project.rglob("*.py"))
    original = {path: path.read_bytes() for path in files}
    assert files and all(_parses(data) for data in original.values())

    report = _lint(project)
    assert _problems(report) == []
    assert [d for d in report.diagnostics if d.code in ("HYB001", "HYB002")] == []
    assert all(path.read_bytes() == original[path] for path in files)  # linting writes nothing
    found = len(report.diagnostics)

    fixed = _lint(project, fix=True, unsafe_fixes=True)
    assert _problems(fixed) == []
    changed = {path for path in files if path.read_bytes() != original[path]}
    assert changed == {f.path for f in fixed.files if f.changed}  # and every other file is byte-identical
    assert all(_parses(path.read_bytes()) for path in changed), "a fixed file does not parse"
    assert sum(f.fixed_count or 0 for f in fixed.files) >= len(changed)

    after = {path: path.read_bytes() for path in files}
    again = _lint(project, fix=True, unsafe_fixes=True)
    assert _problems(again) == []
    assert [f.path for f in again.files if f.changed] == []
    assert {path: path.read_bytes() for path in files} == after, "a second fix pass changed files"
    print(f"{name}: {len(files)} files, {found} findings, {len(changed)} files fixed")
