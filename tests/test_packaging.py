"""The wheel ships the rule data, and an installed copy finds it from outside the repo."""

from __future__ import annotations

import configparser
import importlib.util
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from hybridize_lint import registry

ROOT = Path(__file__).parents[1]
DATA = "hybridize_lint/_data/rules"


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    if importlib.util.find_spec("hatchling"):
        command = ["-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)]
    else:  # isolated build: `build` (test extra) fetches hatchling from the index
        command = ["-m", "build", "--wheel", "--outdir", str(out), str(ROOT)]
    result = _run(*command)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("hybridize_lint-*.whl")
    return built


def test_wheel_contains_rule_data_and_entry_points(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points_file,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        entry_points = configparser.ConfigParser(delimiters="=")
        entry_points.read_string(archive.read(entry_points_file).decode())

    assert f"{DATA}/HYB101-print-in-graph-code.toml" in names
    source = {path.relative_to(ROOT / "rules").as_posix() for path in ROOT.glob("rules/**/*.toml")}
    assert {"HYB101-print-in-graph-code.toml", "api/tensorflow.toml"} <= source
    assert {f"{DATA}/{name}" for name in source} <= names
    pages = {path.name for path in (ROOT / "docs" / "rules").glob("*.md")}
    assert pages and {f"hybridize_lint/_data/docs/{name}" for name in pages} <= names  # JSON url, SARIF helpUri
    assert entry_points["console_scripts"]["hybridize-lint"] == "hybridize_lint.cli:main"
    assert entry_points["flake8.extension"]["HYB"] == "hybridize_lint.flake8_plugin:HybridizeChecker"


def test_installed_wheel_finds_its_rules_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = _run("-m", "pip", "install", "--no-deps", "--target", str(site), str(wheel))
    assert result.returncode == 0, result.stdout + result.stderr
    env = {**os.environ, "PYTHONPATH": str(site)}
    repo_codes = sorted(spec.code for spec in registry.load_rules(ROOT / "rules"))
    assert "HYB101" in repo_codes

    probe = textwrap.dedent("""
        import sys
        from pathlib import Path
        import hybridize_lint
        from hybridize_lint import registry
        site = Path(sys.argv[1]).resolve()
        assert site in Path(hybridize_lint.__file__).resolve().parents, hybridize_lint.__file__
        packaged = Path(hybridize_lint.__file__).resolve().parent / "_data" / "rules"
        assert registry.rules_directory().resolve() == packaged, registry.rules_directory()
        codes = sorted(spec.code for spec in registry.load_rules())
        assert codes == sys.argv[2:], codes
        url = registry.rules_by_code()["HYB101"].url
        assert url == (packaged.parent / "docs" / "HYB101-print-in-graph-code.md").as_uri(), url
    """)
    result = _run("-c", probe, str(site), *repo_codes, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr

    example = tmp_path / "step.py"
    example.write_text("import tensorflow as tf\n\n@tf.function\ndef step(x):\n    print(x)\n    return x\n")
    result = _run("-m", "hybridize_lint", "check", "--no-cache", example.name, cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "HYB101" in result.stdout
