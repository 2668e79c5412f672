"""Property tests: on generated TensorFlow-shaped modules the engine never crashes, and fixes
always re-parse, converge and leave nothing more to fix."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions
from hybridize_lint.writing import write_fixes

NAMES = st.sampled_from(["x", "y", "batch", "step", "lr"])
EXPRESSIONS = st.sampled_from([
    "tf.reduce_sum({v})", "{v} * 2.0", "tf.abs({v})", "{v}", "len([{v}])", "tf.constant(1.0) + {v}",
    "float({v})", "tf.random.normal((2,))", "{v}.numpy()", "np.mean({v})", "[{v}, {v}]",
])
STATEMENTS = st.sampled_from([
    "print({v})", "tf.print({v})", "history.append({v})", "global counter\n    counter += 1",
    "total = {e}", "logging.info('x')", "{v} = {e}", "for _ in range(2):\n        {v} = {e}",
    "if {v} is None:\n        {v} = {e}", "state['k'] = {e}", "next(items)",
])
DECORATORS = st.sampled_from(["", "@tf.function\n", "@tf.function(experimental_relax_shapes=True)\n",
                              "@tf.function(reduce_retracing=True)\n", "@staticmethod\n"])
ARGUMENTS = st.sampled_from(["tf.ones((2,))", "1", "0.5", "'s'", "[1, 2]", "data", "None"])


@st.composite
def functions(draw, index: int) -> str:
    param = draw(NAMES)
    decorator = draw(DECORATORS).replace("@staticmethod\n", "")
    body = []
    for _ in range(draw(st.integers(1, 3))):
        expression = draw(EXPRESSIONS).format(v=param)
        body.append("    " + draw(STATEMENTS).format(v=param, e=expression))
    body.append(f"    return {draw(EXPRESSIONS).format(v=param)}")
    return f"{decorator}def f{index}({param}):\n" + "\n".join(body) + "\n"


@st.composite
def modules(draw) -> str:
    header = ("import logging\n\nimport numpy as np\nimport tensorflow as tf\n\n"
              "history = []\nstate = {}\ncounter = 0\nitems = iter([1, 2])\ndata = tf.ones((3,))\n\n\n")
    count = draw(st.integers(1, 4))
    parts = [draw(functions(index)) for index in range(count)]
    calls = [f"f{draw(st.integers(0, count - 1))}({draw(ARGUMENTS)})" for _ in range(draw(st.integers(0, 5)))]
    return header + "\n\n".join(parts) + "\n\n" + "\n".join(calls) + "\n"


def _lint(directory, **options):
    report = Linter(SettingsResolver()).run([directory], RunOptions(use_cache=False, **options))
    assert not report.internal_errors, report.internal_errors
    if options.get("fix"):
        write_fixes(report)
    return report


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(source=modules())
def test_engine_never_crashes_and_fixes_converge(tmp_path_factory, source):
    ast.parse(source)  # the generator only makes valid Python
    directory = tmp_path_factory.mktemp("generated")
    (directory / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
    path = directory / "module.py"
    path.write_text(source)
    _lint(directory)
    fixed = _lint(directory, fix=True, unsafe_fixes=True)
    once = path.read_text()
    ast.parse(once)
    assert not [d for d in fixed.diagnostics if d.fix is not None and d.fix.is_applied_with(unsafe=True)]
    _lint(directory, fix=True, unsafe_fixes=True)
    assert path.read_text() == once
