"""The code in each rule's documentation says what the page says: the ``[docs] example`` is
reported by its rule, and the ``use_instead`` code is clean of it.

Snippets are written for readers, so they may leave out ``import tensorflow as tf``; the test
adds it. The page's rule is selected by its full code, so a rule that is off by default (HYB302)
is checked too. A snippet that needs more context than a page can show is listed below with the
reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hybridize_lint.api import lint
from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import RunOptions
from hybridize_lint.registry import load_rules

NOT_A_SNIPPET = {"HYB001": "an unreadable file cannot be shown as code"}
RULES = [rule for rule in load_rules() if rule.code not in NOT_A_SNIPPET]


def _codes(markdown: str, directory: Path, rule: str) -> set[str]:
    code = "\n".join(re.findall(r"```python\n(.*?)```", markdown, re.S))
    if "import tensorflow" not in code:
        code = "import tensorflow as tf\n" + code
    directory.mkdir()
    (directory / "pyproject.toml").write_text(f'[tool.hybridize-lint]\nselect = ["HYB", "{rule}"]\n', encoding="utf-8")
    (directory / "example.py").write_text(code, encoding="utf-8")
    report = lint([directory], SettingsResolver(), RunOptions(use_cache=False))
    assert not report.internal_errors, report.internal_errors
    return {diagnostic.code for diagnostic in report.diagnostics}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_documented_example_is_reported(rule, tmp_path):
    assert rule.code in _codes(rule.docs["example"], tmp_path / "example", rule.code)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_documented_alternative_is_clean(rule, tmp_path):
    assert rule.code not in _codes(rule.docs["use_instead"], tmp_path / "use_instead", rule.code)
