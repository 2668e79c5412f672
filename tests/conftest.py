import sys
from pathlib import Path

import pytest

# Test helpers (such as rule_examples.py) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project (its own pyproject.toml) that is also the working directory."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path
