"""``from project_module import *`` brings that module's imports along: research code often gets ``np``
and ``tf`` from ``from utils import *`` (rlzoo's algorithms do). Calls through such names are what
they are in the imported module: NumPy on a parameter stops a hybridization suggestion, a NumPy draw
in graph code is a frozen value. Each case has a control where the star import does not bring the
name (``__all__`` leaves it out), written for the test."""

from __future__ import annotations

from hybridize_lint.config import SettingsResolver
from hybridize_lint.engine import Linter, RunOptions
from project_helpers import lint, write_project

DEFAULT = ""

COMMON = """
import numpy as np
import tensorflow as tf


def make_model():
    return tf.keras.Sequential([tf.keras.layers.Dense(1)])
"""

TRAIN = """
from common import *

model = make_model()
optimizer = tf.keras.optimizers.SGD(0.1)


def train(batch):
    batch = np.array(batch, dtype=np.float32)  # NumPy on the argument: cannot run in a graph
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(batch) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def main():
    for _ in range(100):
        train(tf.random.normal([8, 3]))


if __name__ == "__main__":
    main()
"""


def test_numpy_through_a_project_star_import_keeps_a_step_eager(tmp_path):
    assert lint(tmp_path, {"common.py": COMMON, "train.py": TRAIN}, DEFAULT) == set()


def test_the_same_step_without_numpy_is_suggested(tmp_path):
    train = TRAIN.replace("    batch = np.array(batch, dtype=np.float32)  # NumPy on the argument: cannot run in a graph\n",
                          "")
    assert ("train.py", 7, "HYB301") in lint(tmp_path, {"common.py": COMMON, "train.py": train}, DEFAULT)


RANDOM_STEP = """
from common import *


@tf.function
def step(x):
    return x + np.random.rand()


for _ in range(3):
    step(tf.constant(1.0))
"""


def test_a_numpy_draw_through_a_star_import_is_frozen_in_graph_code(tmp_path):
    assert ("train.py", 6, "HYB106") in lint(tmp_path, {"common.py": COMMON, "train.py": RANDOM_STEP})


def test_a_star_import_brings_only_the_names_of_all(tmp_path):
    common = 'from tensorflow import *\n__all__ = ["make_model"]\n' + COMMON
    assert ("train.py", 6, "HYB106") not in lint(tmp_path, {"common.py": common, "train.py": RANDOM_STEP})


def test_star_imports_are_followed_through_chains(tmp_path):
    files = {"base.py": COMMON, "common.py": "from base import *\n", "train.py": RANDOM_STEP}
    assert ("train.py", 6, "HYB106") in lint(tmp_path, files)


def test_a_cached_summary_follows_a_change_of_the_star_imported_module(tmp_path):
    """The importing file is unchanged, so its cached summary would be reused as is: it must be redone
    when what the star import brings changes."""
    project = write_project(tmp_path / "project", {"common.py": COMMON, "train.py": RANDOM_STEP},
                            'select = ["HYB1"]\n')

    def codes() -> set[tuple[str, int, str]]:
        report = Linter(SettingsResolver()).run([project], RunOptions(use_cache=True))
        assert not report.internal_errors, report.internal_errors
        return {(d.path.name, d.start.row, d.code) for d in report.diagnostics}

    assert ("train.py", 6, "HYB106") in codes()
    (project / "common.py").write_text(COMMON.replace("import numpy as np", "import math as np"), encoding="utf-8")
    assert ("train.py", 6, "HYB106") not in codes()
    (project / "common.py").write_text(COMMON, encoding="utf-8")
    assert ("train.py", 6, "HYB106") in codes()
