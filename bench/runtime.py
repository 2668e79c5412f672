"""The runtime half of the benchmark: the speedup that hybridize-lint's fixes deliver.

    python bench/runtime.py [--repeats N] [--output PATH] [PROGRAM ...]

Each program in ``bench/programs/`` is a small TF2 script written eagerly, the way tutorials write
them (custom training loops with ``tf.GradientTape``, Keras models, seeded synthetic data), that
prints one JSON line ``{"result": ..., "trace_counts": ..., "seconds": S}`` where ``S`` is the time
of its training/inference loop. For each program this script

1. copies it into a temporary folder, twice: ``eager/`` and ``hybrid/``;
2. runs ``hybridize-lint check --fix --unsafe-fixes --no-cache`` on the ``hybrid/`` copy and counts
   the fixes (from the tool's summary line ``(N fixed, M remaining)``; it includes the follow-up fixes of
   later rounds, e.g. HYB203's ``reduce_retracing=True`` on a function that HYB301 just decorated) and
   the functions that gained ``@tf.function`` (from the decorators before and after); ``findings``
   counts the findings per rule on the original program;
3. runs both copies ``repeats`` times, alternately, in fresh interpreters, and takes the median of the
   reported loop seconds;
4. compares the results: ``identical`` means exact equality of the JSON ``result`` (bit-for-bit
   floats); otherwise the largest absolute and relative differences are reported.

``main()`` prints a table with the geometric-mean speedup and writes ``bench/results/runtime.json``.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS_DIR = HERE / "programs"
RESULTS_FILE = HERE / "results" / "runtime.json"
PROGRAM_ENV = {
    "TF_ENABLE_ONEDNN_OPTS": "0",  # oneDNN kernels may round differently in eager and graph mode
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONHASHSEED": "0",
    "CUDA_VISIBLE_DEVICES": "-1",
}
# Pins the linter's defaults: the temporary folder must not pick up some other project's configuration.
PYPROJECT = "[tool.hybridize-lint]\n"
TIMEOUT = 600
RELATIVE_TOLERANCE = 1e-6  # only consulted, and reported, when results are not bit-for-bit identical
SUMMARY = re.compile(r"\((\d+) fixed, (\d+) remaining\)")


# ---------------------------------------------------------------------------------------------------
# Programs


def programs(names: list[str] | None = None) -> list[Path]:
    found = sorted(PROGRAMS_DIR.glob("*.py"))
    if names:
        wanted = {name if name.endswith(".py") else name + ".py" for name in names}
        unknown = wanted - {path.name for path in found}
        if unknown:
            raise SystemExit(f"unknown program(s): {', '.join(sorted(unknown))}")
        found = [path for path in found if path.name in wanted]
    return found


def description(path: Path) -> str:
    """The first line of the program's docstring."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return docstring.strip().splitlines()[0] if docstring.strip() else ""


def run_program(path: Path) -> dict:
    completed = subprocess.run([sys.executable, str(path)], check=False, cwd=path.parent, capture_output=True,
                               text=True, env={**os.environ, **PROGRAM_ENV}, timeout=TIMEOUT)
    if completed.returncode != 0:
        raise RuntimeError(f"{path} failed (exit {completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError(f"{path} printed nothing:\n{completed.stderr}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------------------------------------------
# The linter


def _linter_command() -> list[str]:
    """`python -m hybridize_lint` when it works, else the `hybridize-lint` script next to the interpreter."""
    module = [sys.executable, "-m", "hybridize_lint"]
    probe = subprocess.run(module + ["--version"], check=False, capture_output=True, text=True)
    if probe.returncode == 0:
        return module
    script = Path(sys.executable).parent / ("hybridize-lint.exe" if os.name == "nt" else "hybridize-lint")
    if not script.exists():
        raise RuntimeError(f"hybridize-lint is not installed for {sys.executable}:\n{probe.stderr}")
    return [str(script)]


def findings(command: list[str], path: Path) -> dict[str, int]:
    """How many findings of each rule the linter reports on `path` (before any fix)."""
    completed = subprocess.run(command + ["check", "--no-cache", "--output-format", "json", path.name],
                               check=False, cwd=path.parent, capture_output=True, text=True, timeout=TIMEOUT)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"hybridize-lint failed on {path.name} (exit {completed.returncode}):\n"
                           f"{completed.stdout}{completed.stderr}")
    counts: dict[str, int] = {}
    for finding in json.loads(completed.stdout or "[]"):
        counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    return dict(sorted(counts.items()))


