"""The fix engine: overlapping edits, fixpoint, never writing code that does not parse."""

from __future__ import annotations

from pathlib import Path

from hybridize_lint.diagnostics import Applicability, Diagnostic, Fix, Position
from hybridize_lint.fixing import apply_edits, apply_fixes, select_non_overlapping
from hybridize_lint.source import SourceFile


def _source(text: str) -> SourceFile:
    return SourceFile(Path("m.py"), text)


def _diagnostic(source: SourceFile, start: int, end: int, content: str, code: str = "HYB101",
                applicability: Applicability = Applicability.SAFE) -> Diagnostic:
    fix = Fix((source.edit(start, end, content),), applicability, "test fix")
    return Diagnostic(code, "test", "message", source.path, Position(1, 1), Position(1, 1), fix)


def test_overlapping_fixes_are_deferred_in_a_deterministic_order():
    source = _source("abcdef = 1\n")
    first = _diagnostic(source, 0, 3, "x", "HYB102")
    overlapping = _diagnostic(source, 2, 5, "y", "HYB101")
    later = _diagnostic(source, 6, 6, " ")
    assert select_non_overlapping([later, overlapping, first], unsafe=False) == [first, later]


def test_unsafe_fixes_need_the_unsafe_flag():
    source = _source("a = 1\n")
    unsafe = _diagnostic(source, 0, 1, "b", applicability=Applicability.UNSAFE)
    assert select_non_overlapping([unsafe], unsafe=False) == []
    assert select_non_overlapping([unsafe], unsafe=True) == [unsafe]


def test_edits_apply_by_character_offsets_with_non_ascii_text():
    source = _source('s = "日本😀"; print(s)\n')
    start = source.text.index("print")
    assert apply_edits(source, [source.edit(start, start + 5, "tf.print")]) == 's = "日本😀"; tf.print(s)\n'


def test_a_fix_that_breaks_the_syntax_is_reverted_with_a_note():
    source = _source("x = 1\n")
    broken = _diagnostic(source, 0, 1, "x x")
    outcome = apply_fixes(source, [broken], unsafe=False)
    assert outcome.text == "x = 1\n" and outcome.applied == 0
    assert any("syntax error" in note for note in outcome.notes)


def test_no_edits_where_tree_sitter_disagrees_with_cpython(monkeypatch):
    source = _source("x = 1\n")
    monkeypatch.setattr(SourceFile, "tree_sitter_disagrees", property(lambda self: True))
    outcome = apply_fixes(source, [_diagnostic(source, 0, 1, "y")], unsafe=False)
    assert outcome.text == "x = 1\n" and outcome.applied == 0
    assert outcome.notes == ["no fixes applied: tree-sitter cannot parse this file the way CPython does"]


def test_one_round_applies_the_fixes_and_leaves_relinting_to_the_engine():
    source = _source("a = 1\n")
    outcome = apply_fixes(source, [_diagnostic(source, 0, 1, "b")], unsafe=False)
    assert outcome.text == "b = 1\n" and outcome.applied == 1 and not outcome.notes


def test_findings_sharing_one_fix_apply_it_once_and_count_as_fixed():
    """Several findings in one graph function share its dehybridization: the same edits, applied once."""
    source = _source("@tf.function\ndef f(x):\n    return x\n")
    end = source.text.index("def")
    first, second = _diagnostic(source, 0, end, ""), _diagnostic(source, 0, end, "", "HYB103")
    unwrap = _diagnostic(source, 0, end, "@other\n", "HYB105")  # a different fix over the same text
    assert select_non_overlapping([first, second, unwrap], unsafe=False) == [first, second]
    outcome = apply_fixes(source, [first, second], unsafe=False)
    assert outcome.text == "def f(x):\n    return x\n" and outcome.applied == 2


# -- fixes that undo each other --------------------------------------------------------------------------

UNDONE = '''
import tensorflow as tf


class Agent:
    def __init__(self):
        self.w = tf.Variable(tf.ones([4, 4]))
        self.lam = 0.5
        self.optimizer = tf.keras.optimizers.SGD(0.1)

    def train(self, x):
        with tf.GradientTape() as tape:
            y = tf.nn.relu(tf.matmul(x, self.w))
            loss = tf.reduce_mean(tf.square(y)) + self.lam * tf.reduce_sum(tf.abs(self.w))
        grads = tape.gradient(loss, [self.w])
        self.optimizer.apply_gradients(zip(grads, [self.w]))
        return loss

    def update(self, x):
        for _ in range(20):
            self.train(x)
        self.lam = self.lam * 2


agent = Agent()
for epoch in range(20):
    agent.update(tf.ones([2, 4]))
'''


def test_fixes_that_undo_each_other_leave_the_code_as_written(tmp_path, capsys):
    # HYB301 adds tf.function to `train`; then HYB108 (the graph would keep `self.lam`'s first value)
    # removes it again: the engine stops the cycle with the code as the user wrote it, and says so.
    from cli_helpers import check, write

    path = write(tmp_path / "agent.py", UNDONE.lstrip("\n"))
    write(tmp_path / "pyproject.toml", "[tool.hybridize-lint]\n")
    before = path.read_text()
    code, _, err = check(capsys, str(tmp_path), "--fix", "--unsafe-fixes")
    assert path.read_text() == before
    assert "fixes stopped: they undo each other (HYB108); that code is left as written" in err
    assert "did not converge" not in err
    code, _, err = check(capsys, str(tmp_path), "--fix", "--unsafe-fixes")
    assert path.read_text() == before
