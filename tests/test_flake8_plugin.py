"""The flake8 plugin (entry point ``HYB``) run through a real flake8 process.

Every rule example must give the same findings under flake8 as under the
engine, except the engine-only code HYB002 (flake8 reports E999 itself).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from project_helpers import write_project
from rule_examples import all_examples, example_id, expected, findings, materialize

EXAMPLES = all_examples()
ENGINE_ONLY = {"HYB002"}
FORMAT = "%(path)s:%(row)d:%(col)d: %(code)s"

PRINT_AND_RELAX = textwrap.dedent("""\
    import tensorflow as tf


    @tf.function(experimental_relax_shapes=True)
    def step(x):
        print(x)
        return x
""")


def run_flake8(project: Path, *args: str, select: str = "HYB", env: dict | None = None,
               fmt: str = FORMAT) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flake8", "--select", select, "--format", fmt, *args, "."]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def parse(output: str) -> set[tuple[str, int, int, str]]:
    found = set()
    for line in output.splitlines():
        if not line.strip():
            continue
        path, row, col, code = line.rsplit(":", 3)
        found.add((Path(path).as_posix().removeprefix("./"), int(row), int(col), code.strip()))
    return found


# -- every rule example -------------------------------------------------------

@pytest.mark.parametrize("item", EXAMPLES, ids=example_id)
def test_flake8_matches_engine_on_rule_example(item, tmp_path):
    rule, example = item
    project = materialize(example, tmp_path / "project")
    engine = findings(project)
    assert engine == expected(example)  # the baseline itself is what the example marks

    result = run_flake8(project, select=_flake8_selection(example.settings))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == (1 if result.stdout.strip() else 0), (result.stdout, result.stderr)
    assert parse(result.stdout) == {item for item in engine if item[3] not in ENGINE_ONLY}
    assert all(code.startswith("HYB") and code not in ENGINE_ONLY for *_, code in parse(result.stdout))


def _flake8_selection(settings: dict) -> str:
    """The example's rule selection, said to flake8 (which owns selection; the plugin ignores the config's)."""
    return ",".join(settings.get("select", ["HYB"]) + settings.get("extend-select", []))


@pytest.mark.parametrize("item", [i for i in EXAMPLES if any(e.code == "HYB002" for e in i[1].expect)],
                         ids=example_id)
def test_syntax_error_examples_are_e999_under_flake8(item, tmp_path):
    rule, example = item
    project = materialize(example, tmp_path / "project")
    result = run_flake8(project, select="HYB,E999")
    reported = parse(result.stdout)
    broken = {e.path for e in example.expect if e.code == "HYB002"}
    assert broken
    assert {path for path, _, _, code in reported if code == "E999"} == broken, result.stdout
    # flake8 stops checking a file that does not parse: no HYB findings on top of E999.
    assert not {r for r in reported if r[0] in broken and r[3] != "E999"}
    assert result.returncode == 1


@pytest.mark.parametrize("item", [i for i in EXAMPLES if any(e.code == "HYB001" for e in i[1].expect)],
                         ids=example_id)
def test_undecodable_examples_under_flake8(item, tmp_path):
    """flake8 7 silently re-reads undecodable files as latin-1 (no E902/E999), so the plugin reports HYB001."""
    rule, example = item
    project = materialize(example, tmp_path / "project")
    unreadable = {e.path for e in example.expect if e.code == "HYB001"}
    assert unreadable
    for name in unreadable:  # the example really is undecodable
        with pytest.raises(UnicodeDecodeError):
            (project / name).read_bytes().decode("utf-8")
    result = run_flake8(project, select="HYB,E902,E999")
    assert "Traceback" not in result.stderr, result.stderr
    reported = parse(result.stdout)
    assert {(r[0], r[3]) for r in reported if r[0] in unreadable} == {(name, "HYB001") for name in unreadable}
    assert result.returncode == 1


# -- noqa is flake8's ---------------------------------------------------------

PRINT_ONLY = textwrap.dedent("""\
    import tensorflow as tf


    @tf.function
    def step(x):
        print(x){comment}
        return x
