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

def test_fixes_that_undo_each_other_stop_with_the_code_as_written(monkeypatch):
    """One rule adds a decorator, another removes it again (HYB301 and a dehybridizing fix that
    disagree): the engine stops the cycle at once, keeps the state closest to what the user wrote,
    and says which rules disagreed, instead of going round until the round limit."""
    from types import SimpleNamespace

    from hybridize_lint.engine import Linter, RunOptions

    plain = "def step(x):\n    return x\n"
    decorated = "@tf.function\n" + plain

    def lint(source: SourceFile) -> list[Diagnostic]:
        if source.text.startswith("@tf.function"):  # remove it (a dehybridizing fix)
            return [_diagnostic(source, 0, len("@tf.function\n"), "", "HYB108", Applicability.UNSAFE)]
        return [_diagnostic(source, 0, 0, "@tf.function\n", "HYB301", Applicability.UNSAFE)]  # add it

    linter = Linter()
    monkeypatch.setattr(linter.loader, "refresh", lambda project, changed: [])
    project = SimpleNamespace(settings=SimpleNamespace(unsafe_fixes=True))
    for start in (plain, decorated):
        source = SourceFile(Path("m.py"), start)
        fixed = linter._fix_project({source.path: source}, {source.path: lint(source)}, project, lint,
                                    RunOptions(fix=True, unsafe_fixes=True))
        result, _, notes = fixed[source.path]
        assert result.text == start  # as the user wrote it, whichever side the cycle starts on
        assert any("fixes stopped: they undo each other" in note for note in notes), notes
        assert not any("did not converge" in note for note in notes)
