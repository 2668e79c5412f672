"""Static speed: hybridize-lint against a parse-only baseline and peer linters, on the same tree.

Every figure is a ratio measured in the same run, so machine speed cancels out.  Each command
runs in a fresh process under a small wrapper that reports its wall time and the peak resident
memory of its largest process (``getrusage``; forked workers share the parent's pages).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

# Reads and parses every file once, serially: the floor any Python linter stands on.
PARSE_ONLY = """
import ast, sys
from pathlib import Path
for root in sys.argv[1:]:
    for path in sorted(Path(root).rglob("*.py")):
        try:
            ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            pass
"""

# flake8 with our own plugin left out: the peer is flake8 + pyflakes, not flake8 + us.
FLAKE8_WITHOUT_US = """
import sys
import flake8.plugins.finder as finder
found = finder.find_plugins
finder.find_plugins = lambda *a, **k: [p for p in found(*a, **k) if p.package != "hybridize-lint"]
from flake8.main.cli import main
sys.exit(main())
"""

# Runs a command, then prints its wall time and the peak RSS (KiB) of its largest process.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
print(json.dumps({"seconds": time.perf_counter() - start, "max_rss_kib":
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "exit": code}))
"""


# As users run tools: bytecode caches on (some sandboxes and CI images turn them off).
_INSTALLED_LIKE = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Timing:
    label: str
    seconds: float
    max_rss_mib: float
    runs: int


def measure(label: str, command: list[str], repeats: int = 1, cwd: Path | None = None,
            allowed_exits: tuple[int, ...] = (0, 1)) -> Timing:
    """Median wall time of ``repeats`` runs of ``command``."""
    seconds, peaks = [], []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=cwd,
                              check=True, env=_INSTALLED_LIKE)
        result = json.loads(done.stdout)
        if result["exit"] not in allowed_exits:
            raise RuntimeError(f"{label}: {' '.join(command)} exited {result['exit']}")
        seconds.append(result["seconds"])
        peaks.append(result["max_rss_kib"] / 1024)
    return Timing(label, statistics.median(seconds), max(peaks), repeats)


def lint_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "hybridize_lint", "check", "--exit-zero", "-q", *arguments]


def python_files(folders: list[Path]) -> tuple[int, int]:
    """(files, lines of code) under ``folders``."""
    files = lines = 0
    for folder in folders:
        for path in folder.rglob("*.py"):
            files += 1
            lines += path.read_bytes().count(b"\n")
    return files, lines


def cold_versus_peers(corpus: list[Path], progress, repeats: int = 1) -> dict:
    """Whole corpus, no cache: us (all cores and one core), parse-only, flake8 --select=F, ruff."""
    paths = [str(folder) for folder in corpus]
    files, lines = python_files(corpus)
    progress(f"static: whole corpus, {files} files, {lines / 1000:.0f} KLOC")
    timings = {}
    steps = [
        ("parse-only", [sys.executable, "-c", PARSE_ONLY, *paths]),
        ("hybridize-lint", lint_command("--no-cache", *paths)),
        ("hybridize-lint -j1", lint_command("--no-cache", "-j", "1", *paths)),
        ("flake8 --select=F", [sys.executable, "-c", FLAKE8_WITHOUT_US, "--select=F", "--exit-zero", *paths]),
    ]
    ruff = shutil.which("ruff", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if ruff:
        steps.append(("ruff --select=F", [ruff, "check", "--select=F", "--no-cache", "--exit-zero", "-q", *paths]))
    for label, command in steps:
        progress(f"  {label} …")
        timings[label] = measure(label, command, repeats)
        progress(f"  {label}: {timings[label].seconds:.2f} s, peak {timings[label].max_rss_mib:.0f} MiB")
    return {"files": files, "lines": lines, "cpus": os.cpu_count(),
            "timings": {label: asdict(timing) for label, timing in timings.items()}}


def scaling(corpus: list[Path], progress) -> list[dict]:
    """Cold lint time as the project grows: 1, 2, 4, … packages (smallest first), and its parse-only floor."""
    by_size = sorted(corpus, key=lambda folder: python_files([folder])[1])
    counts = sorted({1, *(n for n in (2, 4) if n < len(by_size)), len(by_size)})
    rows = []
    for count in counts:
        folders = by_size[:count]
        files, lines = python_files(folders)
        paths = [str(folder) for folder in folders]
        progress(f"scaling: {count} package(s), {files} files …")
        lint = measure("lint", lint_command("--no-cache", *paths))
        floor = measure("parse-only", [sys.executable, "-c", PARSE_ONLY, *paths])
        rows.append({"packages": count, "names": [folder.name for folder in folders], "files": files, "lines": lines,
                     "lint_seconds": lint.seconds, "parse_seconds": floor.seconds, "max_rss_mib": lint.max_rss_mib})
    return rows


def warm_single_file(package: Path, progress, edits: int = 5) -> dict:
    """pre-commit style: a warm cache, one file edited, only that file named on the command line.

    The package is copied into a temporary git-like project (a ``.git`` folder marks its root,
    as in a real repository), linted once to fill the cache, then one module is edited and
    re-linted ``edits`` times, each time with a different edit.
    """
    with tempfile.TemporaryDirectory(prefix="hybridize-bench-warm-") as temporary:
        project = Path(temporary) / package.name
        shutil.copytree(package, project)
        (project / ".git").mkdir()
        files, lines = python_files([project])
        progress(f"warm: {package.name}, {files} files, {lines / 1000:.0f} KLOC, filling the cache …")
        fill = measure("fill cache", lint_command("."), cwd=project)
        target = _typical_module(project)
        original = target.read_text(encoding="utf-8")
        seconds = []
        for edit in range(edits):
            target.write_text(original + f"\n\ndef _edited_{edit}(x):\n    return x + {edit}\n", encoding="utf-8")
            timing = measure("warm", lint_command(str(target.relative_to(project))), cwd=project)
            seconds.append(timing.seconds)
        target.write_text(original, encoding="utf-8")
        progress(f"  warm one-file run: median {statistics.median(seconds):.2f} s")
        return {"package": package.name, "files": files, "lines": lines, "fill_seconds": fill.seconds,
                "edited": str(target.relative_to(project)), "seconds": seconds,
                "median_seconds": statistics.median(seconds), "max_rss_mib": timing.max_rss_mib}


def _typical_module(project: Path) -> Path:
    """A mid-sized module, not a test: what a commit usually touches."""
    candidates = sorted((path for path in project.rglob("*.py") if "test" not in path.name),
                        key=lambda path: (path.stat().st_size, str(path)))
    return candidates[len(candidates) // 2]
