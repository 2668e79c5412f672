"""Generated documentation stays in sync with the rule data, and the README's set-up stays true."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from hybridize_lint.registry import load_rules
from hybridize_lint.rule_docs import docs_pages, readme_with_table

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "run `python -m hybridize_lint.rule_docs` to regenerate"


def test_readme_rule_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme, list(load_rules())) == readme, REGENERATE


def test_docs_pages_are_current():
    pages_dir = ROOT / "docs" / "rules"
    expected = docs_pages(list(load_rules()))
    actual = {path.name: path.read_text(encoding="utf-8") for path in pages_dir.glob("*.md")}
    assert actual == expected, REGENERATE


def test_readme_starts_with_the_two_set_up_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines[:4] if line.startswith("    ")]
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && hybridize-lint check") and "examples/" in commands[0]
    assert re.match(r"pip install '\.\[test[^\]]*\]' && pytest", commands[1])


def test_ci_runs_the_readme_test_command():
    """.ci/run extracts the README's test command; check it extracts this one."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extraction = re.search(r"test_command=\$\((.*)\)", script).group(1)
    extracted = subprocess.run(["bash", "-c", extraction], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert extracted == lines[3].strip()


def test_every_rule_has_complete_docs():
    for rule in load_rules():
        assert rule.summary and rule.message
        for section in ("what", "why", "example", "use_instead", "fix_safety"):
            assert rule.docs[section].strip(), (rule.code, section)
