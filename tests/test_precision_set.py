"""The labelled precision set (``bench/precision/``) stays true to the tool.

Every finding a reader labelled ``true`` is still reported, and none labelled ``false`` is: for the
benchmark programs on every run, for the pinned corpus in the full corpus run
(``HYBRIDIZE_LINT_CORPUS=all``, which fetches it). The sample itself is the seeded draw from the
recorded population, and every sampled finding carries a label with a reason.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WHICH = os.environ.get("HYBRIDIZE_LINT_CORPUS", "fast")


def _precision():
    name = "hybridize_lint_bench_precision"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "precision" / "precision.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


precision = _precision()
SAMPLE = precision.read_sample()
LABELS = precision.read_labels()


def test_the_sample_is_the_seeded_stratified_draw_from_the_recorded_population():
    population = precision.read_sample(precision.HERE / "findings.jsonl")
    assert precision.draw(population, 150, 2026) == SAMPLE
    assert len(SAMPLE) >= min(150, len(population))
    per_rule = {code: sum(f.code == code for f in population) for code in {f.code for f in population}}
    for code, count in per_rule.items():
        assert sum(f.code == code for f in SAMPLE) >= min(precision.MIN_PER_RULE, count), code


def test_every_sampled_finding_is_labelled_with_a_reason_and_its_evidence_exists():
    """Labels of earlier samples stay too (findings since fixed, or no longer drawn): they keep
    guarding the tool against reporting a false finding again or losing a true one."""
    keys = {finding.key for finding in SAMPLE}
    assert keys <= set(LABELS), sorted(keys - set(LABELS))
    for label in LABELS.values():
        if label.evidence:
            assert (precision.HERE / label.evidence).is_file(), label.evidence


def _against_labels(findings: list, packages: set[str]) -> tuple[list[str], list[str]]:
    """(true findings no longer reported, false findings still reported)."""
    reported = {finding.key for finding in findings}
    labelled = [label for label in LABELS.values() if label.key.split("/", 1)[0] in packages]
    assert labelled, f"no labelled findings in {sorted(packages)}"
    missing = [label.key for label in labelled if label.label == "true" and label.key not in reported]
    wrong = [label.key for label in labelled if label.label == "false" and not label.open and label.key in reported]
    return missing, wrong


def _fixed_but_still_open(findings: list, packages: set[str]) -> list[str]:
    reported = {finding.key for finding in findings}
    return [label.key for label in LABELS.values() if label.open and label.key.split("/", 1)[0] in packages
            and label.key not in reported]


def test_benchmark_programs_still_get_their_true_findings_and_none_of_the_false(tmp_path):
    assert _against_labels(precision.program_findings(tmp_path), {precision.PROGRAMS_PACKAGE}) == ([], [])


CORPUS_RUN = pytest.mark.skipif(WHICH != "all", reason="the corpus part runs in the full corpus run "
                                                      "(HYBRIDIZE_LINT_CORPUS=all)")


@pytest.fixture(scope="module")
def corpus_findings(tmp_path_factory):
    dest = Path(os.environ.get("HYBRIDIZE_LINT_CORPUS_DIR") or REPO / ".corpus")
    return precision.corpus_findings(tmp_path_factory.mktemp("precision"), dest)


def _corpus_packages() -> set[str]:
    return {package.name for package in precision._corpus_module().pinned_packages()}


@CORPUS_RUN
def test_corpus_still_gets_its_true_findings(corpus_findings):
    assert _against_labels(corpus_findings, _corpus_packages())[0] == []


@CORPUS_RUN
def test_corpus_gets_none_of_the_false_findings(corpus_findings):
    """Except the open ones (known classes not fixed yet), which must still be reported until their
    fix drops the mark."""
    assert _against_labels(corpus_findings, _corpus_packages())[1] == []
    assert _fixed_but_still_open(corpus_findings, _corpus_packages()) == []