""")


@pytest.mark.parametrize("comment, suppressed", [
    ("", False),
    ("  # noqa: HYB101", True),
    ("  # noqa: HYB1", True),
    ("  # noqa:HYB101,E501", True),
    ("  # noqa", True),
    ("  # noqa: HYB2", False),
    ("  # noqa: HYB102", False),
])
def test_flake8_noqa_applies_to_our_codes(comment, suppressed, tmp_path):
    project = write_project(tmp_path / "project", {"m.py": PRINT_ONLY.format(comment=comment)}, "")
    result = run_flake8(project)
    wanted = set() if suppressed else {("m.py", 6, 5, "HYB101")}
    assert parse(result.stdout) == wanted, (result.stdout, result.stderr)
    assert result.returncode == (0 if suppressed else 1)


def test_flake8_disable_noqa_reports_suppressed_finding(tmp_path):
    project = write_project(tmp_path / "project", {"m.py": PRINT_ONLY.format(comment="  # noqa: HYB101")}, "")
    assert parse(run_flake8(project, "--disable-noqa").stdout) == {("m.py", 6, 5, "HYB101")}


# -- multiprocessing and the shared summary cache ------------------------------

def _multi_file_project(directory: Path) -> Path:
    files = {f"mod{i}.py": PRINT_AND_RELAX.replace("def step", f"def step{i}") for i in range(4)}
    files.update({
        "pkg/__init__.py": "",
        "pkg/ops.py": 'def normalize(x):\n    print("normalizing")\n    return x / 2\n',
        "pkg/train.py": "import tensorflow as tf\n\nfrom .ops import normalize\n\nfast = tf.function(normalize)\n",
        "clean.py": "x = 1\n",
    })
    return write_project(directory, files, "")


MULTI_EXPECTED = {
    *{(f"mod{i}.py", 4, 14, "HYB204") for i in range(4)},
    *{(f"mod{i}.py", 6, 5, "HYB101") for i in range(4)},
    ("pkg/ops.py", 2, 5, "HYB101"),  # only visible with the whole project in view
}


def test_parallel_run_matches_serial_run(tmp_path):
    serial_project = _multi_file_project(tmp_path / "serial")
    parallel_project = _multi_file_project(tmp_path / "parallel")
    serial = run_flake8(serial_project, "-j", "1")
    parallel = run_flake8(parallel_project, "-j", "2")
    assert "Traceback" not in serial.stderr + parallel.stderr, serial.stderr + parallel.stderr
    assert parse(serial.stdout) == MULTI_EXPECTED
    assert sorted(parallel.stdout.splitlines()) == sorted(serial.stdout.splitlines())
    assert parallel.returncode == serial.returncode == 1
    assert parse(run_flake8(parallel_project, "-j", "2").stdout) == MULTI_EXPECTED  # warm cache


def _summary_counting_env(tmp_path: Path) -> tuple[dict, Path]:
    """A sitecustomize that logs every module summary the engine builds (in every process)."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    log = tmp_path / "summaries.log"
    (hooks / "sitecustomize.py").write_text(textwrap.dedent(f"""\
        import os
        import hybridize_lint.loading as _loading

        _original = _loading.ProjectLoader.summarize

        def _counting(self, source, module, digest, root):
            fd = os.open({str(log)!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            try:
                os.write(fd, f"{{os.getpid()}} {{module}}\\n".encode())
            finally:
                os.close(fd)
            return _original(self, source, module, digest, root)

        _loading.ProjectLoader.summarize = _counting
    """))
    pythonpath = os.pathsep.join([str(hooks), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {"PYTHONPATH": pythonpath}, log


def _summarised_modules(log: Path) -> list[str]:
    return sorted(line.split(" ", 1)[1] for line in log.read_text().splitlines()) if log.exists() else []


def test_parallel_run_builds_the_summary_cache_once(tmp_path):
    project = _multi_file_project(tmp_path / "project")
    env, log = _summary_counting_env(tmp_path)
    result = run_flake8(project, "-j", "2", env={**env, "PYTHONHASHSEED": "1"})
    assert "Traceback" not in result.stderr, result.stderr
    assert parse(result.stdout) == MULTI_EXPECTED
    modules = _summarised_modules(log)
    assert modules, "the counting hook did not run"
    assert len(modules) == len(set(modules)), f"modules summarised more than once: {modules}"

    cache = project / ".hybridize_lint_cache"
    assert cache.is_dir()
    gitignore = (cache / ".gitignore").read_text()
    assert "*" in [line.strip() for line in gitignore.splitlines()]
    assert len(list(cache.glob("summaries-*/"))) == 1  # one cache for every worker and process

    # Same interpreter settings, second run: everything comes from the cache.
    log.unlink()
    run_flake8(project, "-j", "2", env={**env, "PYTHONHASHSEED": "1"})
    assert _summarised_modules(log) == []


def test_summary_cache_is_reused_across_processes(tmp_path):
    project = _multi_file_project(tmp_path / "project")
    env, log = _summary_counting_env(tmp_path)
    run_flake8(project, "-j", "1", env={**env, "PYTHONHASHSEED": "1"})
    assert _summarised_modules(log)
    log.unlink()
    for seed in ("2", "3", "4"):
        result = run_flake8(project, "-j", "1", env={**env, "PYTHONHASHSEED": seed})
        assert parse(result.stdout) == MULTI_EXPECTED
    assert _summarised_modules(log) == []
    assert len(list((project / ".hybridize_lint_cache").glob("summaries-*/"))) == 1


# -- configuration: flake8 selects, the plugin reads analysis keys only -------

def test_selection_keys_are_flake8s_business(tmp_path):
    project = write_project(tmp_path / "project", {"m.py": PRINT_AND_RELAX},
                            'ignore = ["HYB101"]\nselect = ["HYB2"]\n'
                            'per-file-ignores = { "m.py" = ["HYB"] }\n')
    result = run_flake8(project)
    assert parse(result.stdout) == {("m.py", 4, 14, "HYB204"), ("m.py", 6, 5, "HYB101")}, result.stderr
    # ...while flake8's own selection does apply.
    assert parse(run_flake8(project, "--extend-ignore", "HYB101").stdout) == {("m.py", 4, 14, "HYB204")}


def test_analysis_key_target_tensorflow_is_read(tmp_path):
    project = write_project(tmp_path / "project", {"m.py": PRINT_AND_RELAX},
                            'target-tensorflow = "2.8"\n')
    result = run_flake8(project)
    assert parse(result.stdout) == {("m.py", 6, 5, "HYB101")}, result.stderr
    (project / "pyproject.toml").write_text('[tool.hybridize-lint]\ntarget-tensorflow = "2.9"\n')
    result = run_flake8(project)
    assert parse(result.stdout) == {("m.py", 4, 14, "HYB204"), ("m.py", 6, 5, "HYB101")}, result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_unknown_config_key_fails_visibly(jobs, tmp_path):
    project = write_project(tmp_path / "project", {"m.py": PRINT_AND_RELAX, "n.py": "x = 1\n"},
                            "bogus-key = 1\n")
    result = run_flake8(project, "-j", jobs)
    assert result.returncode != 0
    assert "bogus-key" in result.stdout + result.stderr
    assert not parse(result.stdout)  # no findings pretend the run was fine


def test_unknown_config_key_error_is_a_clear_message(tmp_path):
    project = write_project(tmp_path / "project", {"m.py": PRINT_AND_RELAX},
                            "bogus-key = 1\n")
    result = run_flake8(project, "-j", "1")
    assert result.returncode != 0
    assert "bogus-key" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
