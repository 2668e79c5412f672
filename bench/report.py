"""``bench/RESULTS.md`` and its plots from the JSON files ``bench/run.py`` saves in ``bench/results/``.

The targets come from the performance issue; each row says whether the latest run met it.
Analysis notes (profiles, what would close a gap) live in ``bench/NOTES.md``, written by people,
and are linked, not generated.
"""

from __future__ import annotations

import json
from pathlib import Path

TARGETS = {
    "cold_vs_parse": 1.5,  # at most this many times the parse-only floor
    "faster_than_flake8": 3.0,  # at least this many times faster than flake8 --select=F
    "warm_seconds": 0.3,
    "memory_mib": 1024,
    "geomean_speedup": 2.16,
    "fixed_of_reference_percent": 90.0,  # the fixes reach at least this share of the hand-hybridized speedup
}
VARIANTS = ("fixed", "reference", "naive")


def write(results: Path, destination: Path) -> None:
    loaded = {name: _load(results / f"{name}.json") for name in ("static", "runtime", "machine")}
    plots = _plots(loaded, destination.parent)
    lines = ["# Benchmark results", "", "Regenerate with `python bench/run.py` (see its docstring); "
             "raw figures are in `bench/results/*.json`, analysis of missed targets in "
             "[`NOTES.md`](NOTES.md).", ""]
    lines += _machine(loaded["machine"])
    lines += _targets(loaded)
    if loaded["static"]:
        lines += _static(loaded["static"])
    if loaded["runtime"]:
        lines += _runtime(loaded["runtime"])
    for title, name in plots:
        lines += [f"![{title}]({name})", ""]
    destination.write_text("\n".join(lines), encoding="utf-8")


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _machine(machine) -> list[str]:
    if not machine:
        return []
    versions = ", ".join(f"{name} {version or 'not installed'}" for name, version in machine["versions"].items())
    return [f"Measured {machine['date']} on {machine['platform']} ({machine['processor']}, {machine['cpus']} CPUs), "
            f"Python {machine['python']}; {versions}.", ""]


def _targets(loaded) -> list[str]:
    rows = ["## Targets", "", "| What | Target | Measured | Met |", "|---|---|---|---|"]
    static, runtime = loaded["static"], loaded["runtime"]
    if static:
        timings = static["cold"]["timings"]
        ours, floor = timings["hybridize-lint"]["seconds"], timings["parse-only"]["seconds"]
        flake8 = timings["flake8 --select=F"]["seconds"]
        rows.append(_row("Cold whole-corpus run / serial read+parse of every file", f"≤ {TARGETS['cold_vs_parse']}×",
                         f"{ours / floor:.1f}×", ours / floor <= TARGETS["cold_vs_parse"]))
        rows.append(_row("Speed vs `flake8 --select=F` on the same tree", f"≥ {TARGETS['faster_than_flake8']}× faster",
                         f"{flake8 / ours:.2f}×", flake8 / ours >= TARGETS["faster_than_flake8"]))
        warm = static["warm"]
        rows.append(_row(f"Warm pre-commit run, one changed file, {warm['lines'] / 1000:.0f} KLOC project",
                         f"< {TARGETS['warm_seconds']} s", f"{warm['median_seconds']:.2f} s",
                         warm["median_seconds"] < TARGETS["warm_seconds"]))
        peak = max(timing["max_rss_mib"] for label, timing in timings.items() if label.startswith("hybridize-lint"))
        rows.append(_row("Peak memory, whole corpus (largest process)", f"< {TARGETS['memory_mib']} MiB",
                         f"{peak:.0f} MiB", peak < TARGETS["memory_mib"]))
    if runtime:
        changed = sum(not row["identical"] for row in runtime["programs"])  # a crash is a changed result too
        ran, total = runtime.get("programs_ran", {}).get("fixed", len(runtime["programs"])), len(runtime["programs"])
        rows.append(_row("Geometric-mean speedup of fixed TF2 programs", f"≥ {TARGETS['geomean_speedup']}×",
                         f"{runtime['geomean_speedup']:.2f}×" + (f" (over the {ran} of {total} that ran)"
                                                                 if ran != total else ""),
                         runtime["geomean_speedup"] >= TARGETS["geomean_speedup"] and ran == total))
        share = runtime.get("fixed_of_reference_percent")
        if share is not None:
            ran = runtime.get("fixed_of_reference_percent_where_both_ran")
            rows.append(_row("Fixed speedup as % of the hand-hybridized reference (geometric means; a crash counts as 1×)",
                             f"≥ {TARGETS['fixed_of_reference_percent']:.0f} %", f"{share:.0f} %" + (
                                 f" ({ran:.0f} % where both ran)" if ran is not None and round(ran) != round(share) else ""),
                             share >= TARGETS["fixed_of_reference_percent"]))
        slower = [row["program"] for row in runtime["programs"] if row["speedup"] is not None and row["speedup"] < 1.0]
        rows.append(_row("Programs slower than eager after the fix", "0",
                         f"{len(slower)}" + (f" ({', '.join(slower)})" if slower else ""), not slower))
        rows.append(_row("Programs whose results changed (or that crash) after the fix", "0", str(changed), changed == 0))
    return rows + [""]


