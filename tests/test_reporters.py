"""Reporters render hand-built reports exactly as ruff (or the format's spec) would."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

import hybridize_lint
from hybridize_lint.diagnostics import (Applicability, Diagnostic, Edit, FileReport, Fix, Position,
                                        RunReport)
from hybridize_lint.registry import RuleSpec
from hybridize_lint.reporters import FORMATS, ReportOptions, render
from hybridize_lint.reporters.github import escape_data, escape_property

A = Path("pkg/a.py")
B = Path("pkg/b.py")
NON_ASCII = "`.numpy()` fails on symbolic tensors — café ✓"


def fix(applicability: Applicability, title: str, content: str = "new", row: int = 1) -> Fix:
    edit = Edit(10, 13, content, Position(row, 5), Position(row, 8))
    return Fix((edit,), applicability, title)


def diag(code: str, name: str, message: str, path: Path, row: int, col: int,
         fix_: Fix | None = None, **extra) -> Diagnostic:
    return Diagnostic(code, name, message, path, Position(row, col), Position(row, col + 3), fix_, **extra)


SAFE = diag("HYB204", "deprecated-relax-shapes", "`experimental_relax_shapes` is deprecated", A, 3, 5,
            fix(Applicability.SAFE, "Rename to `reduce_retracing`", "reduce_retracing", 3),
            url="https://example.invalid/HYB204")
UNSAFE = diag("HYB101", "print-in-tf-function", "`print` runs once per trace", A, 2, 5,
              fix(Applicability.UNSAFE, "Replace with `tf.print`", "tf.print", 2), noqa_row=4)
NOFIX = diag("HYB501", "numpy-in-graph", NON_ASCII, A, 7, 9)
UNSAFE_B = diag("HYB101", "print-in-tf-function", "`print` runs once per trace", B, 1, 1,
                fix(Applicability.UNSAFE, "Replace with `tf.print`", "tf.print"))
DISPLAY = diag("HYB402", "literal-parameters", "retraces for each literal", B, 5, 1,
               fix(Applicability.DISPLAY_ONLY, "Remove `tf.function`"))


def run(*files: FileReport) -> RunReport:
    return RunReport(files=list(files), internal_errors=["boom: must never be rendered"])


def full_report(fixed_count: int = 0) -> RunReport:
    # b.py first and a.py's diagnostics out of order: reporters must sort.
    return run(FileReport(B, [DISPLAY, UNSAFE_B]),
               FileReport(A, [NOFIX, SAFE, UNSAFE], fixed_count=fixed_count))


def spec(code: str, name: str, fix_: Applicability | None = None, severity: str = "warning", **docs) -> RuleSpec:
    base = {"what": f"What {code} finds.", "why": "Because graphs.", "example": "print(x)",
            "use_instead": "tf.print(x)", "fix_safety": "Unsafe: stderr vs stdout."}
    base.update(docs)
    return RuleSpec(code=code, name=name, summary=f"Summary of {code}", message="{x}", fix=fix_,
                    fix_title="Do it" if fix_ else None, impl="engine", default_enabled=True,
                    docs=base, examples=(), severity=severity)


RULES = {
    "HYB101": spec("HYB101", "print-in-tf-function", Applicability.UNSAFE),
    "HYB204": spec("HYB204", "deprecated-relax-shapes", Applicability.SAFE),
    "HYB501": spec("HYB501", "numpy-in-graph", severity="error",
                   references=["https://www.tensorflow.org/guide/function"]),
}  # HYB402 is deliberately missing


def text(report: RunReport, **options) -> str:
    return render(report, "text", ReportOptions(**options), RULES)


# --- text -----------------------------------------------------------------------------------

def test_text_lines_are_sorted_and_mark_applicable_and_unsafe_fixes():
    assert text(full_report()).splitlines() == [
        "pkg/a.py:2:5: HYB101 [~] `print` runs once per trace",
        "pkg/a.py:3:5: HYB204 [*] `experimental_relax_shapes` is deprecated",
        f"pkg/a.py:7:9: HYB501 {NON_ASCII}",
        "pkg/b.py:1:1: HYB101 [~] `print` runs once per trace",
        "pkg/b.py:5:1: HYB402 retraces for each literal",
        "Found 5 errors.",
        "[*] 1 fixable with the `--fix` option (2 hidden fixes can be enabled with the "
        "`--unsafe-fixes` option).",
    ]


def test_text_output_ends_with_one_newline_and_omits_internal_errors():
    output = text(full_report())
    assert output.endswith("option).\n") and not output.endswith("\n\n")
    assert "boom" not in output


def test_text_with_unsafe_fixes_marks_unsafe_but_never_display_only():
    lines = text(full_report(), unsafe_fixes=True).splitlines()
    assert lines[0] == "pkg/a.py:2:5: HYB101 [*] `print` runs once per trace"
    assert lines[3] == "pkg/b.py:1:1: HYB101 [*] `print` runs once per trace"
    assert lines[4] == "pkg/b.py:5:1: HYB402 retraces for each literal"
    assert lines[-1] == "[*] 3 fixable with the `--fix` option."


def test_text_singular_forms():
    assert text(run(FileReport(A, [SAFE]))).splitlines()[-2:] == [
        "Found 1 error.", "[*] 1 fixable with the `--fix` option."]
    assert text(run(FileReport(A, [SAFE, UNSAFE]))).splitlines()[-1] == (
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the "
        "`--unsafe-fixes` option).")


def test_text_only_hidden_fixes():
    assert text(run(FileReport(A, [UNSAFE]))).splitlines()[-2:] == [
        "Found 1 error.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


def test_text_without_any_fix_has_no_fix_line():
    assert text(run(FileReport(A, [NOFIX]), FileReport(B, [DISPLAY]))).splitlines()[-1] == "Found 2 errors."


@pytest.mark.parametrize("report", [RunReport(), run(FileReport(A)), run(FileReport(A, fixed_count=3))])
def test_text_clean_run(report):
    assert text(report) == "All checks passed!\n"


def test_text_fix_mode_with_remaining_diagnostics():
    report = run(FileReport(A, [NOFIX], fixed_count=2))
    assert text(report, fix_mode=True).splitlines()[-1] == "Found 3 errors (2 fixed, 1 remaining)."


@pytest.mark.parametrize("fixed, expected", [
    (1, "Found 1 error (1 fixed, 0 remaining).\n"),
    (2, "Found 2 errors (2 fixed, 0 remaining).\n"),
])
def test_text_fix_mode_all_fixed(fixed, expected):
    assert text(run(FileReport(A, fixed_count=fixed), FileReport(B)), fix_mode=True) == expected


def test_text_fix_mode_keeps_hint_for_hidden_unsafe_fixes():
    report = run(FileReport(A, [UNSAFE], fixed_count=1))
    assert text(report, fix_mode=True).splitlines()[-2:] == [
        "Found 2 errors (1 fixed, 1 remaining).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


def test_text_quiet_prints_diagnostics_only():
    assert text(run(FileReport(A, [SAFE])), quiet=True) == (
        "pkg/a.py:3:5: HYB204 [*] `experimental_relax_shapes` is deprecated\n")
    assert text(RunReport(), quiet=True) == ""


def test_text_statistics_table():
    assert text(full_report(), statistics=True).splitlines() == [
        "2\tHYB101\t[~] print-in-tf-function",
        "1\tHYB204\t[*] deprecated-relax-shapes",
        "1\tHYB402\t    literal-parameters",  # name from the diagnostic: HYB402 is not in RULES
        "1\tHYB501\t    numpy-in-graph",
        "Found 5 errors.",
        "[*] 1 fixable with the `--fix` option (2 hidden fixes can be enabled with the "
        "`--unsafe-fixes` option).",
    ]


def test_text_statistics_partial_marker_and_widths():
    many = [dataclasses.replace(SAFE, start=Position(row, 5)) for row in range(10, 20)]
    report = run(FileReport(A, [*many, UNSAFE, NOFIX]), FileReport(B, [UNSAFE_B]))
    assert text(report, statistics=True, unsafe_fixes=True, quiet=True).splitlines() == [
        "10\tHYB204\t[*] deprecated-relax-shapes",
        " 2\tHYB101\t[*] print-in-tf-function",
        " 1\tHYB501\t    numpy-in-graph",
    ]
    report = run(FileReport(A, [UNSAFE]), FileReport(B, [UNSAFE_B]))
    report.files[1].diagnostics[0] = dataclasses.replace(UNSAFE_B, fix=fix(Applicability.SAFE, "x"))
    # one finding fixed by --fix, the other only with --unsafe-fixes: the code shows what --fix does
    assert text(report, statistics=True, quiet=True) == "2\tHYB101\t[*] print-in-tf-function\n"


def test_text_statistics_without_fixes_has_no_marker_column():
    report = run(FileReport(A, [NOFIX]))
    assert text(report, statistics=True, quiet=True).splitlines() == ["1\tHYB501\tnumpy-in-graph"]
    report = run(FileReport(A, [NOFIX, UNSAFE]))
    assert text(report, statistics=True).splitlines() == [
        "1\tHYB101\t[~] print-in-tf-function",
        "1\tHYB501\t    numpy-in-graph",
        "Found 2 errors.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


def test_text_statistics_of_clean_run_prints_nothing():
    assert text(RunReport(), statistics=True) == ""


# --- json -----------------------------------------------------------------------------------

JSON_KEYS = {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row", "url"}


def test_json_structure():
    output = render(full_report(), "json", ReportOptions(), RULES)
    items = json.loads(output)
    assert [item["code"] for item in items] == ["HYB101", "HYB204", "HYB501", "HYB101", "HYB402"]
    assert all(set(item) == JSON_KEYS for item in items)
    unsafe, safe, nofix, _, display = items
    assert safe == {
        "cell": None,
        "code": "HYB204",
        "end_location": {"row": 3, "column": 8},
        "filename": os.path.abspath("pkg/a.py"),
        "fix": {
            "applicability": "safe",
            "message": "Rename to `reduce_retracing`",
            "edits": [{"content": "reduce_retracing", "location": {"row": 3, "column": 5},
                       "end_location": {"row": 3, "column": 8}}],
        },
        "location": {"row": 3, "column": 5},
        "message": "`experimental_relax_shapes` is deprecated",
        "noqa_row": 3,
        "url": "https://example.invalid/HYB204",
    }
    assert unsafe["fix"]["applicability"] == "unsafe" and unsafe["noqa_row"] == 4 and unsafe["url"] is None
    assert display["fix"]["applicability"] == "display-only"
    assert nofix["fix"] is None and nofix["message"] == NON_ASCII
    assert Path(nofix["filename"]).is_absolute()


def test_json_is_ruff_shaped_text():
    output = render(run(FileReport(A, [NOFIX])), "json", ReportOptions(), RULES)
    assert output.startswith('[\n  {\n    "cell": null,\n    "code": "HYB501",\n    "end_location": {\n'
                             '      "column": 12,\n      "row": 7\n    },\n')
    assert NON_ASCII in output  # UTF-8, not \u escapes
    assert output == json.dumps(json.loads(output), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_json_empty_report():
    assert render(run(), "json", ReportOptions(), RULES) == "[]\n"
    assert render(run(), "json", ReportOptions(statistics=True), RULES) == "[]\n"


# --- sarif ----------------------------------------------------------------------------------

def sarif(report: RunReport, rules=RULES) -> dict:
    return json.loads(render(report, "sarif", ReportOptions(), rules))


def test_sarif_document_and_driver():
    document = sarif(full_report())
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    run_ = document["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "hybridize-lint" and driver["version"] == hybridize_lint.__version__
    assert run_["columnKind"] == "unicodeCodePoints"
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["HYB101", "HYB204", "HYB501", "HYB402"]  # known rules sorted, then unknown codes
    print_rule = driver["rules"][0]
    assert print_rule["name"] == "print-in-tf-function"
    assert print_rule["shortDescription"] == {"text": "Summary of HYB101"}
    assert print_rule["fullDescription"] == {"text": "What HYB101 finds."}
    assert print_rule["defaultConfiguration"] == {"level": "warning"}
    assert print_rule["properties"] == {"fixable": True, "tags": ["side-effects"]}
    numpy_rule = driver["rules"][2]
    assert numpy_rule["defaultConfiguration"] == {"level": "error"}
    assert numpy_rule["properties"] == {"fixable": False, "tags": ["graph-mode-errors"]}
    # helpUri is the rule's documentation page (the real HYB204's name gives the real page)
    assert driver["rules"][1]["helpUri"].endswith("/HYB204-deprecated-relax-shapes.md")
    assert "helpUri" not in print_rule  # no page for a rule name that has none


def test_sarif_help_is_built_from_docs():
    numpy_rule = sarif(RunReport())["runs"][0]["tool"]["driver"]["rules"][2]
    assert numpy_rule["help"]["markdown"] == (
        "## What it does\nWhat HYB501 finds.\n\n## Why is this bad?\nBecause graphs.\n\n"
        "## Example\n```python\nprint(x)\n```\n\n## Use instead\n```python\ntf.print(x)\n```\n\n"
        "## Fix safety\nUnsafe: stderr vs stdout.\n\n"
        "## References\n- https://www.tensorflow.org/guide/function")
    assert numpy_rule["help"]["text"].startswith("What it does\nWhat HYB501 finds.\n\n")
    assert "Example\n    print(x)\n" in numpy_rule["help"]["text"]


def test_sarif_results():
    document = sarif(full_report())
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert [r["ruleId"] for r in results] == ["HYB101", "HYB204", "HYB501", "HYB101", "HYB402"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == ("error" if result["ruleId"] == "HYB501" else "warning")
        (location,) = result["locations"]
        assert set(location["physicalLocation"]) == {"artifactLocation", "region"}
        assert set(location["physicalLocation"]["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
    nofix = results[2]
    assert nofix["message"] == {"text": NON_ASCII}
    assert "fixes" not in nofix
    assert nofix["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pkg/a.py"},
        "region": {"startLine": 7, "startColumn": 9, "endLine": 7, "endColumn": 12},
    }
    assert results[1]["fixes"] == [{
        "description": {"text": "Rename to `reduce_retracing`"},
        "artifactChanges": [{
            "artifactLocation": {"uri": "pkg/a.py"},
            "replacements": [{
                "deletedRegion": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 8},
                "insertedContent": {"text": "reduce_retracing"},
            }],
        }],
        "properties": {"applicability": "safe"},
    }]
    assert results[4]["fixes"][0]["properties"] == {"applicability": "display-only"}


def test_sarif_uris(tmp_path):
    absolute = tmp_path / "dir with space" / "m.py"
    spaced = dataclasses.replace(NOFIX, path=Path("my dir/m.py"))
    results = sarif(run(FileReport(absolute, [dataclasses.replace(NOFIX, path=absolute)]),
                        FileReport(spaced.path, [spaced])))["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == [absolute.as_uri(), "my%20dir/m.py"]  # sorted by path: "/tmp/..." first
    assert uris[0].startswith("file:///") and "dir%20with%20space/m.py" in uris[0]


def test_sarif_without_rules_still_indexes_results():
    run_ = sarif(run(FileReport(A, [SAFE])), rules={})["runs"][0]
    assert run_["tool"]["driver"]["rules"][0]["id"] == "HYB204"
    assert run_["results"][0]["ruleIndex"] == 0


# --- github ---------------------------------------------------------------------------------

def test_github_lines():
    output = render(full_report(), "github", ReportOptions(), RULES)
    lines = output.splitlines()
    assert len(lines) == 5 and output.endswith("\n")
    assert lines[1] == (
        "::warning title=hybridize-lint (HYB204),file=pkg/a.py,line=3,col=5,endLine=3,endColumn=8"
        "::pkg/a.py:3:5: HYB204 `experimental_relax_shapes` is deprecated")
    assert lines[2].endswith(f"::pkg/a.py:7:9: HYB501 {NON_ASCII}")
    assert render(RunReport(), "github", ReportOptions(), RULES) == ""


def test_github_escaping():
    odd = dataclasses.replace(NOFIX, path=Path("C:x,y%.py"), message="100% sure\r\nreally")
    (line,) = render(run(FileReport(odd.path, [odd])), "github", ReportOptions(), RULES).splitlines()
    assert line == (
        "::error title=hybridize-lint (HYB501),file=C%3Ax%2Cy%25.py,line=7,col=9,endLine=7,endColumn=12"
        "::C:x,y%25.py:7:9: HYB501 100%25 sure%0D%0Areally")
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    assert escape_data("a:b,c%d\r") == "a:b,c%25d%0D"


# --- dispatch -------------------------------------------------------------------------------

def test_formats_and_dispatch():
    assert FORMATS == ("text", "json", "sarif", "github")
    for output_format in FORMATS:
        assert isinstance(render(full_report(), output_format, ReportOptions(), RULES), str)
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render(full_report(), "xml", ReportOptions(), RULES)


def test_internal_errors_are_never_rendered():
    for output_format in FORMATS:
        assert "boom" not in render(full_report(), output_format, ReportOptions(), RULES)


def test_report_options_defaults_and_frozen():
    options = ReportOptions()
    assert (options.unsafe_fixes, options.fix_mode, options.statistics, options.quiet) == (False, False, False, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.quiet = True  # type: ignore[misc]
