"""The benchmark's own logic: its pinned corpus list and the report it writes from measured figures.

The measurements themselves run with `python bench/run.py` (minutes, real TensorFlow), not here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import report  # noqa: E402


def test_the_pinned_corpus_lists_each_wheel_with_its_hash():
    packages = corpus.pinned_packages()
    assert len(packages) >= 6 and len({p.name for p in packages}) == len(packages)
    for package in packages:
        assert re.fullmatch(r"[0-9a-f]{64}", package.sha256), package
        assert package.wheel.endswith(".whl") and package.version in package.wheel
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
    assert _targets((tmp_path / "RESULTS.md").read_text())["Programs whose results changed"] == "**no**"
