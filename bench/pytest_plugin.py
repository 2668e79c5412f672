"""What ``pytest --hybridize-audit`` costs, and what both plugin modes say about the benchmark programs.

    python bench/pytest_plugin.py [--repeats N] [--variant reference|eager] [--reports DIR] [PROGRAM ...]

Each program of ``bench/programs/`` (``--variant reference``, the default: the hand-hybridized copy in
``bench/programs/reference/``, whose ``tf.function``s the audit has to watch) becomes a one-test project: the
program as ``program.py`` and ``test_program.py`` calling its ``main()``. The project's test run is timed in a
fresh interpreter with and without ``--hybridize-audit``, alternating, ``repeats`` times; the medians give the
audit's share of the wall time (interpreter start, TensorFlow import, the program, the report and its static
matching). The program's printed ``result`` must be identical with and without the audit.

A second, in-process measurement isolates the non-tracing path: calls of a traced ``tf.function`` created
after the audit is installed against one created before, alternating; the ratio is the cost per call.

``--reports DIR`` also writes, per program, the audit report of the reference variant and the verify
report of the eager program (whose HYB301 proposals the tests confirm or refute) into DIR.
Results go to ``bench/results/pytest_plugin.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).parent
PROGRAMS = BENCH / "programs"
ENV = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "-1", "PYTHONHASHSEED": "0"}
TEST = "import program\n\n\ndef test_program():\n    program.main()\n"


def make_project(folder: Path, source: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / "program.py")
    (folder / "test_program.py").write_text(TEST)
    (folder / "pyproject.toml").write_text("[project]\nname = 'program'\n")
    return folder


def run_tests(folder: Path, *options: str) -> tuple[float, dict | None, str]:
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *options]
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=folder, env={**os.environ, **ENV}, capture_output=True, text=True,
                               timeout=3600)
    seconds = time.perf_counter() - start
    result = None
    for line in completed.stdout.splitlines():
        if line.startswith('{"result"'):
            result = json.loads(line)["result"]
    return seconds, result, completed.stdout if completed.returncode else ""


def overhead(name: str, variant: str, repeats: int, reports: Path | None) -> dict:
    source = PROGRAMS / "reference" / name if variant == "reference" else PROGRAMS / name
    with tempfile.TemporaryDirectory(prefix="hybridize-plugin-bench-") as temp:
        folder = make_project(Path(temp) / "project", source)
        plain, audited, results, failure = [], [], {}, ""
        for _ in range(repeats):
            for label, options, times in (("plain", (), plain), ("audit", ("--hybridize-audit",), audited)):
                seconds, result, failed = run_tests(folder, *options)
                times.append(seconds)
                results.setdefault(label, result)
                failure = failure or failed
        report = json.loads((folder / "hybridize-audit.json").read_text())
        if reports is not None:
            shutil.copy(folder / "hybridize-audit.json", reports / f"{Path(name).stem}.audit.json")
    return {"program": name, "variant": variant, "plain_seconds": statistics.median(plain),
            "audit_seconds": statistics.median(audited), "ratio": statistics.median(audited) / statistics.median(plain),
            "identical": results.get("plain") == results.get("audit") and results.get("plain") is not None,
            "traces": sum(function["traces"] for function in report["functions"]),
            "trace_time_effects": sum(len(function["trace_time_effects"]) for function in report["functions"]),
            "failure": failure[-2000:]}


def verify_report(name: str, reports: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="hybridize-plugin-verify-") as temp:
        folder = make_project(Path(temp) / "project", PROGRAMS / name)
        seconds, _, failure = run_tests(folder, "--hybridize-verify")
        path = folder / "hybridize-verify.json"
        document = json.loads(path.read_text()) if path.exists() else {"proposals": [], "errors": [failure[-500:]]}
        (reports / f"{Path(name).stem}.verify.json").write_text(json.dumps(document, indent=2) + "\n")
    return {"program": name, "seconds": seconds,
            "verdicts": {f"{p['code']} {p['qualname']}": p["status"] for p in document["proposals"]}}


def non_tracing_path(calls: int = 2000, rounds: int = 7) -> dict:
    """Per-call cost of a tf.function call that reuses its trace, audit installed or not (in-process)."""
    os.environ.update(ENV)
    import tensorflow as tf

    from hybridize_lint.pytest_plugin.audit import Auditor

    source = BENCH / "_plugin_probe.py"
    source.write_text("def step(x):\n    return x * 2.0 + 1.0\n")
    sys.path.insert(0, str(BENCH))
    try:
        import _plugin_probe

        before = tf.function(_plugin_probe.step)
        auditor = Auditor(str(BENCH))
        auditor.install()
        after = tf.function(_plugin_probe.step)
        assert auditor.wrapped == 1
        x = tf.constant(1.0)
        before(x), after(x)
        ratios = []
        for _ in range(rounds):
            timings = {}
            for label, function in (("before", before), ("after", after)):
                start = time.perf_counter()
                for _ in range(calls):
                    function(x)
                timings[label] = (time.perf_counter() - start) / calls
            ratios.append(timings["after"] / timings["before"])
        auditor.uninstall()
        return {"calls": calls, "rounds": rounds, "per_call_us": timings["before"] * 1e6,
                "ratio": statistics.median(ratios)}
    finally:
        source.unlink()
        sys.path.remove(str(BENCH))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--variant", choices=("reference", "eager"), default="reference")
    parser.add_argument("--reports", type=Path)
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "pytest_plugin.json")
    parser.add_argument("--skip-micro", action="store_true")
    args = parser.parse_args(argv)
    names = args.programs or sorted(path.name for path in PROGRAMS.glob("*.py"))
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in names:
        row = overhead(name, args.variant, args.repeats, args.reports)
        rows.append(row)
        print(f"{name:28} plain {row['plain_seconds']:6.1f} s  audit {row['audit_seconds']:6.1f} s  "
              f"ratio {row['ratio']:.3f}  traces {row['traces']:3}  identical {row['identical']}", flush=True)
    verified = [verify_report(name, args.reports) for name in names] if args.reports else []
    for row in verified:
        print(f"{row['program']:28} verify {row['seconds']:6.1f} s  {row['verdicts']}", flush=True)
    micro = None if args.skip_micro else non_tracing_path()
    summary = {
        "repeats": args.repeats, "variant": args.variant,
        "geomean_ratio": math.exp(statistics.fmean(math.log(row["ratio"]) for row in rows)) if rows else None,
        "max_ratio": max((row["ratio"] for row in rows), default=None),
        "all_identical": all(row["identical"] for row in rows),
        "non_tracing_path": micro, "programs": rows, "verify": verified,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"audit wall-time ratio: geometric mean {summary['geomean_ratio']:.3f}, max {summary['max_ratio']:.3f}; "
          f"results identical: {summary['all_identical']}")
    if micro:
        print(f"non-tracing path: {micro['ratio']:.3f}× per call ({micro['per_call_us']:.0f} µs per call)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
