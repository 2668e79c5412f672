"""Apply `check --fix --unsafe-fixes` to a copy of a corpus and check that nothing breaks (issue 17).

For each package directory under CORPUS: copy it, list the fixes offered (JSON, with unsafe fixes
shown), apply them, check every changed file still parses, apply again and check nothing changes.
Writes a JSON summary (fix kinds counted by the fix's title) and keeps the copies for review.

    python bench/fixes/run_fixes.py CORPUS_DIR WORK_DIR [PACKAGE ...]
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

KINDS = (  # fix title prefix → kind
    ("Remove `tf.function`", "dehybridize"),
    ("Replace `print`", "print → tf.print"),
    ("Replace `time", "clock → tf.timestamp"),
    ("Replace `", "randomness → tf.random"),
    ("Drop `.numpy()`", "drop .numpy()"),
    ("Create the `tf.Variable` once", "tf.Variable created once"),
    ("Make `", "counter → tf.Variable"),
    ("Collect `", "list → tf.TensorArray"),
)


def kind_of(title: str) -> str:
    return next((kind for prefix, kind in KINDS if title.startswith(prefix)), "other: " + title.split(":")[0][:60])


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.py"))}


def lint(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hybridize_lint", "check", "--exit-zero", "--no-cache", *arguments, "."],
                          capture_output=True, text=True, cwd=cwd)


def main() -> None:
    corpus, work = Path(sys.argv[1]), Path(sys.argv[2])
    packages = sys.argv[3:] or sorted(p.name for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("_"))
    summary = {}
    for package in packages:
        copy = work / package
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(corpus / package, copy)
        if not (copy / "pyproject.toml").exists():
            (copy / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
        listed = lint(["--unsafe-fixes", "--output-format", "json"], copy)
        findings = json.loads(listed.stdout or "[]")
        offered = Counter(kind_of(f["fix"]["message"]) for f in findings if f.get("fix"))
        by_rule = Counter(f"{f['code']} {kind_of(f['fix']['message'])}" for f in findings if f.get("fix"))
        before = digest(copy)
        first = lint(["--fix", "--unsafe-fixes"], copy)
        after = digest(copy)
        changed = sorted(name for name in after if before.get(name) != after[name])
        broken = []
        for name in changed:
            try:
                ast.parse((copy / name).read_bytes())
            except SyntaxError as error:
                broken.append(f"{name}: {error}")
        lint(["--fix", "--unsafe-fixes"], copy)
        again = digest(copy)
        unstable = sorted(name for name in again if after.get(name) != again[name])
        summary[package] = {"findings": len(findings), "offered": dict(offered), "by_rule": dict(by_rule),
                            "changed_files": changed, "broken": broken, "second_pass_changed": unstable,
                            "first_pass_tail": first.stdout.strip().splitlines()[-1:] + first.stderr.strip().splitlines()[-3:]}
        print(package, json.dumps(summary[package]["offered"]), "changed", len(changed), "broken", len(broken),
              "unstable", len(unstable), summary[package]["first_pass_tail"], flush=True)
    (work / "summary.json").write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