def run_fixer(command: list[str], path: Path) -> tuple[int, str]:
    """Apply every fix to `path`; returns the number of fixes applied and the tool's output."""
    completed = subprocess.run(command + ["check", "--fix", "--unsafe-fixes", "--no-cache", path.name],
                               check=False, cwd=path.parent, capture_output=True, text=True, timeout=TIMEOUT)
    output = completed.stdout + completed.stderr
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"hybridize-lint failed on {path.name} (exit {completed.returncode}):\n{output}")
    match = SUMMARY.search(output)
    return (int(match.group(1)) if match else 0), output


def _is_tf_function(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in ("tf.function", "tensorflow.function")


def hybrid_functions(source: str) -> set[str]:
    """Qualified names ("Class.method") of the functions decorated with `tf.function`."""
    found: set[str] = set()

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(map(_is_tf_function, child.decorator_list)):
                    found.add(prefix + child.name)
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


# ---------------------------------------------------------------------------------------------------
# Comparing results


def _numbers(value, path=""):
    """Yield (path, number) for every number in a JSON value, in order."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _numbers(value[key], f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, f"{path}[{index}]")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, float(value)
    else:
        yield path, value


def differences(before, after) -> tuple[float, float, bool]:
    """(max absolute difference, max relative difference, same structure) of two JSON values."""
    left, right = list(_numbers(before)), list(_numbers(after))
    if [path for path, _ in left] != [path for path, _ in right]:
        return math.inf, math.inf, False
    max_abs = max_rel = 0.0
    for (_, a), (_, b) in zip(left, right):
        if not isinstance(a, float) or not isinstance(b, float):
            if a != b:
                return math.inf, math.inf, False
            continue
        if a == b or (math.isnan(a) and math.isnan(b)):
            continue
        diff = abs(a - b)
        max_abs = max(max_abs, diff)
        max_rel = max(max_rel, diff / max(abs(a), abs(b)))
    return max_abs, max_rel, True


# ---------------------------------------------------------------------------------------------------
# The benchmark


def geometric_mean(values: list[float]) -> float:
    values = [value for value in values if value > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def bench_program(path: Path, command: list[str], workdir: Path, repeats: int, progress=print) -> dict:
    eager_dir, hybrid_dir = workdir / path.stem / "eager", workdir / path.stem / "hybrid"
    copies = []
    for directory in (eager_dir, hybrid_dir):
        directory.mkdir(parents=True)
        (directory / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        copies.append(shutil.copyfile(path, directory / path.name))
    eager_path, hybrid_path = map(Path, copies)

    source = path.read_text(encoding="utf-8")
    found = findings(command, hybrid_path)
    lint_start = time.perf_counter()
    fixes, lint_output = run_fixer(command, hybrid_path)
    lint_seconds = time.perf_counter() - lint_start
    fixed = hybrid_path.read_text(encoding="utf-8")
    decorated = sorted(hybrid_functions(fixed) - hybrid_functions(source))
    undecorated = sorted(hybrid_functions(source) - hybrid_functions(fixed))
    progress(f"{path.stem}: {fixes} fix(es) in {lint_seconds:.1f}s; @tf.function added to "
             f"{', '.join(decorated) or 'nothing'}")

    eager_runs, hybrid_runs = [], []
    for _ in range(repeats):  # alternate, so that drifting machine load hits both sides alike
        eager_runs.append(run_program(eager_path))
        hybrid_runs.append(run_program(hybrid_path))
    eager_seconds = statistics.median(run["seconds"] for run in eager_runs)
    hybrid_seconds = statistics.median(run["seconds"] for run in hybrid_runs)

    reference = eager_runs[0]["result"]
    identical = all(run["result"] == reference for run in hybrid_runs)
    max_abs = max_rel = 0.0
    comparable = True
    for run in hybrid_runs:
        run_abs, run_rel, same_shape = differences(reference, run["result"])
        max_abs, max_rel, comparable = max(max_abs, run_abs), max(max_rel, run_rel), comparable and same_shape
    deterministic = all(run["result"] == reference for run in eager_runs) and all(
        run["result"] == hybrid_runs[0]["result"] for run in hybrid_runs)
    traces_before, traces_after = eager_runs[0].get("trace_counts", {}), hybrid_runs[0].get("trace_counts", {})
    # The functions a program reports trace counts for ran eagerly before the fix (0 traces) and, when the
    # fix decorated them, as graphs after it.
    graph_mode = all(traces_before.get(name, 0) == 0 for name in decorated) and all(
        traces_after[name] >= 1 for name in decorated if name in traces_after)
    speedup = eager_seconds / hybrid_seconds if hybrid_seconds > 0 else float("nan")
    result = {
        "program": path.name,
        "description": description(path),
        "eager_seconds": round(eager_seconds, 4),
        "hybrid_seconds": round(hybrid_seconds, 4),
        "speedup": round(speedup, 3),
        "identical": identical,
        "max_abs_diff": max_abs if comparable else None,  # None: the results differ in structure
        "max_rel_diff": max_rel if comparable else None,
        "within_tolerance": identical or (comparable and max_rel <= RELATIVE_TOLERANCE),
        "fixes": fixes,
        "findings": found,
        "decorated": decorated,
        "undecorated": undecorated,
        "graph_mode": graph_mode,
        "trace_counts_before": traces_before,
        "trace_counts_after": traces_after,
        "deterministic": deterministic,
        "eager_runs_seconds": [round(run["seconds"], 4) for run in eager_runs],
        "hybrid_runs_seconds": [round(run["seconds"], 4) for run in hybrid_runs],
        "lint_seconds": round(lint_seconds, 3),
        "lint_output": lint_output.strip(),
    }
    progress(f"{path.stem}: eager {eager_seconds:.3f}s, hybrid {hybrid_seconds:.3f}s, "
             f"speedup {speedup:.2f}x, {'identical' if identical else f'max rel diff {max_rel:.3g}'}")
    return result


def run_all(progress=print, repeats: int = 3, names: list[str] | None = None) -> list[dict]:
    """Benchmark every program (or those named); one result dict per program."""
    command = _linter_command()
    results = []
    with tempfile.TemporaryDirectory(prefix="hybridize-bench-") as temporary:
        for path in programs(names):
            results.append(bench_program(path, command, Path(temporary), repeats, progress))
    return results


def table(results: list[dict]) -> str:
    header = f"{'program':<22} {'eager s':>8} {'hybrid s':>9} {'speedup':>8} {'identical':>10} {'fixes':>5}  decorated"
    lines = [header, "-" * len(header)]
    for result in results:
        if result["identical"]:
            same = "yes"
        elif result["max_rel_diff"] is None:
            same = "no (shape)"
        else:
            same = f"no ({result['max_rel_diff']:.1e})"
        lines.append(f"{result['program']:<22} {result['eager_seconds']:>8.3f} {result['hybrid_seconds']:>9.3f} "
                     f"{result['speedup']:>7.2f}x {same:>10} {result['fixes']:>5}  {', '.join(result['decorated'])}")
    lines.append("-" * len(header))
    lines.append(f"geometric-mean speedup: {geometric_mean([r['speedup'] for r in results]):.2f}x over "
                 f"{len(results)} programs; results identical in "
                 f"{sum(r['identical'] for r in results)}/{len(results)}")
    return "\n".join(lines)


def _versions() -> dict:
    tensorflow = None
    for distribution in ("tensorflow", "tensorflow-cpu"):
        try:
            tensorflow = importlib.metadata.version(distribution)
            break
        except importlib.metadata.PackageNotFoundError:
            continue
    return {"python": platform.python_version(), "tensorflow": tensorflow,
            "machine": platform.machine(), "cpus": os.cpu_count()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*", help="program names in bench/programs/ (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each version; the median counts")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE, help="where to write the JSON results")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    results = run_all(progress=lambda message: print(message, flush=True), repeats=args.repeats,
                      names=args.programs or None)
    wall_seconds = time.perf_counter() - start
    geomean = geometric_mean([result["speedup"] for result in results])
    print()
    print(table(results))
    print(f"wall time: {wall_seconds:.0f}s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "geomean_speedup": round(geomean, 3),
        "all_identical": all(result["identical"] for result in results),
        "repeats": args.repeats,
        "wall_seconds": round(wall_seconds, 1),
        "environment": _versions(),
        "programs": results,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if all(result["within_tolerance"] and result["graph_mode"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
