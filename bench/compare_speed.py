"""Cold and warm lint speed of two checkouts, measured in the same run, so a refactor can show it is
no slower (issue 13). The runs alternate between the checkouts, so a busy machine slows both alike.

    python bench/compare_speed.py BEFORE_CHECKOUT AFTER_CHECKOUT [--packages 6] [--repeats 3]

Each checkout is put first on ``PYTHONPATH`` (``git worktree add /tmp/before REV`` makes one).
Cold: ``check --no-cache`` over the first ``--packages`` pinned corpus packages. Warm: the
pre-commit-style run of ``static.warm_single_file`` (a filled cache, one file edited and named).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import static  # noqa: E402


def _use(checkout: Path) -> None:
    static._INSTALLED_LIKE["PYTHONPATH"] = str(checkout)  # noqa: SLF001 - the measuring environment


def _warm_package(folders: list[Path]) -> Path:
    """tf-keras when it is among them (the pre-commit figure of ``RESULTS.md``), else the largest."""
    by_name = {folder.name: folder for folder in folders}
    return by_name.get("tf-keras") or max(folders, key=lambda folder: static.python_files([folder])[1])


def compare(before: Path, after: Path, packages: int, repeats: int) -> dict[str, dict[str, float]]:
    folders = corpus.fetch(corpus.pinned_packages()[:packages], corpus.DEFAULT_DEST, progress=lambda _: None)
    paths = [str(folder) for folder in folders]
    cold: dict[str, list[float]] = {"before": [], "after": []}
    warm: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(repeats):
        for name, checkout in (("before", before), ("after", after)):
            _use(checkout)
            cold[name].append(static.measure(name, static.lint_command("--no-cache", *paths)).seconds)
    for name, checkout in (("before", before), ("after", after)):
        _use(checkout)
        warm[name] = static.warm_single_file(_warm_package(folders), lambda _: None, edits=repeats)["seconds"]
    return {name: {"cold_s": statistics.median(cold[name]), "warm_s": statistics.median(warm[name])}
            for name in ("before", "after")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--packages", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    figures = compare(arguments.before.resolve(), arguments.after.resolve(), arguments.packages, arguments.repeats)
    print("| checkout | cold s (median) | warm one-file s (median) |\n|---|---|---|")
    for name, values in figures.items():
        print(f"| {name} | {values['cold_s']:.2f} | {values['warm_s']:.2f} |")
    ratio = {key: figures["after"][key] / figures["before"][key] for key in ("cold_s", "warm_s")}
    print(f"after/before: cold {ratio['cold_s']:.2f}, warm {ratio['warm_s']:.2f}")


if __name__ == "__main__":
    main()
