"""The benchmark's own logic: its pinned corpus list, its TF2 programs and their variants, and the report it
writes from measured figures.

The measurements themselves run with `python bench/run.py` (minutes, real TensorFlow), not here: nothing
below imports TensorFlow or times anything.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
import sys
import textwrap
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import report  # noqa: E402
import runtime  # noqa: E402

PROGRAMS = runtime.programs()
DECORATOR_LINE = re.compile(r"\s*@(tf|tensorflow)\.function(\(.*\))?\s*")


def test_the_pinned_corpus_lists_each_wheel_with_its_hash():
    packages = corpus.pinned_packages()
    assert len(packages) >= 6 and len({p.name for p in packages}) == len(packages)
    for package in packages:
        assert re.fullmatch(r"[0-9a-f]{64}", package.sha256), package
        assert package.wheel.endswith((".whl", ".tar.gz")) and package.version in package.wheel
    assert sum(package.wheel.endswith(".tar.gz") for package in packages) <= 10  # wheels wherever PyPI has one


def test_a_source_distribution_is_unpacked_like_a_wheel(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "demo-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in {"demo-1.0/demo/core.py": b"x = 1\n", "demo-1.0/setup.cfg": b"[x]\n",
                           "demo-1.0/setup.py": b"pass\n"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
    assert corpus._unpack_python_files(archive, tmp_path / "demo") == 2
    assert (tmp_path / "demo" / "demo" / "core.py").read_text() == "x = 1\n"
    assert not (tmp_path / "demo" / "setup.cfg").exists()
    assert [p.name for p in corpus.pinned_packages(fast_only=True)] == ["neural-structured-learning"]


def _results(folder: Path, *, cold: float, flake8: float, warm: float, speedups: list[float],
             identical: bool = True) -> None:
    folder.mkdir()
    timing = lambda seconds: {"label": "", "seconds": seconds, "max_rss_mib": 300.0, "runs": 1}  # noqa: E731
    static = {
        "cold": {"files": 10, "lines": 5000, "cpus": 2, "timings": {
            "parse-only": timing(1.0), "hybridize-lint": timing(cold), "flake8 --select=F": timing(flake8)}},
        "scaling": [{"packages": 1, "names": ["a"], "files": 10, "lines": 5000, "lint_seconds": cold,
                     "parse_seconds": 1.0, "max_rss_mib": 300.0}],
        "warm": {"package": "a", "files": 10, "lines": 120_000, "fill_seconds": 3.0, "edited": "a.py",
                 "seconds": [warm], "median_seconds": warm, "max_rss_mib": 100.0},
        "corpus": [{"name": "a", "version": "1", "sha256": "0" * 64}],
    }
    programs = [{"program": f"p{i}.py", "eager_seconds": s, "hybrid_seconds": 1.0, "speedup": s,
                 "identical": identical, "decorated": ["train_step"]} for i, s in enumerate(speedups)]
    geomean = (speedups[0] * speedups[1]) ** 0.5
    (folder / "static.json").write_text(json.dumps(static))
    (folder / "runtime.json").write_text(json.dumps({"programs": programs, "geomean_speedup": geomean}))


def _targets(markdown: str) -> dict[str, str]:
    rows = [line.split("|")[1:-1] for line in markdown.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): cells[-1].strip() for cells in rows if len(cells) == 4}


@pytest.mark.parametrize("figures, met", [
    ({"cold": 1.4, "flake8": 5.0, "warm": 0.2, "speedups": [2.0, 3.0]}, "yes"),
    ({"cold": 9.0, "flake8": 10.0, "warm": 1.5, "speedups": [1.5, 2.0]}, "**no**"),
])
def test_the_report_says_whether_each_target_is_met(tmp_path, figures, met):
    _results(tmp_path / "results", **figures)
    report.write(tmp_path / "results", tmp_path / "RESULTS.md")
    targets = _targets((tmp_path / "RESULTS.md").read_text())
    for what in ("Cold whole-corpus run", "Speed vs `flake8", "Warm pre-commit run", "Geometric-mean speedup"):
        [row] = [verdict for name, verdict in targets.items() if name.startswith(what)]
        assert row == met, (what, targets)


def test_a_changed_result_fails_the_report(tmp_path):
    _results(tmp_path / "results", cold=1.0, flake8=5.0, warm=0.1, speedups=[3.0, 3.0], identical=False)
    report.write(tmp_path / "results", tmp_path / "RESULTS.md")
    assert _targets((tmp_path / "RESULTS.md").read_text())["Programs whose results changed (or that crash) after the fix"] == "**no**"


# ---------------------------------------------------------------------------------------------------
# The runtime programs, their hand-hybridized references and their naive variants


def _changed_lines(before: str, after: str) -> list[str]:
    return [line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("+ ", "- ")]


def _without_tf_function(source: str) -> str:
    """The module's AST, dumped, with every `tf.function` decorator dropped."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.decorator_list = [d for d in node.decorator_list if not runtime._is_tf_function(d)]
    return ast.dump(tree)


