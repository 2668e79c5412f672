"""Property tests on generated Python (hypothesmith), alone and spliced into TensorFlow code.

For any module CPython parses: the engine does not raise and reports no internal error, a valid
file is never called unreadable or invalid, and ``--fix --unsafe-fixes`` gives code that parses,
that a second pass leaves alone, and whose AST equals the original's once the known fix kinds are
undone (``tf.print`` → ``print``, added/removed ``tf.function``, renamed keywords, ``tf.constant``
wrappers, added ``import tensorflow``) — so a fix that touched anything else fails.

The ``reliability-ci`` profile is derandomized (CI sees the same examples every run) and bounded;
``HYBRIDIZE_LINT_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_hypothesmith.py`` searches longer.
"""

from __future__ import annotations

import ast
import copy
import os
import re
import textwrap
import warnings

import pytest

hypothesmith = pytest.importorskip("hypothesmith")

from hypothesis import HealthCheck, assume, event, given, note, settings  # noqa: E402

from hybridize_lint.config import SettingsResolver  # noqa: E402
from hybridize_lint.engine import Linter, RunOptions  # noqa: E402

EXAMPLES = int(os.environ.get("HYBRIDIZE_LINT_FUZZ_EXAMPLES", "0")) or None
settings.register_profile(
    "reliability-ci", derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture])
CI = settings.get_profile("reliability-ci")
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles `1()`

FIX = RunOptions(fix=True, unsafe_fixes=True, use_cache=False)
LINT = RunOptions(use_cache=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A project to lint text in (nothing is written to it) and one linter for every example."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
    return Linter(SettingsResolver()), root / "module.py"


def _run(workspace, text: str, options: RunOptions):
    linter, path = workspace
    report = linter.run_source(path, text, options)
    assert not report.internal_errors, report.internal_errors
    [file_report] = report.files
    return report, file_report


def _check_valid_module(workspace, text: str) -> str:
    """Lint and fix ``text`` (valid Python); every property but the AST one. Returns the fixed text."""
    report, _ = _run(workspace, text, LINT)
    for diagnostic in report.diagnostics:
        assert diagnostic.code != "HYB001", diagnostic
        # Valid code is a "syntax error" only when it is nested too deeply to parse or analyse.
        assert diagnostic.code != "HYB002" or "too deeply nested" in diagnostic.message, diagnostic
    _, fixed_report = _run(workspace, text, FIX)
    assert not [n for n in fixed_report.notes if "please report" in n or "did not converge" in n], fixed_report.notes
    fixed = fixed_report.fixed_text if fixed_report.changed else text
    _parse(fixed)
    _, again = _run(workspace, fixed, FIX)
    assert not again.changed, f"a second fix pass changed the code again:\n{again.fixed_text}"
    event(f"fixes applied: {fixed_report.fixed_count}")
    return fixed


# -- normalising the known fix kinds ----------------------------------------------------------------


def _tensorflow_names(tree: ast.Module) -> set[str]:
    names = {"tf", "tensorflow"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.asname or alias.name for alias in node.names if alias.name == "tensorflow")
    return names


class _UndoFixes(ast.NodeTransformer):
    """Maps fixed code and original code to the same tree when they differ only by our fixes."""

    def __init__(self, tf_names: set[str]):
        self.tf = tf_names

    def _tf_attribute(self, node: ast.AST, attribute: str) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == attribute and isinstance(node.value, ast.Name)
                and node.value.id in self.tf)

    def _is_tf_function(self, node: ast.AST) -> bool:
        return self._tf_attribute(node.func if isinstance(node, ast.Call) else node, "function")

    def visit_Import(self, node: ast.Import):  # HYB101/HYB201 may add `import tensorflow as tf`
        return None if all(alias.name == "tensorflow" for alias in node.names) else node

    def _undecorate(self, node):
        node.decorator_list = [d for d in node.decorator_list if not self._is_tf_function(d)]
        return self.generic_visit(node)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _undecorate

    def visit_Call(self, node: ast.Call):
        node = self.generic_visit(node)
        if self._tf_attribute(node.func, "print"):  # HYB101
            node.func = ast.Name("print", ast.Load())
        if self._is_tf_function(node) and node.args:  # HYB401/HYB402: f = tf.function(g) -> f = g
            return node.args[0]
        if self._tf_attribute(node.func, "constant") and len(node.args) == 1 and not node.keywords:  # HYB201
            return node.args[0]
        return node


