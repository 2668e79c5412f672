"""Graph code its enclosing function never defines: a statement before the ``def`` always raises NameError
(a name bound nowhere, or a local read before its assignment), so the nested function never exists and
nothing in it runs (tftk's orphan ``augment_ok/image.py``: two prints in a ``Dataset.map`` function nested
after ``dataset.shuffle(mix_size)``, with no ``mix_size`` anywhere; both labelled no-value)."""

from __future__ import annotations

from project_helpers import lint

MIXUP = """
import tensorflow as tf
SETUP

def mixup_apply(dataset, mixup_size, alpha):
    def mixup(dataset):
        shuffled = dataset.shuffle(SIZE)
        zipped = tf.data.Dataset.zip((dataset, shuffled))

        def mix(data, other):
            print(data)
            return data * alpha + other * (1 - alpha)

        return zipped.map(mix)

    return mixup
"""


def mixup(setup: str = "", size: str = "mix_size") -> dict[str, str]:
    return {"augment.py": MIXUP.replace("SETUP", setup).replace("SIZE", size)}


def test_a_map_function_defined_after_a_read_of_a_name_bound_nowhere_is_not_graph_code(tmp_path):
    assert lint(tmp_path, mixup()) == set()


def test_the_same_function_is_reported_when_the_name_exists(tmp_path):
    assert lint(tmp_path, mixup(size="mixup_size")) == {("augment.py", 10, "HYB101")}
    assert lint(tmp_path / "global", mixup(setup="mix_size = 100\n")) == {("augment.py", 11, "HYB101")}


def test_a_name_a_star_import_may_bring_is_not_taken_for_unbound(tmp_path):
    found = lint(tmp_path, mixup(setup="from settings import *\n"))
    assert found == {("augment.py", 11, "HYB101")}


def test_a_read_that_may_not_be_evaluated_does_not_stop_the_function(tmp_path):
    # `mixup_size or mix_size` reads the unbound name only when mixup_size is falsy
    assert lint(tmp_path, mixup(size="mixup_size or mix_size")) == {("augment.py", 10, "HYB101")}


def test_a_read_in_a_branch_does_not_stop_the_function(tmp_path):
    branch = MIXUP.replace("SETUP", "").replace(
        "        shuffled = dataset.shuffle(SIZE)\n",
        "        shuffled = dataset.shuffle(mixup_size)\n        if alpha > 1:\n            shuffled = mix_size\n")
    assert lint(tmp_path, {"augment.py": branch}) == {("augment.py", 12, "HYB101")}


STEP = """
import tensorflow as tf

counts = []


def make_step(model):
    EARLIER
    part = tf.constant(part)

    @tf.function
    def step(x):
        counts.append(1)
        return model(x) + tf.cast(part[0], tf.float32)

    return step
"""


def test_a_step_defined_after_a_local_read_before_its_assignment_is_not_graph_code(tmp_path):
    assert lint(tmp_path, {"step.py": STEP.replace("    EARLIER\n", "")}) == set()


def test_the_same_step_is_reported_when_the_local_is_assigned_first(tmp_path):
    found = lint(tmp_path, {"step.py": STEP.replace("EARLIER", "part = [0, 1]")})
    assert found == {("step.py", 12, "HYB105")}
