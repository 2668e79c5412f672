"""The package's architecture, as `pyproject.toml`'s import-linter contracts state it.

`lint-imports` fails on an import that runs back up a layer (a cycle included) or between two
rule modules of ``checks/``; the contracts must name every module, so a new module has to take its
place; and no module reaches into another's private names.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hybridize_lint"


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _layer_names(contract: dict) -> set[str]:
    return {name.strip() for layer in contract["layers"] for name in layer.replace(":", "|").split("|")}


def _members(directory: Path) -> set[str]:
    return {path.stem if path.is_file() else path.name for path in directory.iterdir()
            if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()}


def test_lint_imports_keeps_every_contract():
    script = Path(sys.executable).with_name("lint-imports")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "importlinter.cli"]
    result = subprocess.run([*command, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_contracts_place_every_module():
    contracts = _contracts()
    assert _members(PACKAGE) == _layer_names(contracts["package-layers"])
    assert _members(PACKAGE / "analysis") == _layer_names(contracts["analysis-layers"])
    assert _members(PACKAGE / "checks") == _layer_names(contracts["checks-independent"])


def test_no_module_imports_another_modules_private_names():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()  # names this file binds to the package's modules (and functions)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("hybridize_lint")):
                for alias in node.names:
                    if _private(alias.name):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module or '.'} import {alias.name}")
                    if not alias.name[:1].isupper():  # a module or a function of one: both are checked below
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules.update((alias.asname or alias.name).split(".")[0] for alias in node.names
                               if alias.name.startswith("hybridize_lint"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                    and _private(node.attr):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_analyses_name_effect_kinds_and_rules_map_them_to_codes():
    from hybridize_lint.analysis.summary import EffectKind
    from hybridize_lint.registry import load_rules

    by_kind: dict[str, list[str]] = {}
    for rule in load_rules():
        if rule.effect is not None:
            assert rule.effect in {kind.value for kind in EffectKind}, (rule.code, rule.effect)
            by_kind.setdefault(rule.effect, []).append(rule.code)
    assert sorted(by_kind) == sorted(kind.value for kind in EffectKind)
    assert all(len(codes) == 1 for codes in by_kind.values()), by_kind
    codes = []
    for path in sorted((PACKAGE / "analysis").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value[:3] == "HYB" \
                    and node.value[3:].isdigit():
                codes.append(f"{path.name}:{node.lineno}: {node.value}")
    assert not codes, codes


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 500, 60
# Exceptions to the limits (issue #13 asks for none): none is left, and none may join.
OVERSIZED_MODULES: dict[str, int] = {}
LONG_FUNCTIONS: dict[str, int] = {}


def test_modules_and_functions_stay_small():
    too_big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > OVERSIZED_MODULES.get(name, MAX_MODULE_LINES):
            too_big.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > LONG_FUNCTIONS.get(f"{name}::{node.name}", MAX_FUNCTION_LINES):
                    too_big.append(f"{name}::{node.name}: {length} lines")
    assert not too_big, too_big


# Typed values kept as strings (issue #13): value atoms (``p:NAME``, ``r:REF``…, owned by
# analysis/values.py, the array and dtype atoms by analysis/dtypes.py), references (``fn:``,
# ``name:``, ``inst:TYPEREF|NAME``…, owned by analysis/refs.py) and localities (``param:NAME``…,
# owned by analysis/summary.py's ``Locality``). Only their defining module spells or parses them.
TYPED_STRING_OWNERS = {"analysis/values.py", "analysis/dtypes.py", "analysis/refs.py", "analysis/summary.py"}
_TYPED_PREFIX = re.compile(
    r"^(fn|name|inst|method|attr|super|param|closure|iterparam|keras-method|object|[prnkDN]):|^\|\w")
_STRING_PARSES = {"startswith", "endswith", "removeprefix", "removesuffix"}
_SPLITS = {"partition", "rpartition", "split", "rsplit"}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def _typed_string_uses(name: str, tree: ast.AST) -> list[str]:
    """String literals that spell an atom, reference or locality prefix (in a comparison, a
    ``startswith``, an f-string…); in analysis/ and checks/, also ``split(":")``-style parses and
    ``text[N:]`` slices, the other way to read such a string."""
    analysis_code = name.startswith(("analysis/", "checks/"))
    docstrings, found = _docstrings(tree), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and _TYPED_PREFIX.match(node.value):
            found.append(f"{name}:{node.lineno}: {node.value!r}")
        elif analysis_code and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in _SPLITS and node.args and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in (":", "|")):
            found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
        elif analysis_code and isinstance(node, ast.Slice) and node.upper is None and (
                isinstance(node.lower, ast.Constant) and isinstance(node.lower.value, int) and node.lower.value > 1):
            found.append(f"{name}:{node.lineno}: [{ast.unparse(node)}]")
    return found


def test_only_the_defining_modules_spell_or_parse_atoms_references_and_localities():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name not in TYPED_STRING_OWNERS:
            found += _typed_string_uses(name, ast.parse(path.read_text(encoding="utf-8")))
    assert not found, found


def test_the_typed_string_check_catches_the_old_parses():
    old = ('atom.startswith(("p:", "r:"))\nref.startswith("fn:")\nkind, _, rest = ref.partition(":")\n'
           'dotted = ref[5:]\nf"inst:{inner}|__call__"\n')
    assert len(_typed_string_uses("analysis/example.py", ast.parse(old))) == 7
