"""Jupyter notebooks: found, linted as one module of their code cells, reported cell by cell, fixed in place.

The notebooks in ``notebooks/`` are written like TensorFlow tutorials (markdown, ``!pip``, ``%%time``,
``%time``, ``obj?``, outputs, a training loop); ``test_notebook_execution.py`` runs them with TensorFlow
before and after the fixes.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cli_helpers import check
from hybridize_lint.cli import main
from hybridize_lint.notebook import Notebook, NotebookError

NOTEBOOKS = Path(__file__).parent / "notebooks"
TUTORIALS = sorted(NOTEBOOKS.glob("*.ipynb"))


def make_notebook(*cells, indent: int = 1, metadata: dict | None = None) -> str:
    notebook = new_notebook(metadata=metadata if metadata is not None else {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    notebook.cells = [new_markdown_cell(cell[3:]) if cell.startswith("md:") else new_code_cell(cell)
                      for cell in cells]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return nbformat.writes(notebook, indent=indent) + "\n"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


DEFINED_IN_ONE_CELL = textwrap.dedent("""\
    @tf.function(experimental_relax_shapes=True)
    def predict(x):
        print("tracing", x)
        return x * 2""")


# --- reading: discovery, one module, masking ------------------------------------------------------

def test_notebooks_are_discovered_and_excludes_apply(project, capsys):
    (project / "nb.ipynb").write_text(make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL))
    (project / "skipped").mkdir()
    (project / "skipped" / "other.ipynb").write_text(make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL))
    (project / ".ipynb_checkpoints").mkdir()
    (project / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_text(
        make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL))
    (project / "pyproject.toml").write_text('[tool.hybridize-lint]\nextend-exclude = ["skipped"]\n')
    code, out, _ = check(capsys, ".")
    assert code == 1
    assert out.splitlines()[:2] == [
        "nb.ipynb:cell 2:1:14: HYB204 [*] `experimental_relax_shapes` is deprecated since TensorFlow 2.9; "
        "use `reduce_retracing`",
        "nb.ipynb:cell 2:3:5: HYB101 [~] `print` inside graph function `predict` runs once per trace, not on every "
        "call; use `tf.print` to print on every call",
    ]
    assert "other.ipynb" not in out and "checkpoint" not in out


def test_cells_form_one_module(project, capsys):
    """A function defined in one cell and called in a loop in a later cell is one module's function."""
    (project / "nb.ipynb").write_text(make_notebook(
        "md:# Training",
        "import tensorflow as tf\nw = tf.Variable(1.0)",
        "def train_step(x):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_sum(w * x * x + w)\n"
        "    w.assign_sub(0.1 * tape.gradient(loss, w))\n    return loss",
        "md:Now train it.",
        "%%time\nfor step in range(100):\n    loss = train_step(tf.constant([1.0, 2.0]))",
    ))
    code, out, _ = check(capsys, "--select", "HYB301", "nb.ipynb")
    assert code == 1
    assert out.startswith("nb.ipynb:cell 3:1:1: HYB301 [~] `train_step` can run as a graph: called eagerly in a loop "
                          "at nb.ipynb:cell 5:3"), out


def test_magics_are_masked_and_never_edited():
    source = make_notebook(
        "!pip install -q tensorflow\nimport tensorflow as tf",
        "%matplotlib inline\nfiles = !ls\n%time x = tf.constant(1.0)\ntf.function?\ntf.function??",
        "%%bash\necho hi\n  indented shell: (",
        "%%capture\n!pip install tensorflow-datasets\nimport numpy as np",
        "if True:\n    %time y = 1\n    !echo indented",
    )
    notebook = Notebook.from_text(source)
    assert notebook.errors == ()
    module = notebook.module_text
    assert "pip" not in module and "%" not in module and "?" not in module and "echo" not in module
    assert "import tensorflow as tf" in module and "import numpy as np" in module
    compile(module, "nb", "exec")
    assert notebook.render(module) == source.encode()


