"""The runtime half of the benchmark: the speedup that hybridize-lint's fixes deliver, against a ceiling and a floor.

    python bench/runtime.py [--repeats N] [--output PATH] [PROGRAM ...]

Each program in ``bench/programs/`` is a small TF2 script written eagerly, the way tutorials and the
classic TF2 examples write them (custom training loops with ``tf.GradientTape``, Keras models, seeded
synthetic data), that prints one JSON line ``{"result": ..., "trace_counts": ..., "seconds": S}`` where
``S`` is the time of its training/inference loop. Every program runs in four variants:

``eager``
    the program as written;
``fixed``
    after ``hybridize-lint check --fix --unsafe-fixes --no-cache`` (``fixes`` counts the fixes, from the
    tool's summary line ``(N fixed, M remaining)``, including follow-up fixes of later rounds such as
    HYB203's ``reduce_retracing=True`` on a function that HYB301 just decorated; ``findings`` counts the
    findings per rule on the original program);
``reference``
    the hand-hybridized version a TF2 expert would write, the ceiling: ``bench/programs/reference/NAME.py``
    beside each ``bench/programs/NAME.py``. A reference differs from its program only by added (or
    removed) ``@tf.function`` decorator lines (``tests/test_bench.py`` checks this with ``difflib``), so it
    cannot silently be a different program. It decorates the outermost per-step function
    (``run_optimization``/``train_step``/``grad``), the evaluation function called per batch or epoch, and
    the model's ``call`` only where the model is built outside a tape (``hundred_layers.py``);
``naive``
    "decorate every function", generated mechanically by :func:`naive_source`: ``@tf.function`` on every
    module-level function and every method of the program's own classes, except ``main``, the harness
    helper ``tracing_count``, ``__init__``, generators and functions already decorated. It is the floor a
    fix must beat; a naive variant that crashes or changes the results is reported as such.

Each variant is a copy of the program in a temporary folder (same file name, a ``pyproject.toml`` that
pins the linter's defaults). The variants run ``repeats`` times in fresh interpreters, alternating
(eager, fixed, reference, naive, eager, ...) so that drifting machine load hits all alike, and the median
of the reported loop seconds counts; a variant that crashes is not run again, and one whose source is the
program's own (the linter changed nothing) is not run at all: it is the eager program (speedup 1).
``identical`` means exact equality of the JSON ``result`` with the eager run's (bit-for-bit floats);
otherwise the largest absolute and relative differences are reported. The functions each variant decorated come from comparing its
``tf.function`` decorators with the program's.

``main()`` prints a table with the geometric-mean speedups (each over the programs where the variant
ran) and "fixed as % of reference" (the ratio of the fixed and reference geometric means, a program the
fixes crash counted as 1x; also over only the programs where both ran), and writes ``bench/results/runtime.json``: top-level summary
fields, and per program the fixed variant's figures at the top level (the shape earlier runs wrote) plus
every variant's under ``variants``.
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS_DIR = HERE / "programs"
REFERENCE_DIR = PROGRAMS_DIR / "reference"
VARIANTS = ("fixed", "reference", "naive")
# Functions the naive variant leaves alone: the entry point, the harness's helper, constructors.
NAIVE_EXCLUDED = frozenset({"main", "tracing_count", "__init__"})
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


def reference_path(path: Path) -> Path:
    """The hand-hybridized reference of the program at `path`."""
    return REFERENCE_DIR / path.name


def description(path: Path) -> str:
    """The first line of the program's docstring."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return docstring.strip().splitlines()[0] if docstring.strip() else ""


def run_program(path: Path) -> dict:
    """The JSON line the program prints; raises RuntimeError (with its output) when it fails."""
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
# The naive variant: decorate every function


