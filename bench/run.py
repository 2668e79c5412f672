"""Run every benchmark and regenerate ``bench/RESULTS.md`` (and its plots).

    pip install '.[bench]' && python bench/run.py            # everything (~15 min on 2 cores)
    python bench/run.py --skip-runtime                         # static speed only
    python bench/run.py --skip-static                          # TensorFlow speedups only

Static speed is measured on the pinned corpus (``bench/corpus.toml``, fetched into ``.corpus/``
on first use); the runtime speedups on the TF2 programs in ``bench/programs/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import report  # noqa: E402
import runtime  # noqa: E402
import static  # noqa: E402

RESULTS = HERE / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=corpus.DEFAULT_DEST, help="where the corpus is unpacked")
    parser.add_argument("--skip-static", action="store_true")
    parser.add_argument("--skip-runtime", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="runs per TensorFlow program and variant")
    parser.add_argument("--fast", action="store_true", help="smoke test: the small corpus package only")
    arguments = parser.parse_args()
    started = time.perf_counter()
    RESULTS.mkdir(exist_ok=True)
    if not arguments.skip_static:
        folders = corpus.fetch(corpus.pinned_packages(arguments.fast), arguments.corpus, progress=_progress)
        static_results = {
            "cold": static.cold_versus_peers(folders, _progress),
            "scaling": static.scaling(folders, _progress),
            "warm": static.warm_single_file(_warm_project(folders), _progress),
            "corpus": [{"name": p.name, "version": p.version, "sha256": p.sha256}
                       for p in corpus.pinned_packages(arguments.fast)],
        }
        _save("static.json", static_results)
    if not arguments.skip_runtime:
        runtime_started = time.perf_counter()
        rows = runtime.run_all(progress=_progress, repeats=arguments.repeats)
        _save("runtime.json", runtime.document(rows, arguments.repeats, time.perf_counter() - runtime_started))
    _save("machine.json", machine())
    report.write(RESULTS, HERE / "RESULTS.md")
    _progress(f"wrote {HERE / 'RESULTS.md'} in {time.perf_counter() - started:.0f} s")


def machine() -> dict:
    versions = {}
    for name in ("hybridize-lint", "tensorflow-cpu", "flake8", "pyflakes", "ruff", "ast-grep-py"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:  # the report says "not installed"
            versions[name] = None
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "versions": versions}


def _warm_project(folders: list[Path]) -> Path:
    """The smallest package of at least 100 KLOC (the target's project size), else the largest."""
    sizes = sorted((static.python_files([folder])[1], folder.name, folder) for folder in folders)
    return next((folder for lines, _, folder in sizes if lines >= 100_000), sizes[-1][2])


def _save(name: str, data) -> None:
    (RESULTS / name).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _progress(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    main()