def test_a_cell_that_does_not_parse_is_reported_once_and_the_rest_analysed(project, capsys):
    (project / "nb.ipynb").write_text(make_notebook(
        "import tensorflow as tf", "def broken(:\n    pass", DEFINED_IN_ONE_CELL))
    code, out, _ = check(capsys, "nb.ipynb")
    lines = out.splitlines()
    assert code == 1
    assert [line for line in lines if "HYB002" in line] == ["nb.ipynb:cell 2:1:12: HYB002 syntax error: invalid syntax"]
    assert any(line.startswith("nb.ipynb:cell 3:3:5: HYB101") for line in lines)

    # Fixing the other cells leaves the broken one as it was.
    code, out, _ = check(capsys, "--fix", "--unsafe-fixes", "nb.ipynb")
    cells = json.loads((project / "nb.ipynb").read_text())["cells"]
    assert "".join(cells[1]["source"]) == "def broken(:\n    pass"
    assert "tf.print" in "".join(cells[2]["source"])


def test_invalid_notebooks_are_unreadable_files(project, capsys):
    (project / "bad.ipynb").write_text('{"cells": [], "metadata": {}}')  # no nbformat version: invalid
    (project / "broken.ipynb").write_text('{"cells": [')
    code, out, _ = check(capsys, ".")
    assert code == 1
    assert out.count("HYB001") == 2 and "bad.ipynb:1:1: HYB001" in out and "broken.ipynb:1:1: HYB001" in out


def test_a_notebook_in_another_language_has_no_python():
    source = make_notebook("println(1)", metadata={"kernelspec": {"name": "julia", "display_name": "Julia",
                                                                  "language": "julia"}})
    notebook = Notebook.from_text(source)
    assert notebook.module_text == "" and notebook.errors == ()


# --- positions in every format ------------------------------------------------------------------

def test_json_sarif_and_github_positions(project, capsys):
    source = make_notebook("md:# Title", "import tensorflow as tf", DEFINED_IN_ONE_CELL)
    (project / "nb.ipynb").write_text(source)
    file_lines = source.splitlines()

    _, out, _ = check(capsys, "--output-format", "json", "nb.ipynb")
    items = {item["code"]: item for item in json.loads(out)}
    assert items["HYB101"]["cell"] == 3
    assert items["HYB101"]["location"] == {"row": 3, "column": 5}
    assert items["HYB101"]["noqa_row"] == 3
    assert items["HYB101"]["filename"] == str(project / "nb.ipynb")
    assert items["HYB204"]["fix"]["edits"][0]["location"] == {"row": 1, "column": 14}
    assert items["HYB101"]["url"].startswith("file://") and items["HYB101"]["url"].endswith("/HYB101-print-in-graph-code.md")

    _, out, _ = check(capsys, "--output-format", "sarif", "nb.ipynb")
    results = json.loads(out)["runs"][0]["results"]
    for result in results:
        region = result["locations"][0]["physicalLocation"]["region"]
        line = file_lines[region["startLine"] - 1]
        at = line[region["startColumn"] - 1:region["endColumn"] - 1]
        assert at in ("experimental_relax_shapes=True", 'print(\\"tracing\\", x)'), (line, region)
        assert result["properties"]["cell"] == 3 and "fixes" not in result

    _, out, _ = check(capsys, "--output-format", "github", "nb.ipynb")
    print_line = next(line for line in out.splitlines() if "HYB101" in line)
    assert print_line.startswith("::warning title=hybridize-lint (HYB101),file=nb.ipynb,line=")
    row = int(print_line.split("line=")[1].split(",")[0])
    assert 'print(\\"tracing\\", x)' in file_lines[row - 1]
    assert print_line.endswith("::nb.ipynb:cell 3:3:5: HYB101 `print` inside graph function `predict` runs once "
                               "per trace, not on every call; use `tf.print` to print on every call")