def _row(what: str, target: str, measured: str, met: bool) -> str:
    return f"| {what} | {target} | {measured} | {'yes' if met else '**no**'} |"


def _static(static) -> list[str]:
    cold = static["cold"]
    lines = ["## Static speed", "",
             f"Whole pinned corpus ({len(static['corpus'])} packages, {cold['files']} files, "
             f"{cold['lines'] / 1000:.0f} KLOC), no cache, {cold['cpus']} CPUs:", "",
             "| Command | Seconds | × parse-only | Peak MiB |", "|---|---|---|---|"]
    floor = cold["timings"]["parse-only"]["seconds"]
    for label, timing in cold["timings"].items():
        lines.append(f"| `{label}` | {timing['seconds']:.2f} | {timing['seconds'] / floor:.1f} | "
                     f"{timing['max_rss_mib']:.0f} |")
    lines += ["", "Growth with project size (cold, all cores; packages added smallest first):", "",
              "| Packages | Files | KLOC | Lint s | Parse-only s | Ratio | ms per KLOC |", "|---|---|---|---|---|---|---|"]
    for row in static["scaling"]:
        lines.append(f"| {row['packages']} ({', '.join(row['names'])}) | {row['files']} | {row['lines'] / 1000:.0f} | "
                     f"{row['lint_seconds']:.2f} | {row['parse_seconds']:.2f} | "
                     f"{row['lint_seconds'] / row['parse_seconds']:.1f} | "
                     f"{1000 * row['lint_seconds'] / (row['lines'] / 1000):.0f} |")
    warm = static["warm"]
    lines += ["", f"Warm pre-commit-style run: `{warm['package']}` ({warm['files']} files, {warm['lines'] / 1000:.0f} KLOC) "
              f"with a filled cache ({warm['fill_seconds']:.1f} s to fill), `{warm['edited']}` edited, only it named: "
              + ", ".join(f"{seconds:.2f}" for seconds in warm["seconds"]) + f" s (median {warm['median_seconds']:.2f} s).",
              "", "Corpus: " + ", ".join(f"{p['name']} {p['version']}" for p in static["corpus"])
              + " (wheels pinned by sha256 in `bench/corpus.toml`).", ""]
    return lines


def _runtime(runtime) -> list[str]:
    programs = runtime["programs"]
    if not all("variants" in row for row in programs):  # a run from before the reference and naive variants
        return _runtime_fixed_only(runtime)
    lines = ["## Runtime speedup of the fixes", "",
             "Each program as written (eager); after `hybridize-lint check --fix --unsafe-fixes` (fixed); "
             "hand-hybridized by us, differing from the program only in `@tf.function` lines "
             "(reference, `bench/programs/reference/`: the ceiling); and with `@tf.function` on every "
             "module-level function and method of its own classes (naive, generated by "
             "`bench/runtime.py`). Speedups are over eager, medians of the timed loop over "
             f"{runtime.get('repeats', '?')} alternating runs; `=` marks results bit-for-bit identical to "
             "eager, `≠` different results.", "",
             "| Program | Eager s | Fixed | Reference | Naive | Fixed % of reference |", "|---|---|---|---|---|---|"]
    for row in programs:
        cells = [_speedup_cell(row["variants"][variant]) for variant in VARIANTS]
        share = f"{100 * row['fixed_of_reference']:.0f} %" if row.get("fixed_of_reference") else "—"
        lines.append(f"| {row['program']} | {row['eager_seconds']:.2f} | {' | '.join(cells)} | {share} |")
    geomeans = runtime.get("geomeans", {})
    ran = runtime.get("programs_ran", {})
    means = []
    for variant in VARIANTS:
        mean = geomeans.get(variant)
        count = ran.get(variant, len(programs))
        means.append("—" if mean is None else f"**{mean:.2f}×**" + (f" ({count} of {len(programs)} ran)"
                                                                        if count != len(programs) else ""))
    share = runtime.get("fixed_of_reference_percent")
    lines.append(f"| geometric mean | | {' | '.join(means)} | {'—' if share is None else f'{share:.0f} %'} |")
    lines += ["", "Functions each variant decorated (and failures):", "",
              "| Program | Fixed | Reference | Naive |", "|---|---|---|---|"]
    for row in programs:
        cells = []
        for variant in VARIANTS:
            figures = row["variants"][variant]
            cell = ", ".join(f"`{name}`" for name in figures["decorated"]) or "—"
            if figures["error"] is not None:
                cell += f" — crashed: {figures['error']}"
            cells.append(cell.replace("|", "\\|"))
        lines.append(f"| {row['program']} | {' | '.join(cells)} |")
    crashed = runtime.get("crashed", {})
    changed = runtime.get("results_changed", {})
    lines += ["", "Naive decoration crashed "
              f"{len(crashed.get('naive', []))} program(s) ({', '.join(crashed.get('naive', [])) or 'none'}) and "
              f"changed the results of {len(changed.get('naive', []))} ({', '.join(changed.get('naive', [])) or 'none'}); "
              "its geometric mean is over the programs that ran.", ""]
    return lines


