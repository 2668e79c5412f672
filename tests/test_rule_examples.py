"""Every example of every rule in ``rules/`` is a test: a new rule is tested by writing its file."""

from __future__ import annotations

import ast

import pytest

from rule_examples import all_examples, example_id, expected, findings, fix, materialize, python_files

EXAMPLES = all_examples()


@pytest.mark.parametrize("item", EXAMPLES, ids=example_id)
def test_example_reports_exactly_what_it_marks(item, tmp_path):
    rule, example = item
    project = materialize(example, tmp_path / "project")
    assert findings(project) == expected(example)


@pytest.mark.parametrize("item", [i for i in EXAMPLES if i[1].kind == "bad"], ids=example_id)
def test_fix_round_trip(item, tmp_path):
    """Fix → expected text → parses → nothing fixable remains → fixing again changes nothing."""
    rule, example = item
    project = materialize(example, tmp_path / "project")
    before = python_files(project)
    report = fix(project)
    assert not report.internal_errors
    after = python_files(project)
    wanted = dict(before)
    for name, text in (example.fixed or {}).items():
        wanted[name] = text.encode("utf-8")
    assert after == wanted
    for name, data in after.items():
        if _parses(before[name]):
            ast.parse(data)
    fixable = [d for d in report.diagnostics if d.fix is not None and d.fix.is_applied_with(unsafe=True)]
    assert fixable == []
    fix(project)
    assert python_files(project) == after


def test_every_fixable_rule_demonstrates_its_fix():
    fixable_rules = {rule.code for rule, _ in EXAMPLES if rule.fix is not None}
    demonstrated = {rule.code for rule, example in EXAMPLES if example.fixed}
    assert fixable_rules <= demonstrated


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        return False
    return True
