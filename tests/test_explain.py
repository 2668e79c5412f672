"""`hybridize-lint explain`: the verdict and the reasons, in the paper's terms, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from hybridize_lint.cli import main
from project_helpers import write_project

PROGRAM = """\
import tensorflow as tf


def normalize(x):
    return x / tf.reduce_max(x)


def power(x, n):
    return x ** n


def noisy(x):
    print(x)
    return tf.abs(x)


@tf.function
def scale(x, factor):
    return x * factor


data = tf.random.normal((4, 3))
normalize(data)
power(data, 2)
noisy(data)
scale(data, 0.5)
scale(data, 2.0)
"""


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"train.py": PROGRAM}, "") / "train.py"


EVERY_FUNCTION = ("--config", 'hybridization = "every-function"')


def _explain_json(capsys, *targets: str) -> list[dict]:
    assert main(["explain", "--output-format", "json", *targets]) == 0
    return json.loads(capsys.readouterr().out)


def test_explains_every_function_with_evidence(tmp_path, capsys):
    path = _project(tmp_path)
    items = {item["function"]: item for item in _explain_json(capsys, *EVERY_FUNCTION, str(path))}
    assert set(items) == {"normalize", "power", "noisy", "scale"}
    assert items["normalize"]["code"] == "HYB301"
    assert items["normalize"]["tensor_parameters"] == {"x": "receives a tensor at train.py:23"}
    assert items["power"]["code"] is None
    assert items["power"]["literal_parameters"] == {"n": ["receives a Python literal at train.py:24"]}
    assert items["noisy"]["side_effects"] == ["noisy → print at train.py:13"]
    assert items["scale"]["hybrid"] is True and items["scale"]["code"] == "HYB402"


def test_one_function_by_qualname_in_text(tmp_path, capsys):
    path = _project(tmp_path)
    # (A constant written at the call traces once: only the paper's mode counts it as retracing.)
    assert main(["explain", *EVERY_FUNCTION, f"{path}::power"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("power [eager] → no change")
    assert "literal parameters: `n` receives a Python literal at train.py:24" in out
    assert "why: parameter `n` receives a Python literal at train.py:24" in out


def test_unknown_function_is_a_usage_error(tmp_path, capsys):
    path = _project(tmp_path)
    assert main(["explain", f"{path}::missing"]) == 2
    assert "no function 'missing'" in capsys.readouterr().err


def test_numpy_arguments_and_their_signature_are_explained(tmp_path, capsys):
    path = tmp_path / "fit.py"
    path.write_text("import numpy as np\nimport tensorflow as tf\n\nw = tf.Variable(0.5)\n\n\n"
                    "def predict(x):\n    return w * x\n\n\npredict(np.ones((2, 3)))\n")
    [item] = _explain_json(capsys, *EVERY_FUNCTION, f"{path}::predict")
    assert item["array_parameters"] == {"x": "receives a float64 NumPy array at fit.py:11"}
    assert item["input_signature"] == [{"dtype": "float32", "rank": 2}]
    assert main(["explain", *EVERY_FUNCTION, f"{path}::predict"]) == 0
    out = capsys.readouterr().out
    assert "NumPy array parameters: `x` receives a float64 NumPy array at fit.py:11" in out
    assert "input_signature: float32 of rank 2" in out


def test_a_function_called_once_is_not_a_boundary_and_explain_says_why(tmp_path, capsys):
    path = _project(tmp_path)
    items = {item["function"]: item for item in _explain_json(capsys, str(path))}
    assert items["normalize"]["code"] is None
    assert items["normalize"]["tensor_parameters"] == {"x": "receives a tensor at train.py:23"}
    assert any("no eager code calls it on every iteration of a loop" in r for r in items["normalize"]["reasons"])


BOUNDARY_PROGRAM = """\
import tensorflow as tf

w = tf.Variable(tf.ones([3, 1]))
optimizer = tf.keras.optimizers.SGD(0.01)


def loss_of(x, y):
    return tf.reduce_mean(tf.square(tf.matmul(x, w) - y))


def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_of(x, y)
    optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    return loss


for _ in range(10):
    train_step(tf.ones([4, 3]), tf.zeros([4, 1]))
"""


def test_explain_shows_the_boundary_its_evidence_and_what_it_covers(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
    path = tmp_path / "train.py"
    path.write_text(BOUNDARY_PROGRAM)
    items = {item["function"]: item for item in _explain_json(capsys, str(path))}
    step, helper = items["train_step"], items["loss_of"]
    assert step["code"] == "HYB301"
    assert step["boundary"] == {"repetition": "called eagerly in a loop at train.py:19",
                                "tensor_operations": step["boundary"]["tensor_operations"], "covers": ["loss_of"]}
    assert step["boundary"]["tensor_operations"] >= 20
    assert helper["code"] is None and helper["covered_by"] == "train_step"
    assert main(["explain", f"{path}::loss_of"]) == 0
    assert "why: runs inside the graph of `train_step`, which is suggested instead" in capsys.readouterr().out
    assert main(["explain", f"{path}::train_step"]) == 0
    out = capsys.readouterr().out
    assert "boundary: called eagerly in a loop at train.py:19, about " in out and "covers `loss_of`" in out


def test_every_side_effect_once_with_its_chain_and_each_eager_only_call_once(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
    (tmp_path / "step.py").write_text(
        "import tensorflow as tf\nlog = []\n\n\ndef helper(x):\n    print('helper', x)\n    log.append(x)\n"
        "    return x\n\n\n@tf.function\ndef step(x):\n    print('a')\n    print('b')\n    helper(x)\n"
        "    helper(x)\n    y = x.numpy()\n    z = x.numpy()\n    return x + 1\n")
    (item,) = _explain_json(capsys, str(tmp_path / "step.py") + "::step")
    assert item["side_effects"] == [
        "step → print at step.py:13",
        "step → print at step.py:14",
        "step → helper → print at step.py:6",
        "step → helper → log.append at step.py:7",
    ]
    assert item["eager_only"] == ["`.numpy()` needs an eager tensor (line 17)",
                                  "`.numpy()` needs an eager tensor (line 18)"]
    assert main(["explain", str(tmp_path / "step.py") + "::step"]) == 0
    assert ("  Python side effects: step → print at step.py:13; step → print at step.py:14; "
            "step → helper → print at step.py:6; step → helper → log.append at step.py:7\n") in capsys.readouterr().out