def _is_generator(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether `function` itself (not a function nested in it) yields."""
    pending = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return False


def naive_targets(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """("name" or "Class.method", node) of every function the naive variant decorates, in source order."""
    candidates = []
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            candidates.append((statement.name, statement))
        elif isinstance(statement, ast.ClassDef):
            candidates += [(f"{statement.name}.{method.name}", method) for method in statement.body
                           if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return [(name, node) for name, node in candidates
            if node.name not in NAIVE_EXCLUDED and not _is_generator(node)
            and not any(map(_is_tf_function, node.decorator_list))]


def naive_source(source: str) -> str:
    """`source` with `@tf.function` on every function :func:`naive_targets` finds.

    The decorator goes on its own line right above the ``def`` (under any existing decorators, so that
    ``@staticmethod`` still wraps the result); everything else stays byte-identical. The programs all
    ``import tensorflow as tf``; a source that does not gets the import before its first statement.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for _, node in sorted(naive_targets(tree), key=lambda target: target[1].lineno, reverse=True):
        def_line = lines[node.lineno - 1]
        indent = def_line[:len(def_line) - len(def_line.lstrip())]
        lines.insert(node.lineno - 1, f"{indent}@tf.function\n")
    binds_tf = any(isinstance(statement, ast.Import) and any(
        alias.name == "tensorflow" and alias.asname == "tf" for alias in statement.names) for statement in tree.body)
    if not binds_tf and tree.body:
        first = tree.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and len(tree.body) > 1:
            first = tree.body[1]  # after the module docstring
        lines.insert(first.lineno - 1, "import tensorflow as tf\n")
    return "".join(lines)


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


def _graph_mode(decorated: list[str], before: dict, after: dict) -> bool:
    """Whether the decorated functions a program reports trace counts for ran eagerly before (0 traces) and as
    graphs after (at least one trace)."""
    return all(before.get(name, 0) == 0 for name in decorated) and all(
        after[name] >= 1 for name in decorated if name in after)


def _first_error_line(error: str) -> str:
    """The exception line of a failed run's traceback (the last line that names an error)."""
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return (named or lines or ["failed"])[-1][:300]


def _variant_figures(name: str, eager_runs: list[dict], runs: list[dict], error: str | None,
                     decorated: list[str], undecorated: list[str], eager_seconds: float) -> dict:
    figures = {"decorated": decorated, "undecorated": undecorated, "error": None}
    if error is not None:
        return {**figures, "seconds": None, "speedup": None, "identical": False, "max_abs_diff": None,
                "max_rel_diff": None, "within_tolerance": False, "graph_mode": False, "deterministic": None,
                "trace_counts": {}, "runs_seconds": [round(run["seconds"], 4) for run in runs],
                "error": _first_error_line(error), "error_output": error[-3000:]}
    seconds = statistics.median(run["seconds"] for run in runs)
    baseline = eager_runs[0]["result"]
    identical = all(run["result"] == baseline for run in runs)
    max_abs = max_rel = 0.0
    comparable = True
    for run in runs:
        run_abs, run_rel, same_shape = differences(baseline, run["result"])
        max_abs, max_rel, comparable = max(max_abs, run_abs), max(max_rel, run_rel), comparable and same_shape
    trace_counts = runs[0].get("trace_counts", {})
    return {**figures,
            "seconds": round(seconds, 4),
            "speedup": round(eager_seconds / seconds, 3) if seconds > 0 else None,
            "identical": identical,
            "max_abs_diff": max_abs if comparable else None,  # None: the results differ in structure
            "max_rel_diff": max_rel if comparable else None,
            "within_tolerance": identical or (comparable and max_rel <= RELATIVE_TOLERANCE),
            "graph_mode": _graph_mode(decorated, eager_runs[0].get("trace_counts", {}), trace_counts),
            "deterministic": all(run["result"] == runs[0]["result"] for run in runs),
            "trace_counts": trace_counts,
            "runs_seconds": [round(run["seconds"], 4) for run in runs]}


def bench_program(path: Path, command: list[str], workdir: Path, repeats: int, progress=print) -> dict:
    source = path.read_text(encoding="utf-8")
    reference = reference_path(path)
    if not reference.is_file():
        raise RuntimeError(f"{path.name} has no hand-hybridized reference at {reference}")
    copies = {}
    for variant in ("eager",) + VARIANTS:
        directory = workdir / path.stem / variant
        directory.mkdir(parents=True)
        (directory / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        copies[variant] = directory / path.name
        copies[variant].write_text(source, encoding="utf-8")
    copies["reference"].write_text(reference.read_text(encoding="utf-8"), encoding="utf-8")
    copies["naive"].write_text(naive_source(source), encoding="utf-8")

    found = findings(command, copies["fixed"])
    lint_start = time.perf_counter()
    fixes, lint_output = run_fixer(command, copies["fixed"])
    lint_seconds = time.perf_counter() - lint_start
    before = hybrid_functions(source)
    changed = {}
    for variant in VARIANTS:
        after = hybrid_functions(copies[variant].read_text(encoding="utf-8"))
        changed[variant] = (sorted(after - before), sorted(before - after))
    progress(f"{path.stem}: {fixes} fix(es) in {lint_seconds:.1f}s; @tf.function added to "
             + "; ".join(f"{variant}: {', '.join(changed[variant][0]) or 'nothing'}" for variant in VARIANTS))

    # A variant whose source is the program's own (the linter changed nothing) is the eager program: running
    # it again would only measure the machine's noise, so it gets the eager runs and a speedup of exactly 1.
    unchanged = {variant for variant in VARIANTS if copies[variant].read_text(encoding="utf-8") == source}
    eager_runs: list[dict] = []
    runs: dict[str, list[dict]] = {variant: [] for variant in VARIANTS}
    errors: dict[str, str | None] = {variant: None for variant in VARIANTS}
    for _ in range(repeats):  # alternate, so that drifting machine load hits every variant alike
        eager_runs.append(run_program(copies["eager"]))
        for variant in VARIANTS:
            if variant in unchanged:
                runs[variant].append(eager_runs[-1])
            elif errors[variant] is None:
                try:
                    runs[variant].append(run_program(copies[variant]))
                except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
                    errors[variant] = str(error)
                    progress(f"{path.stem}: the {variant} variant failed: {_first_error_line(str(error))}")
    eager_seconds = statistics.median(run["seconds"] for run in eager_runs)
    variants = {variant: _variant_figures(variant, eager_runs, runs[variant], errors[variant], *changed[variant],
                                          eager_seconds) for variant in VARIANTS}
    for variant in VARIANTS:
        variants[variant]["unchanged"] = variant in unchanged
    fixed, ceiling = variants["fixed"], variants["reference"]
    result = {
        "program": path.name,
        "description": description(path),
        "eager_seconds": round(eager_seconds, 4),
        "hybrid_seconds": fixed["seconds"],
        "speedup": fixed["speedup"],
        "identical": fixed["identical"],
        "max_abs_diff": fixed["max_abs_diff"],
        "max_rel_diff": fixed["max_rel_diff"],
        "within_tolerance": fixed["within_tolerance"],
        "fixes": fixes,
        "findings": found,
        "decorated": fixed["decorated"],
        "undecorated": fixed["undecorated"],
        "graph_mode": fixed["graph_mode"],
        "trace_counts_before": eager_runs[0].get("trace_counts", {}),
        "trace_counts_after": fixed["trace_counts"],
        "deterministic": all(run["result"] == eager_runs[0]["result"] for run in eager_runs)
        and bool(fixed["deterministic"]),
        "eager_runs_seconds": [round(run["seconds"], 4) for run in eager_runs],
        "hybrid_runs_seconds": fixed["runs_seconds"],
        "lint_seconds": round(lint_seconds, 3),
        "lint_output": lint_output.strip(),
        "fixed_of_reference": (round(fixed["speedup"] / ceiling["speedup"], 3)
                               if ceiling["speedup"] and fixed["speedup"] else None),
        "variants": variants,
    }
    progress(f"{path.stem}: eager {eager_seconds:.3f}s; " + "; ".join(
        f"{variant} {_speedup_text(variants[variant])}" for variant in VARIANTS))
    return result


def _speedup_text(figures: dict) -> str:
    if figures["error"] is not None:
        return "crashed"
    if figures["identical"]:
        same = "identical"
    elif figures["max_rel_diff"] is None:
        same = "different (structure)"
    else:
        same = f"max rel diff {figures['max_rel_diff']:.1e}"
    return f"{figures['speedup']:.2f}x {same}"


def run_all(progress=print, repeats: int = 3, names: list[str] | None = None) -> list[dict]:
    """Benchmark every program (or those named); one result dict per program."""
    command = _linter_command()
    results = []
    with tempfile.TemporaryDirectory(prefix="hybridize-bench-") as temporary:
        for path in programs(names):
            results.append(bench_program(path, command, Path(temporary), repeats, progress))
    return results


def summary(results: list[dict]) -> dict:
    """The run's headline figures: geometric means per variant, over the programs where it ran."""
    geomeans, ran, crashed, changed = {}, {}, {}, {}
    for variant in VARIANTS:
        rows = [result["variants"][variant] for result in results]
        speedups = [row["speedup"] for row in rows if row["error"] is None and row["speedup"]]
        geomeans[variant] = round(geometric_mean(speedups), 3) if speedups else None
        ran[variant] = len(speedups)
        crashed[variant] = [result["program"] for result, row in zip(results, rows) if row["error"] is not None]
        changed[variant] = [result["program"] for result, row in zip(results, rows)
                            if row["error"] is None and not row["identical"]]
    fixed = geomeans["fixed"]
    # "Fixed as % of reference" over every program the reference ran: a program the fixes crash counts as
    # eager (1x, what its user falls back to). Also given over only the programs where both ran.
    counted = [result for result in results if result["variants"]["reference"]["speedup"]]
    ceiling = geometric_mean([result["variants"]["reference"]["speedup"] for result in counted]) if counted else None
    share = (100 * geometric_mean([result["variants"]["fixed"]["speedup"] or 1.0 for result in counted])
             / ceiling) if counted else None
    both = [result for result in counted if result["variants"]["fixed"]["speedup"]]
    share_ran = (100 * geometric_mean([result["variants"]["fixed"]["speedup"] for result in both])
                 / geometric_mean([result["variants"]["reference"]["speedup"] for result in both])) if both else None
    return {
        "geomean_speedup": fixed,
        "geomeans": geomeans,
        "fixed_of_reference_percent": round(share, 1) if share is not None else None,
        "fixed_of_reference_percent_where_both_ran": round(share_ran, 1) if share_ran is not None else None,
        "programs_ran": ran,
        "crashed": crashed,
        "results_changed": changed,
        "slower_than_eager": [result["program"] for result in results
                              if result["speedup"] is not None and result["speedup"] < 1.0],
        "all_identical": all(result["identical"] for result in results),
        # Programs the fixes broke: they crash or give other results than eager.
        "fixed_failures": sorted(set(crashed["fixed"]) | set(changed["fixed"])),
    }


def table(results: list[dict]) -> str:
    header = (f"{'program':<26} {'eager s':>8} {'fixed':>14} {'reference':>14} {'naive':>14} {'fix/ref':>8}"
              "  decorated (fixed | reference | naive)")
    lines = [header, "-" * len(header)]
    for result in results:
        cells = []
        for variant in VARIANTS:
            figures = result["variants"][variant]
            if figures["error"] is not None:
                cells.append("crashed")
            else:
                same = "=" if figures["identical"] else ("~" if figures["within_tolerance"] else "!=")
                cells.append(f"{figures['speedup']:.2f}x {same}")
        ratio = f"{100 * result['fixed_of_reference']:.0f}%" if result["fixed_of_reference"] else "-"
        decorated = " | ".join(", ".join(result["variants"][variant]["decorated"]) or "-" for variant in VARIANTS)
        lines.append(f"{result['program']:<26} {result['eager_seconds']:>8.3f} {cells[0]:>14} {cells[1]:>14} "
                     f"{cells[2]:>14} {ratio:>8}  {decorated}")
    lines.append("-" * len(header))
    headline = summary(results)
    for variant in VARIANTS:
        mean = headline["geomeans"][variant]
        lines.append(f"geometric-mean speedup, {variant:<9}: {mean if mean is None else f'{mean:.2f}x'} over "
                     f"{headline['programs_ran'][variant]}/{len(results)} programs; crashed: "
                     f"{', '.join(headline['crashed'][variant]) or 'none'}; results changed: "
                     f"{', '.join(headline['results_changed'][variant]) or 'none'}")
    lines.append(f"fixed as % of reference: {headline['fixed_of_reference_percent']}% (a crashed fix counts as 1x; "
                 f"{headline['fixed_of_reference_percent_where_both_ran']}% where both ran)  "
                 "(= identical results, ~ within tolerance, != different)")
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
    print()
    print(table(results))
    print(f"wall time: {wall_seconds:.0f}s")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(document(results, args.repeats, wall_seconds), indent=2) + "\n",
                           encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if all(result["within_tolerance"] and result["graph_mode"] and result["variants"]["fixed"]["error"] is None
                    for result in results) else 1


def document(results: list[dict], repeats: int, wall_seconds: float) -> dict:
    """What ``runtime.json`` holds: the summary, the run's settings and environment, every program's figures."""
    return {**summary(results), "repeats": repeats, "wall_seconds": round(wall_seconds, 1),
            "environment": _versions(), "programs": results}


if __name__ == "__main__":
    sys.exit(main())
