"""The summary cache is untrusted input: whatever ``.hybridize_lint_cache/`` holds, findings stay those of a
run without a cache, nothing is executed and nothing crashes.

A checkout or a restored CI cache can hold entries someone else wrote: pickle payloads, JSON nested a
hundred thousand deep, summaries of the wrong types, truncated files, entries of other versions.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hybridize_lint.cache as cache_module
from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions

from project_helpers import write_project

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/helpers.py": """
        def log_loss(loss):
            print("loss", loss)
        """,
    "pkg/steps.py": """
        import tensorflow as tf
        from .helpers import log_loss

        @tf.function
        def train_step(x):
            loss = tf.reduce_sum(x * x)
            log_loss(loss)
            return loss

        @tf.function(experimental_relax_shapes=True)
        def predict(x):
            return x * 2

        for _ in range(20):
            train_step(tf.ones([2]))
        """,
}
MARKER = "pwned"


class Exploit:
    """Unpickling this creates the marker file: proof that a pickle was loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def findings(root: Path, use_cache: bool) -> list[tuple]:
    report = Linter(SettingsResolver()).run([root / "pkg" / "steps.py"], RunOptions(use_cache=use_cache))
    assert not report.internal_errors, report.internal_errors
    return [(d.path.name, d.code, d.start.row, d.start.column, d.message) for d in report.diagnostics]


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    write_project(root, PACKAGE, 'select = ["HYB"]\n')
    monkeypatch.chdir(root)
    return root


def entries(root: Path) -> list[Path]:
    return sorted((root / ".hybridize_lint_cache").glob("summaries-*/*.json"))


def test_baseline_depends_on_the_cached_module(package):
    expected = findings(package, use_cache=False)
    assert {code for _, code, *_ in expected} >= {"HYB110", "HYB204"}  # HYB110 needs helpers.py's summary
    assert findings(package, use_cache=True) == expected
    assert len(entries(package)) == 3
    assert findings(package, use_cache=True) == expected  # warm


def hostile_payloads(marker: Path, genuine: bytes) -> dict[str, bytes]:
    mac, _, payload = genuine.partition(b"\n")
    entry = json.loads(payload)
    nested = b"[" * 200_000 + b"]" * 200_000
    wrong_types = json.dumps({**entry, "summary": {**entry["summary"], "functions": [1, 2, 3],
                                                   "classes": "x", "content_hash": None}}).encode()
    lying = json.dumps({**entry, "summary": {**entry["summary"], "functions": {}}}).encode()
    return {
        "pickle": pickle.dumps(Exploit(marker)),
        "pickle after a copied mac": mac + b"\n" + pickle.dumps(Exploit(marker)),
        "nested json": nested,
        "nested json after a copied mac": mac + b"\n" + nested,
        "wrong types, mac copied": mac + b"\n" + wrong_types,
        "a lying summary, mac copied": mac + b"\n" + lying,
        "a lying summary signed with another key": cache_module._mac(b"k" * 32, lying).encode() + b"\n" + lying,
        "truncated": genuine[: len(genuine) // 2],
        "mac only": mac,
        "empty": b"",
        "old format (plain json)": payload,
        "not utf-8": b"\xff\xfe" * 100,
        "huge": b"0" * (cache_module.MAX_ENTRY_BYTES + 10),
    }


def test_planted_and_corrupt_entries_are_misses(package, tmp_path):
    expected = findings(package, use_cache=False)
    findings(package, use_cache=True)
    marker = tmp_path / MARKER
    genuine = {path: path.read_bytes() for path in entries(package)}
    kinds = hostile_payloads(marker, next(iter(genuine.values())))
    for kind, data in kinds.items():
        for path in genuine:
            path.write_bytes(data)
        assert findings(package, use_cache=True) == expected, kind
        assert not marker.exists(), kind
        for path, original in genuine.items():  # the next run rewrote every entry it could not trust
            path.write_bytes(original)


def test_an_entry_of_another_module_is_not_used(package):
    expected = findings(package, use_cache=False)
    findings(package, use_cache=True)
    files = entries(package)
    data = [path.read_bytes() for path in files]
    for path, other in zip(files, data[1:] + data[:1]):  # every entry swapped for a genuine one of another module
        path.write_bytes(other)
    assert findings(package, use_cache=True) == expected


def test_an_unreadable_key_turns_the_cache_off(package, tmp_path, monkeypatch):
    expected = findings(package, use_cache=False)
    monkeypatch.setenv(cache_module.KEY_ENVIRONMENT, str(tmp_path / "short-key"))
    (tmp_path / "short-key").write_bytes(b"too short")
    assert findings(package, use_cache=True) == expected
    assert entries(package) == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30)


@settings(max_examples=int(os.environ.get("HYBRIDIZE_LINT_FUZZ_EXAMPLES", 25)), derandomize=True, deadline=None,
          database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(garbage=st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.tuples(json_values, json_values).map(
        lambda pair: json.dumps({"module": "pkg.helpers", "stat": pair[0], "summary": pair[1]}).encode()),
), cut=st.integers(min_value=0, max_value=10_000), sign_with_own_key=st.booleans())
def test_fuzzed_cache_files_never_change_findings(package, garbage, cut, sign_with_own_key):
    if not entries(package):
        findings(package, use_cache=True)
    expected = findings(package, use_cache=False)
    for path in entries(package):
        genuine = path.read_bytes()
        mutated = garbage if cut % 2 else genuine[: cut % max(len(genuine), 1)] + garbage
        if sign_with_own_key and cut % 3 == 0:  # entries with a valid MAC but damaged content
            _, _, payload = mutated.partition(b"\n")
            key = cache_module._user_key()
            mutated = cache_module._mac(key, payload).encode() + b"\n" + payload
        path.write_bytes(mutated)
    assert findings(package, use_cache=True) == expected


def test_loading_never_executes_code():
    """No pickle, marshal, shelve, eval or exec in the cache's code, now or in a future format."""
    tree = ast.parse(Path(cache_module.__file__).read_text(encoding="utf-8"))
    forbidden_modules = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not {alias.name.split(".")[0] for alias in node.names} & forbidden_modules
        elif isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] not in forbidden_modules
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"eval", "exec", "compile", "__import__"}