def test_noqa_in_a_cell(project, capsys):
    (project / "nb.ipynb").write_text(make_notebook(
        "import tensorflow as tf", DEFINED_IN_ONE_CELL.replace('print("tracing", x)', 'print("tracing", x)  # noqa: HYB101')))
    _, out, _ = check(capsys, "nb.ipynb")
    assert "HYB101" not in out and "HYB204" in out

    (project / "other.ipynb").write_text(make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL))
    code, _, err = check(capsys, "--add-noqa", "other.ipynb")
    assert "Added 2 noqa directives in 1 file." in err
    cells = json.loads((project / "other.ipynb").read_text())["cells"]
    assert cells[1]["source"][2] == '    print("tracing", x)  # noqa: HYB101\n'
    assert check(capsys, "other.ipynb")[:2] == (0, "All checks passed!\n")


def test_explain_a_function_of_a_notebook(project, capsys):
    (project / "nb.ipynb").write_text(make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL,
                                                    "for i in range(20):\n    predict(tf.constant([1.0]))"))
    assert main(["explain", "nb.ipynb::predict", "--output-format", "json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert (item["file"], item["cell"], item["line"], item["function"]) == ("nb.ipynb", 2, 2, "predict")
    assert item["tensor_parameters"]["x"].endswith("at nb.ipynb:cell 3:2")
    assert main(["explain", "nb.ipynb::predict"]) == 0
    assert capsys.readouterr().out.startswith("nb.ipynb:cell 2:2: predict [hybrid]")


def test_stdin_notebook(project, capsys, monkeypatch):
    import io
    import sys

    source = make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source.encode())))
    out_buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out_buffer))
    assert main(["check", "--no-cache", "--fix", "--stdin-filename", "nb.ipynb"]) == 1
    sys.stdout.flush()
    fixed = out_buffer.getvalue().decode()
    assert fixed == source.replace("experimental_relax_shapes", "reduce_retracing")


# --- writing back ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", TUTORIALS, ids=lambda path: path.name)
def test_an_unmodified_notebook_round_trips_byte_for_byte(path):
    data = path.read_bytes()
    notebook = Notebook.from_bytes(data)
    assert notebook.render(notebook.module_text) == data


@pytest.mark.parametrize("variant", ["indent-1", "indent-2", "indent-4", "string-sources", "crlf", "non-ascii",
                                     "escaped-ascii", "no-final-newline"])
def test_only_edited_sources_change(project, capsys, variant):
    notebook = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                     "language": "python"}, "zeta": 1, "alpha": [1, 2]})
    notebook.cells = [
        new_markdown_cell("# Títle ✓"),
        new_code_cell("import tensorflow as tf\n%matplotlib inline", execution_count=1),
        new_code_cell(DEFINED_IN_ONE_CELL + ("  # é" if variant in ("non-ascii", "escaped-ascii") else ""),
                      execution_count=2, outputs=[new_output("stream", name="stdout", text="tracing ✓\n")]),
        new_code_cell("x = 1\n", execution_count=3),
    ]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    indent = {"indent-2": 2, "indent-4": 4}.get(variant, 1)
    text = nbformat.writes(notebook, indent=indent, ensure_ascii=variant == "escaped-ascii",
                           split_lines=variant != "string-sources") + "\n"
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    if variant == "no-final-newline":
        text = text.rstrip("\n")
    original = text.encode()
    (project / "nb.ipynb").write_bytes(original)
    assert Notebook.from_bytes(original).render(Notebook.from_bytes(original).module_text) == original

    check(capsys, "--fix", "--unsafe-fixes", "nb.ipynb")
    fixed = (project / "nb.ipynb").read_bytes()
    assert fixed != original
    nbformat.validate(nbformat.reads(fixed.decode(), as_version=nbformat.NO_CONVERT))
    before, after = json.loads(original), json.loads(fixed)
    assert [cell["source"] for i, cell in enumerate(after["cells"]) if i != 2] == \
        [cell["source"] for i, cell in enumerate(before["cells"]) if i != 2]
    after["cells"][2]["source"] = before["cells"][2]["source"]
    assert after == before
    assert list(json.loads(fixed, object_pairs_hook=lambda pairs: [k for k, _ in pairs])) == \
        list(json.loads(original, object_pairs_hook=lambda pairs: [k for k, _ in pairs]))
    # Only the edited lines differ, and the file ends as it ended.
    old_lines, new_lines = original.decode().splitlines(), fixed.decode().splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [new for old, new in zip(old_lines, new_lines) if old != new]
    assert len(changed) == (1 if variant == "string-sources" else 2)
    assert any("reduce_retracing" in line for line in changed)
    assert fixed.endswith(b"\n") == original.endswith(b"\n")
    cell = json.loads(fixed)["cells"][2]["source"]
    assert "tf.print(" in ("".join(cell) if isinstance(cell, list) else cell)


