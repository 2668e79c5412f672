"""The precision set: findings on real TF2 code, sampled by rule and labelled by a reader.

    python bench/precision/precision.py findings [--output PATH]   # every default finding, as JSON lines
    python bench/precision/precision.py sample [--seed N] [--size N] # draw bench/precision/sample.jsonl
    python bench/precision/precision.py report                       # precision per rule -> RESULTS.md

Where the findings come from: the pinned corpus of ``bench/corpus.toml`` (fetched into ``.corpus/``,
each package linted as its own project with default settings) and the runtime benchmark's programs
(``bench/programs/``: application-style training scripts, each its own project).

How the sample is drawn: seeded and stratified by rule. Every rule that fires gets
``min(8, its findings)``; the rest of ``--size`` is shared among the rules in proportion to their
findings; within a rule, findings are drawn round-robin over packages so one package does not fill a
rule's share. When the population is smaller than ``--size``, every finding is taken (a census).

How findings are labelled (``labels.toml``, one ``[[finding]]`` per key): ``true`` (a TF2 developer
reading it would act on it, and what it says is right), ``false`` (what it says is wrong), or
``no-value`` (right, but nobody would act on it). Each label has a one-line ``reason``; a label that
rests on runtime behaviour names the script under ``scripts/`` that shows it with real TensorFlow.

``tests/test_precision_set.py`` keeps the labels honest: every ``true`` finding is still reported
and no ``false`` one is (the corpus part in the full corpus run, the programs always).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import importlib.util
import json
import random
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PROGRAMS = REPO / "bench" / "programs"
PROGRAMS_PACKAGE = "bench-programs"
LABELS = HERE / "labels.toml"
SAMPLE = HERE / "sample.jsonl"
RESULTS = HERE / "RESULTS.md"
LABEL_VALUES = ("true", "false", "no-value")
MIN_PER_RULE = 8
# Default rules, plus the speculative HYB302 (off by default), labelled apart: it is a guess by design.
PYPROJECT = '[tool.hybridize-lint]\nextend-select = ["HYB302"]\n'
OPT_IN = frozenset({"HYB302"})


@dataclass(frozen=True, order=True)
class Finding:
    package: str
    path: str  # relative to the package's root
    row: int
    column: int
    code: str
    message: str

    @property
    def key(self) -> str:
        return f"{self.package}/{self.path}:{self.row}:{self.column}:{self.code}"


# -- where findings come from ---------------------------------------------------------------------


def _corpus_module():
    name = "hybridize_lint_bench_corpus"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "corpus.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def lint_project(name: str, folder: Path, scratch: Path) -> list[Finding]:
    """Default findings of ``folder`` linted as a project of its own (a copy with a bare config)."""
    from hybridize_lint.config import SettingsResolver
    from hybridize_lint.engine import Linter, RunOptions

    project = scratch / name
    shutil.copytree(folder, project, ignore=shutil.ignore_patterns(".fetched-sha256", "__pycache__", "reference"))
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    report = Linter(SettingsResolver()).run([project], RunOptions(use_cache=False))
    return sorted(Finding(name, d.path.relative_to(project).as_posix(), d.start.row, d.start.column, d.code,
                          d.message) for d in report.diagnostics)


def program_findings(scratch: Path) -> list[Finding]:
    """Each benchmark program is a script of its own: linted alone, as a user would."""
    found: list[Finding] = []
    for program in sorted(PROGRAMS.glob("*.py")):
        folder = scratch / "programs" / program.stem
        folder.mkdir(parents=True)
        shutil.copyfile(program, folder / program.name)
        found += [Finding(PROGRAMS_PACKAGE, f"{program.name}", f.row, f.column, f.code, f.message)
                  for f in lint_project(program.stem, folder, scratch / "linted")]
    return found


def corpus_findings(scratch: Path, dest: Path | None = None, jobs: int = 1) -> list[Finding]:
    """Each package linted as a project of its own; with ``jobs`` > 1, packages in parallel processes
    (the largest first, so one big package does not end the run alone)."""
    corpus = _corpus_module()
    packages = corpus.pinned_packages()
    folders = corpus.fetch(packages, dest or corpus.DEFAULT_DEST, progress=lambda message: None)
    work = [(package.name, folder, scratch) for package, folder in zip(packages, folders)]
    if jobs <= 1:
        return [finding for item in work for finding in lint_project(*item)]
    largest_first = sorted(work, key=lambda item: -sum(path.stat().st_size for path in item[1].rglob("*.py")))
    with concurrent.futures.ProcessPoolExecutor(jobs) as pool:
        found = dict(zip((item[0] for item in largest_first), pool.map(_lint_project_item, largest_first)))
    return [finding for name, _, _ in work for finding in found[name]]  # in the corpus's order, as one job gives


def _lint_project_item(item: tuple[str, Path, Path]) -> list[Finding]:
    return lint_project(*item)


def all_findings(jobs: int = 1) -> list[Finding]:
    with tempfile.TemporaryDirectory() as scratch:
        return corpus_findings(Path(scratch) / "corpus", jobs=jobs) + program_findings(Path(scratch))


# -- the sample ---------------------------------------------------------------------------------------


def draw(findings: list[Finding], size: int, seed: int) -> list[Finding]:
    """Every default finding when they are fewer than ``size`` (a census), else a seeded sample
    stratified by rule (at least ``MIN_PER_RULE`` each, the rest in proportion), round-robin over
    packages within a rule; the opt-in findings fill what is left of ``size``, drawn the same way."""
    default = [f for f in findings if f.code not in OPT_IN]
    opt_in = [f for f in findings if f.code in OPT_IN]
    if len(default) >= size:
        return _stratified(default, size, seed)
    return sorted(default + _stratified(opt_in, size - len(default), seed), key=lambda f: f.key)


def _stratified(findings: list[Finding], size: int, seed: int) -> list[Finding]:
    by_rule: dict[str, list[Finding]] = collections.defaultdict(list)
    for finding in sorted(findings, key=lambda f: f.key):
        by_rule[finding.code].append(finding)
    if len(findings) <= size:
        return sorted(findings, key=lambda f: f.key)
    quota = {code: min(MIN_PER_RULE, len(items)) for code, items in by_rule.items()}
    spare = size - sum(quota.values())
    rest = {code: len(items) - quota[code] for code, items in by_rule.items()}
    total_rest = sum(rest.values())
    for code in sorted(by_rule):
        if spare > 0 and total_rest:
            quota[code] += min(rest[code], round(spare * rest[code] / total_rest))
    rng = random.Random(seed)
    chosen: list[Finding] = []
    for code in sorted(by_rule):
        by_package: dict[str, list[Finding]] = collections.defaultdict(list)
        for finding in by_rule[code]:
            by_package[finding.package].append(finding)
        for items in by_package.values():
            rng.shuffle(items)
        queues = [by_package[name] for name in sorted(by_package)]
        picked: list[Finding] = []
        while len(picked) < quota[code] and any(queues):
            for queue in queues:
                if queue and len(picked) < quota[code]:
                    picked.append(queue.pop())
        chosen += picked
    return sorted(chosen, key=lambda f: f.key)


# -- labels and the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    key: str
    label: str
    reason: str
    evidence: str = ""
    # A false finding the tool still reports: a known class not fixed yet (the test lets these through
    # and fails once one is no longer reported, so the mark goes with the fix).
    open: bool = False


def read_labels(path: Path = LABELS) -> dict[str, Label]:
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = {}
    for raw in data.get("finding", []):
        label = Label(raw["key"], raw["label"], raw["reason"], raw.get("evidence", ""), bool(raw.get("open", False)))
        if label.open and label.label != "false":
            raise ValueError(f"{label.key}: only a false finding can be open")
        if label.label not in LABEL_VALUES:
            raise ValueError(f"{label.key}: label must be one of {LABEL_VALUES}, not {label.label!r}")
        if not label.reason.strip():
            raise ValueError(f"{label.key}: a label needs a reason")
        if label.key in labels:
            raise ValueError(f"{label.key}: labelled twice")
        labels[label.key] = label
    return labels


def read_sample(path: Path = SAMPLE) -> list[Finding]:
    return [Finding(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def precision_table(sample: list[Finding], labels: dict[str, Label]) -> list[dict]:
    rows = []
    by_rule: dict[str, list[str]] = collections.defaultdict(list)
    for finding in sample:
        label = labels.get(finding.key)
        by_rule[finding.code].append(label.label if label else "unlabelled")
    default_rules = [c for c in by_rule if c not in OPT_IN]
    for code in [*sorted(default_rules), "all default", *sorted(set(by_rule) - set(default_rules))]:
        values = [v for c in default_rules for v in by_rule[c]] if code == "all default" else by_rule[code]
        counts = collections.Counter(values)
        labelled = len(values) - counts["unlabelled"]
        rows.append({"rule": code, "n": len(values), "true": counts["true"], "false": counts["false"],
                     "no-value": counts["no-value"], "unlabelled": counts["unlabelled"],
                     "precision": counts["true"] / labelled if labelled else None})
    return rows


def render(rows: list[dict], population: dict[str, int] | None = None) -> str:
    lines = ["| rule | findings | sampled | true | false | no-value | precision |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        precision = "–" if row["precision"] is None else f"{row['precision']:.2f}"
        total = (sum(n for c, n in population.items() if c not in OPT_IN) if row["rule"] == "all default"
                 else population.get(row["rule"], 0)) if population else ""
        lines.append(f"| {row['rule']} | {total} | {row['n']} | {row['true']} | {row['false']} | {row['no-value']} "
                     f"| {precision} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    findings = commands.add_parser("findings")
    findings.add_argument("--output", type=Path, default=HERE / "findings.jsonl")
    findings.add_argument("--jobs", type=int, default=1, help="packages linted in parallel processes")
    sample = commands.add_parser("sample")
    sample.add_argument("--seed", type=int, default=2026)
    sample.add_argument("--size", type=int, default=150)
    sample.add_argument("--findings", type=Path, default=HERE / "findings.jsonl")
    commands.add_parser("report")
    args = parser.parse_args(argv)
    if args.command == "findings":
        found = all_findings(args.jobs)
        args.output.write_text("".join(json.dumps(asdict(f)) + "\n" for f in found), encoding="utf-8")
        print(f"{len(found)} findings: {dict(collections.Counter(f.code for f in found))}")
    elif args.command == "sample":
        population = read_sample(args.findings)
        chosen = draw(population, args.size, args.seed)
        SAMPLE.write_text("".join(json.dumps(asdict(f)) + "\n" for f in chosen), encoding="utf-8")
        print(f"drew {len(chosen)} of {len(population)}: {dict(collections.Counter(f.code for f in chosen))}")
    else:
        population = collections.Counter(f.code for f in read_sample(HERE / "findings.jsonl"))
        rows = precision_table(read_sample(), read_labels())
        table = render(rows, dict(population))
        RESULTS.write_text("# Precision on real TF2 code\n\nDrawn and labelled as `precision.py` describes; "
                           "regenerate with `python bench/precision/precision.py report`.\n\n" + table,
                           encoding="utf-8")
        print(table, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
