"""The project model matches what Python and TensorFlow do: which code is traced, and what runs.

Each class of imprecision found on real TF2 code has a positive test (still reported) and a
negative one of the same shape (no longer reported): wrappers of ``tf.function``, method dispatch
on a known receiver class, Keras models only ever run eagerly, functions defined twice, and one
project root for every command.
"""

from __future__ import annotations

import json

from hybridize_lint.cli import main
from project_helpers import lint, run, write_project

# -- Keras: `call` is graph code only on Keras' compiled paths --------------------

EAGER_PREDICT_MODEL = """
import tensorflow as tf


class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return self.dense(x)

    def predict(self, batches):
        return [self(batch) for batch in batches]
"""


def test_model_run_through_its_own_predict_override_is_eager(tmp_path):
    """``net.predict`` is the project's own loop calling ``self(x)``: ``call`` runs eagerly each time."""
    files = {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            outputs = net.predict([tf.ones((2, 3))] * 3)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_model_fitted_by_keras_is_graph_code(tmp_path):
    files = {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((8, 3)), tf.ones((8, 4)))
            """,
    }
    assert lint(tmp_path, files) == {("model.py", 11, "HYB104")}


def test_predict_override_delegating_to_keras_predict_is_graph_code(tmp_path):
    """``super().predict(...)`` is Keras' compiled predict loop: it traces ``call``."""
    model = EAGER_PREDICT_MODEL.replace("return [self(batch) for batch in batches]",
                                        "return super().predict(batches)")
    files = {
        "model.py": model,
        "main.py": """
            import tensorflow as tf

            from model import Net

            outputs = Net().predict(tf.ones((8, 3)))
            """,
    }
    assert lint(tmp_path, files) == {("model.py", 11, "HYB104")}


def test_explain_names_the_tracer_of_a_keras_step(tmp_path, capsys):
    """No tf.function anywhere: explain must not say the function is "wrapped with tf.function"."""
    root = write_project(tmp_path, {
        "model.py": EAGER_PREDICT_MODEL,
        "main.py": """
            import tensorflow as tf

            from model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((8, 3)), tf.ones((8, 4)))
            """,
    })
    assert main(["explain", "--output-format", "json", f"{root / 'model.py'}::Net.call"]) == 0
    reasons = json.loads(capsys.readouterr().out)[0]["reasons"]
    assert "is already traced as graph code (Keras fit)" in reasons
    assert not any("wrapped with tf.function" in reason for reason in reasons)


# -- one project root for every command ------------------------------------------

MARKERLESS = {
    "app/helpers.py": """
        def scale(x):
            print("scaling", x)
            return x * 2.0
        """,
    "app/train.py": """
        import tensorflow as tf

        from app.helpers import scale


        def step(x):
            return scale(x) + 1.0


        for _ in range(3):
            step(tf.constant(1.0))
        """,
}


def _write_markerless(root):
    from project_helpers import source

    for name, text in MARKERLESS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(source(text), encoding="utf-8")


def _check_codes(capsys, *paths: str) -> set[tuple[str, int, str]]:
    main(["check", "--no-cache", "--exit-zero", "--output-format", "json", "--select", "HYB3", *paths])
    return {(item["filename"].rpartition("app/")[2], item["location"]["row"], item["code"])
            for item in json.loads(capsys.readouterr().out)}


def _explained_action(capsys, target: str) -> str | None:
    assert main(["explain", "--output-format", "json", target]) == 0
    return json.loads(capsys.readouterr().out)[0]["code"]


def test_explain_and_check_analyse_the_same_markerless_project(tmp_path, monkeypatch, capsys):
    """No pyproject.toml/.git: run from the tree's top, `check` and `explain` see `app.helpers` alike."""
    _write_markerless(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _check_codes(capsys, ".") == set()  # step → scale → print: a side effect, not a candidate
    assert _check_codes(capsys, "app") == set()
    assert _check_codes(capsys, "app/train.py") == set()
    assert main(["explain", "--output-format", "json", "app/train.py::step"]) == 0
    explained = json.loads(capsys.readouterr().out)[0]
    assert explained["code"] is None
    assert explained["side_effects"] == "step → scale → print"


def test_markerless_project_still_reports_what_it_resolves(tmp_path, monkeypatch, capsys):
    """The same tree with a quiet helper: both commands agree that `step` can be hybridized."""
    _write_markerless(tmp_path)
    (tmp_path / "app/helpers.py").write_text("def scale(x):\n    return x * 2.0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    candidates = {("train.py", 6, "HYB301"), ("helpers.py", 1, "HYB301")}
    assert _check_codes(capsys, ".") == candidates
    assert _check_codes(capsys, "app") == candidates
    assert _explained_action(capsys, "app/train.py::step") == "HYB301"
