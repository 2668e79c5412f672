"""Classes of wrong findings met in the corpus7 round (zeromodels' generation code), each with a negative and a
positive case, written afresh."""

from __future__ import annotations

from project_helpers import lint

# -- a `self.m()` call never reaches the override of a subclass that overrides the calling method too -------

GENERATION = """
import tensorflow as tf


class Generation:
    def generate_step(self, ids):
        return self.build_cache(ids) * 2

    def build_cache(self, ids):
        raise NotImplementedError

    def make_generate_function(self):
        return tf.function(lambda t: self.generate_step(t))


class Seq2SeqGeneration(Generation):
    OVERRIDE

    def build_cache(self, ids, n=3):
        return self.decode(ids) + n

    def decode(self, ids):
        raise NotImplementedError


class Speech(Seq2SeqGeneration):
    calls = 0

    def decode(self, ids):
        self.calls += 1
        return tf.cast(ids, tf.float32)


class Text(Generation):
    def build_cache(self, ids):
        return tf.cast(ids, tf.float32)


for model in (Text(), Speech()):
    generate = model.make_generate_function()
    generate(tf.constant([1]))
"""

OWN_STEP = "def generate_step(self, ids):\n        return self.build_cache(ids, 3)\n"


def test_a_self_call_in_a_method_a_subclass_overrides_does_not_reach_that_subclass(tmp_path):
    # Seq2SeqGeneration overrides generate_step: Generation.generate_step never runs on a Speech, so its
    # self.build_cache() is Text's or Generation's; Speech's effect comes through Seq2SeqGeneration's own step.
    found = lint(tmp_path, {"gen.py": GENERATION.replace("OVERRIDE", OWN_STEP)})
    assert found == {("gen.py", 17, "HYB110")}


def test_without_the_override_the_base_method_reaches_the_subclass_effect(tmp_path):
    found = lint(tmp_path, {"gen.py": GENERATION.replace("OVERRIDE", "pass")})
    assert found == {("gen.py", 6, "HYB110")}


# -- a lazy build guarded by `getattr(self, "x", None)` runs once for the object --------------------------

LAZY = """
import tensorflow as tf


class Speech(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.decoder = tf.keras.Sequential([tf.keras.layers.Dense(2, name="embed")])

    def _ensure_layers(self):
        if GUARD:
            return
        self._embed = self.decoder.get_layer("embed")
        self._blocks = [self._embed]

    def project(self, x):
        self._ensure_layers()
        return self._embed(x)

    @tf.function
    def step(self, x):
        return self.project(x)


model = Speech()
for _ in range(3):
    model.step(tf.ones([1, 3]))
"""


def test_a_build_behind_getattr_with_a_none_default_runs_once(tmp_path):
    for guard in ('getattr(self, "_blocks", None) is not None', 'getattr(self, "_blocks", None)'):
        assert lint(tmp_path / str(len(guard)), {"speech.py": LAZY.replace("GUARD", guard)}) == set(), guard


def test_a_getattr_guard_on_another_attribute_guards_nothing(tmp_path):
    files = {"speech.py": LAZY.replace("GUARD", 'getattr(self, "_other", None) is not None')}
    assert lint(tmp_path, files) == {("speech.py", 21, "HYB110")}