def test_the_runtime_benchmark_has_at_least_fourteen_programs():
    assert len(PROGRAMS) >= 14


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda path: path.stem)
def test_each_program_has_a_reference_differing_only_in_tf_function_lines(program):
    reference = runtime.reference_path(program)
    assert reference.is_file(), f"{program.name} has no reference in {runtime.REFERENCE_DIR}"
    source, hybrid = program.read_text(encoding="utf-8"), reference.read_text(encoding="utf-8")
    changed = _changed_lines(source, hybrid)
    assert changed, "the reference is the program itself"
    assert all(DECORATOR_LINE.fullmatch(line) for line in changed), changed
    assert _without_tf_function(source) == _without_tf_function(hybrid)
    assert runtime.hybrid_functions(hybrid) != runtime.hybrid_functions(source)


def test_every_reference_belongs_to_a_program():
    names = {program.name for program in PROGRAMS}
    assert {path.name for path in runtime.REFERENCE_DIR.glob("*.py")} <= names


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda path: path.stem)
def test_the_naive_variant_of_each_program_decorates_every_function_and_nothing_else(program):
    source = program.read_text(encoding="utf-8")
    naive = runtime.naive_source(source)
    targets = {name for name, _ in runtime.naive_targets(ast.parse(source))}
    assert targets and not targets & {"main", "tracing_count"}
    assert runtime.hybrid_functions(naive) == runtime.hybrid_functions(source) | targets
    assert all(DECORATOR_LINE.fullmatch(line) for line in _changed_lines(source, naive))
    assert _without_tf_function(source) == _without_tf_function(naive)
    assert runtime.naive_source(naive) == naive


def test_the_naive_transform_skips_main_constructors_generators_and_nested_functions():
    source = textwrap.dedent('''\
        """A module without TensorFlow."""
        import numpy as np


        def helper(x):
            return x * 2


        def batches():
            yield np.zeros(3)


        class Model:
            def __init__(self):
                self.scale = 2

            @staticmethod
            def step(x):
                def inner(y):
                    return y
                return inner(x)


        def main():
            helper(1)


        def tracing_count(function):
            return 0
    ''')
    naive = runtime.naive_source(source)
    assert runtime.hybrid_functions(naive) == {"helper", "Model.step"}
    assert "    @staticmethod\n    @tf.function\n    def step(x):" in naive
    assert naive.startswith('"""A module without TensorFlow."""\nimport tensorflow as tf\nimport numpy as np\n')


def _variant(speedup, identical=True, decorated=("train_step",), error=None):
    return {"seconds": None if error else 1.0, "speedup": None if error else speedup, "identical": identical and not error,
            "within_tolerance": identical and not error, "decorated": list(decorated), "undecorated": [],
            "error": error, "max_rel_diff": 0.0}


def test_the_report_shows_fixed_reference_and_naive_side_by_side(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    programs = [
        {"program": "a.py", "eager_seconds": 4.0, "hybrid_seconds": 1.0, "speedup": 4.0, "identical": True,
         "fixed_of_reference": 1.0, "variants": {"fixed": _variant(4.0), "reference": _variant(4.0),
                                                 "naive": _variant(2.0, decorated=["train_step", "Model.call"],
                                                                   error="ValueError: No gradients provided")}},
        {"program": "b.py", "eager_seconds": 2.0, "hybrid_seconds": 2.5, "speedup": 0.8, "identical": True,
         "fixed_of_reference": 0.2, "variants": {"fixed": _variant(0.8, decorated=["helper"]),
                                                 "reference": _variant(4.0), "naive": _variant(3.0, identical=False)}},
    ]
    (results / "runtime.json").write_text(json.dumps({
        "programs": programs, "geomean_speedup": 1.79, "geomeans": {"fixed": 1.79, "reference": 4.0, "naive": 3.0},
        "programs_ran": {"fixed": 2, "reference": 2, "naive": 1}, "fixed_of_reference_percent": 44.7,
        "crashed": {"fixed": [], "reference": [], "naive": ["a.py"]},
        "results_changed": {"fixed": [], "reference": [], "naive": ["b.py"]}, "repeats": 3}))
    report.write(results, tmp_path / "RESULTS.md")
    markdown = (tmp_path / "RESULTS.md").read_text()
    targets = _targets(markdown)
    assert targets["Fixed speedup as % of the hand-hybridized reference (geometric means; a crash counts as 1×)"] == "**no**"
    assert targets["Programs slower than eager after the fix"] == "**no**"
    assert "| a.py | 4.00 | 4.00× = | 4.00× = | crashed | 100 % |" in markdown
    assert "| b.py | 2.00 | 0.80× = | 4.00× = | 3.00× ≠ | 20 % |" in markdown
    assert "| geometric mean | | **1.79×** | **4.00×** | **3.00×** (1 of 2 ran) | 45 % |" in markdown
    assert "crashed: ValueError: No gradients provided" in markdown