def _speedup_cell(figures: dict) -> str:
    if figures.get("error") is not None:
        return "crashed"
    same = "=" if figures["identical"] else "≠"
    return f"{figures['speedup']:.2f}× {same}"


def _runtime_fixed_only(runtime) -> list[str]:
    lines = ["## Runtime speedup of the fixes", "",
             "Each program as written (eager), then after `hybridize-lint check --fix --unsafe-fixes`; median of "
             "the timed loop over repeated runs; results compared for equality.", "",
             "| Program | Eager s | After fix s | Speedup | Identical results | Functions decorated |",
             "|---|---|---|---|---|---|"]
    for row in runtime["programs"]:
        lines.append(f"| {row['program']} | {row['eager_seconds']:.2f} | {row['hybrid_seconds']:.2f} | "
                     f"{row['speedup']:.2f}× | {'yes' if row['identical'] else '**no**'} | "
                     f"{', '.join(row.get('decorated', [])) or '—'} |")
    lines += ["", f"Geometric mean: **{runtime['geomean_speedup']:.2f}×**.", ""]
    return lines


def _plots(loaded, folder: Path) -> list[tuple[str, str]]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # the report still has every figure as a table
        return []
    made = []
    if loaded["runtime"]:
        rows = loaded["runtime"]["programs"]
        figure, axes = plt.subplots(figsize=(8, 1.5 + 0.45 * len(rows)))
        if all("variants" in row for row in rows):
            height = 0.8 / len(VARIANTS)
            for index, (variant, color) in enumerate(zip(VARIANTS, ("#4c72b0", "#8172b2", "#ccb974"))):
                # A crashed variant gets no bar.
                speedups = [row["variants"][variant]["speedup"] or 0.0 for row in rows]
                axes.barh([position + (index - 1) * height for position in range(len(rows))], speedups,
                          height=height, color=color, label=variant)
            axes.set_yticks(range(len(rows)), [row["program"] for row in rows])
            axes.invert_yaxis()
        else:
            axes.barh([row["program"] for row in rows], [row["speedup"] for row in rows], color="#4c72b0")
        axes.axvline(TARGETS["geomean_speedup"], color="#c44e52", linestyle="--", label="paper's mean (2.16×)")
        axes.axvline(loaded["runtime"]["geomean_speedup"], color="#55a868", label="fixed: geometric mean")
        axes.axvline(1.0, color="#333333", linewidth=0.8)
        axes.set_xlabel("speedup over eager (×)")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
        figure.tight_layout()
        figure.savefig(folder / "speedups.png", dpi=110)
        plt.close(figure)
        made.append(("Runtime speedups", "speedups.png"))
    if loaded["static"]:
        rows = loaded["static"]["scaling"]
        figure, axes = plt.subplots(figsize=(8, 4))
        kloc = [row["lines"] / 1000 for row in rows]
        axes.plot(kloc, [row["lint_seconds"] for row in rows], marker="o", label="hybridize-lint (cold)")
        axes.plot(kloc, [row["parse_seconds"] for row in rows], marker="s", label="read + ast.parse only")
        axes.set_xlabel("project size (KLOC)")
        axes.set_ylabel("seconds")
        axes.legend()
        axes.grid(alpha=0.3)
        figure.tight_layout()
        figure.savefig(folder / "lint-time.png", dpi=110)
        plt.close(figure)
        made.append(("Lint time vs project size", "lint-time.png"))
    return made