def test_fixing_tutorial_notebooks_keeps_everything_but_the_edited_sources(tmp_path, capsys, monkeypatch):
    for path in TUTORIALS:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = check(capsys, "--fix", "--unsafe-fixes", ".")
    for path in TUTORIALS:
        before, after = json.loads(path.read_text()), json.loads((tmp_path / path.name).read_text())
        nbformat.validate(nbformat.reads((tmp_path / path.name).read_text(), as_version=4))
        edited = [i for i, (old, new) in enumerate(zip(before["cells"], after["cells"])) if old != new]
        assert edited, path.name
        for index in edited:
            assert after["cells"][index]["cell_type"] == "code"
            assert {**after["cells"][index], "source": None} == {**before["cells"][index], "source": None}
            magic_lines = [line for line in before["cells"][index]["source"] if line.lstrip().startswith(("%", "!"))]
            assert all(line in after["cells"][index]["source"] for line in magic_lines)
        assert {k: v for k, v in after.items() if k != "cells"} == {k: v for k, v in before.items() if k != "cells"}
    fixed = (tmp_path / "basic_training.ipynb").read_text()
    assert '"@tf.function\\n",\n    "def train_step(x, y):\\n"' in fixed
    assert 'tf.print(\\"predict input\\"' in fixed and "reduce_retracing=True" in fixed
    assert "@tf.function" in "".join(json.loads((tmp_path / "custom_training_loop.ipynb").read_text())
                                     ["cells"][5]["source"])


def test_diff_shows_cells(project, capsys):
    (project / "nb.ipynb").write_text(make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL))
    code, out, err = check(capsys, "--diff", "nb.ipynb")
    assert code == 1
    assert out.startswith("--- a/nb.ipynb:cell 2\n+++ b/nb.ipynb:cell 2\n")
    assert "-@tf.function(experimental_relax_shapes=True)\n+@tf.function(reduce_retracing=True)\n" in out
    assert "Would fix 1 error." in err


def test_a_fix_never_touches_a_masked_line():
    notebook = Notebook.from_text(make_notebook("import tensorflow as tf\n!pip install x"))
    module = notebook.module_text
    tampered = module.replace("pass  # hybridize-lint: masked IPython line", "pass  # noqa")
    with pytest.raises(NotebookError, match="masked IPython line"):
        notebook.render(tampered)
    with pytest.raises(NotebookError, match="cell boundary"):
        Notebook.from_text(make_notebook("x = 1", "y = 2")).render("x = 1\ny = 2\n")


def test_extend_include_and_exclude_choose_the_files(project, capsys):
    (project / "nb.ipynb").write_text(make_notebook("import tensorflow as tf", DEFINED_IN_ONE_CELL))
    (project / "script.pyw").write_text("import tensorflow as tf\n\n\n" + DEFINED_IN_ONE_CELL + "\n")
    _, out, _ = check(capsys, ".")
    assert "nb.ipynb:cell 2:" in out and "script.pyw" not in out
    (project / "pyproject.toml").write_text('[tool.hybridize-lint]\nextend-include = ["*.pyw"]\n'
                                            'extend-exclude = ["*.ipynb"]\n')
    _, out, _ = check(capsys, ".")
    assert "script.pyw:6:5: HYB101" in out and "nb.ipynb" not in out
