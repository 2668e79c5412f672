"""Parallel runs find exactly what serial runs find; warm runs notice edits in other modules.

Both are performance features (``-j``, ``.hybridize_lint_cache/``) whose failure mode is silent
wrong answers, so they are tested on results, not on speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hybridize_lint import parallel
from hybridize_lint.cache import SummaryCache
from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions

from project_helpers import source, write_project

# Every rule, and HYB301 on every function the paper accepts: more findings that depend on other modules.
ALL_RULES = 'select = ["HYB"]\nhybridization = "every-function"\n'

# A package whose findings depend on other modules: graph code calling helpers with effects,
# eager functions receiving tensors from elsewhere, literal arguments, one unparsable file.
PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/tensors.py": """
        import tensorflow as tf

        def make_batch():
            return tf.random.normal([4, 3])
        """,
    "pkg/logging_helpers.py": """
        def log_loss(loss):
            print("loss", loss)
        """,
    "pkg/steps.py": """
        import tensorflow as tf
        from .logging_helpers import log_loss
        from .tensors import make_batch

        @tf.function
        def train_step(x):
            loss = tf.reduce_sum(x * x)
            log_loss(loss)
            return loss

        def eager_step(x):
            return tf.reduce_mean(tf.square(x))

        @tf.function
        def scaled(x, factor):
            return x * factor
        """,
    "pkg/driver.py": """
        from .steps import eager_step, scaled, train_step
        from .tensors import make_batch

        def main():
            for _ in range(3):
                batch = make_batch()
                train_step(batch)
                eager_step(batch)
            for factor in [1.0, 2.0, 3.0]:
                scaled(make_batch(), factor)
        """,
    "pkg/broken.py": "def broken(:\n    pass\n",
    # Evidence names the first call site found: the order of functions must survive the cache.
    "pkg/order.py": """
        import tensorflow as tf

        def helper(x):
            return tf.reduce_sum(x)

        def z_caller():
            return helper(tf.ones([2]))

        def a_caller():
            return helper(tf.zeros([2]))
        """,
    **{f"pkg/extra_{index}.py": f"""
        import tensorflow as tf

        HISTORY = []

        @tf.function
        def step_{index}(x):
            HISTORY.append(x)
            print("step {index}")
            return tf.nn.relu(x)

        def eager_{index}(x):
            return tf.reduce_sum(step_{index}(x))
        """ for index in range(8)},
}


def _findings(root: Path, jobs: int, use_cache: bool = False, fix: bool = False) -> list[tuple]:
    report = Linter(SettingsResolver()).run([root], RunOptions(jobs=jobs, use_cache=use_cache, fix=fix,
                                                               unsafe_fixes=True if fix else None))
    assert not report.internal_errors, report.internal_errors
    return [(d.path.relative_to(root).as_posix(), d.start.row, d.start.column, d.end.row, d.end.column, d.code,
             d.message, d.fix.edits if d.fix else None) for d in report.diagnostics] + \
        [(f.path.relative_to(root).as_posix(), f.fixed_text) for f in report.files if f.changed]


@pytest.fixture()
def package(tmp_path):
    return write_project(tmp_path / "project", PACKAGE, ALL_RULES)


@pytest.mark.skipif(not parallel.can_fork(), reason="parallel runs need fork (Linux)")
def test_parallel_run_finds_exactly_what_a_serial_run_finds(package, monkeypatch):
    used = []
    real = parallel.map_in_workers

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        used.append(result is not None)
        return result

    monkeypatch.setattr(parallel, "map_in_workers", spy)
    serial = _findings(package, jobs=1)
    assert not any(used)  # one job: everything in this process
    used.clear()
    parallel_findings = _findings(package, jobs=2)
    assert used == [True, True]  # summarising and checking both ran in workers
    assert parallel_findings == serial
    codes = {finding[5] for finding in serial if len(finding) > 2}
    assert {"HYB002", "HYB101", "HYB105", "HYB110", "HYB301", "HYB402"} <= codes


@pytest.mark.skipif(not parallel.can_fork(), reason="parallel runs need fork (Linux)")
def test_parallel_fix_run_fixes_exactly_what_a_serial_fix_run_fixes(package):
    assert _findings(package, jobs=2, fix=True) == _findings(package, jobs=1, fix=True)


def test_a_worker_pool_that_cannot_start_falls_back_to_serial(package, monkeypatch):
    expected = _findings(package, jobs=1)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert _findings(package, jobs=2) == expected


def _warm_project(tmp_path: Path, helper: str) -> Path:
    return write_project(tmp_path / "project", {
        "pkg/__init__.py": "",
        "pkg/helpers.py": helper,
        "pkg/steps.py": """
            import tensorflow as tf
            from .helpers import log_loss, make_input

            @tf.function
            def train_step(x):
                loss = tf.reduce_sum(x)
                log_loss(loss)
                return loss

            def eager_step(x):
                return tf.reduce_mean(tf.square(x))

            def main():
                for _ in range(3):
                    eager_step(make_input())
            """,
    }, ALL_RULES)


def _codes_in(root: Path, relative: str, **options) -> set[str]:
    return {finding[5] for finding in _findings(root, jobs=1, use_cache=True, **options)
            if finding[0] == relative and len(finding) > 2}


def test_warm_run_sees_an_edit_of_a_callee_in_another_module(tmp_path, monkeypatch):
    root = _warm_project(tmp_path, """
        import tensorflow as tf

        def log_loss(loss):
            return loss

        def make_input():
            return 1.0
        """)
    assert _codes_in(root, "pkg/steps.py") == set()  # cold run: writes the cache
    hits = []
    real_get = SummaryCache.get

    def counting_get(self, relative, content_hash):
        found = real_get(self, relative, content_hash)
        hits.append((relative, found is not None))
        return found

    monkeypatch.setattr(SummaryCache, "get", counting_get)
    (root / "pkg/helpers.py").write_text(source("""
        import tensorflow as tf

        def log_loss(loss):
            print("loss", loss)

        def make_input():
            return tf.ones([2])
        """), encoding="utf-8")
    # The caller's module comes from the cache, yet its findings follow the edited callee:
    # a side effect reached from graph code, and a tensor argument that makes eager_step worth tracing.
    assert _codes_in(root, "pkg/steps.py") == {"HYB110", "HYB301"}
    assert ("pkg.steps", True) in hits and ("pkg.helpers", False) in hits
    # And back: the edit undone, the findings go.
    (root / "pkg/helpers.py").write_text(source("""
        def log_loss(loss):
            return loss

        def make_input():
            return 1.0
        """), encoding="utf-8")
    assert _codes_in(root, "pkg/steps.py") == set()


def test_cached_and_uncached_runs_agree(package):
    cold = _findings(package, jobs=1, use_cache=True)
    assert list((package / ".hybridize_lint_cache").glob("summaries-*/*.json"))
    warm = _findings(package, jobs=1, use_cache=True)
    assert warm == cold == _findings(package, jobs=1, use_cache=False)


def test_cache_directory_ignores_itself_for_git(package):
    _findings(package, jobs=1, use_cache=True)
    ignore = (package / ".hybridize_lint_cache" / ".gitignore").read_text()
    assert "*" in ignore.splitlines()


def test_warm_run_reads_only_the_named_file_and_files_changed_since(tmp_path, monkeypatch):
    from hybridize_lint.source import SourceFile

    root = _warm_project(tmp_path, """
        def log_loss(loss):
            return loss

        def make_input():
            return 1.0
        """)
    _codes_in(root, "pkg/steps.py")  # fills the cache
    read = []
    real_read = SourceFile.read.__func__

    def counting_read(cls, path, *args, **kwargs):
        read.append(Path(path).name)
        return real_read(cls, path, *args, **kwargs)

    monkeypatch.setattr(SourceFile, "read", classmethod(counting_read))
    linter = Linter(SettingsResolver())
    report = linter.run([root / "pkg/steps.py"], RunOptions(use_cache=True))
    assert read == ["steps.py"]  # helpers.py and __init__.py: size and mtime unchanged, not read
    assert not report.diagnostics
    (root / "pkg/helpers.py").write_text(source("""
        def log_loss(loss):
            print("loss", loss)

        def make_input():
            return 1.0
        """), encoding="utf-8")
    read.clear()
    report = Linter(SettingsResolver()).run([root / "pkg/steps.py"], RunOptions(use_cache=True))
    assert sorted(read) == ["helpers.py", "steps.py"]
    assert {d.code for d in report.diagnostics} == {"HYB110"}