def _parse(text: str) -> ast.Module:
    with warnings.catch_warnings():  # generated code is full of `1()`: SyntaxWarning
        warnings.simplefilter("ignore")
        return ast.parse(text)


def _undo_fixes(text: str) -> str:
    tree = _parse(text)
    return ast.dump(_UndoFixes(_tensorflow_names(tree)).visit(copy.deepcopy(tree)))


def test_the_normalisation_can_tell_a_wrong_fix():
    """The AST property is only as good as this: known fixes vanish, anything else shows."""
    original = TEMPLATE.format(before="", inside="    pass", after="")
    fixed = original.replace("experimental_relax_shapes", "reduce_retracing").replace(
        "    print(x)", "    tf.print(x)").replace("def helper", "@tf.function\ndef helper").replace(
        "scale(data, 0.5)", "scale(data, tf.constant(0.5))")
    assert _undo_fixes(fixed) == _undo_fixes(original)
    for broken in (fixed.replace("    history.append(x)\n", ""), fixed.replace("x * 2.0", "x * 2"),
                   fixed.replace("tf.print(x)", "tf.print(x, x)"), fixed.replace("def generated", "def generate")):
        assert _undo_fixes(broken) != _undo_fixes(original)


# -- strategies ------------------------------------------------------------------------------------

TEMPLATE = textwrap.dedent("""\
    import tensorflow as tf

    history = []
    data = tf.ones((2, 2))
    {before}


    @tf.function(experimental_relax_shapes=True)
    def step(x):
        print(x)
        history.append(x)
        return tf.reduce_sum(x)


    @tf.function
    def scale(x, factor):
        return x * factor


    def helper(x):
        return x * 2.0


    def generated(x):
    {inside}
        return x


    step(data)
    helper(tf.ones((3,)))
    for factor in [0.5, 1.0]:
        scale(data, factor)
    scale(data, 0.5)
    generated(data)
    {after}
""")


def _in_template(generated: str) -> tuple[str, str]:
    """The template with the generated code before it, inside a function of it, and after it."""
    # `from __future__` must come first; `return`/`yield`/... would change what `generated` is.
    assume("__future__" not in generated and not re.search(r"\b(yield|return|nonlocal|await)\b", generated))
    body = textwrap.indent(generated.strip("\n") or "pass", "    ")
    text = TEMPLATE.format(before=generated, inside=body, after=generated)
    try:
        _parse(text)
    except SyntaxError:
        assume(False)
    return text, generated


# One generated module, spliced three times: three draws of from_grammar() are a hundred times slower.
tensorflow_modules = hypothesmith.from_grammar().map(_in_template)


# -- properties ------------------------------------------------------------------------------------


@settings(CI, max_examples=EXAMPLES or 100)
@given(text=hypothesmith.from_grammar())
def test_generated_modules_never_break_the_engine_or_its_fixes(workspace, text):
    _parse(text)
    fixed = _check_valid_module(workspace, text)
    assert _undo_fixes(fixed) == _undo_fixes(text)


@settings(CI, max_examples=EXAMPLES or 100)
@given(case=tensorflow_modules)
def test_generated_code_inside_tensorflow_code_fixes_only_what_it_should(workspace, case):
    text, generated = case
    note(text)
    fixed = _check_valid_module(workspace, text)
    assert _undo_fixes(fixed) == _undo_fixes(text)
    # The template's own findings are fixed unless the generated code changed what its names mean.
    if not re.search(r"\b(tf|tensorflow|print|history|step|scale|helper|data|factor|global|import)\b", generated):
        assert "experimental_relax_shapes" not in fixed and "    tf.print(x)" in fixed, fixed
        event("template fixes checked")
