"""corpus3 (madflow phasespace.py:506, HYB108): `PhaseSpaceGenerator.clear_cuts` empties `self._cuts` and
sets an *instance* attribute `self.__call__ = tf.function(...)` to force a new trace; but `ps_gen(x)`
looks `__call__` up on the class, so it keeps running the class-level tf.function whose graph was traced
with the old cuts. The same shape, self-contained (the real module needs pdfflow's config at import;
`... G_madflow_clear_cuts_stale.py real` runs the real module from .corpus/madflow, or MADFLOW_DIR)."""
import sys

import tensorflow as tf


class PhaseSpace:
    def __init__(self):
        self._cuts = []

    def register_cut(self, threshold):
        self._cuts.append(lambda x: x > threshold)

    def clear_cuts(self):
        self._cuts = []
        self.__call__ = tf.function(self.__call__.python_function, input_signature=self.__call__.input_signature)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def __call__(self, x):
        if self._cuts:
            x = tf.boolean_mask(x, tf.reduce_all([cut(x) for cut in self._cuts], axis=0))
        return x


ps = PhaseSpace()
ps.register_cut(0.5)
x = tf.constant([0.1, 0.6, 0.9])
print("with cut:", ps(x).numpy())
ps.clear_cuts()
after = ps(x).numpy()
print("after clear_cuts, ps(x):", after, "(stale: the cut is still applied)")
assert len(after) == 2, after
print("after clear_cuts, ps.__call__(x):", ps.__call__(x).numpy(), "(only the instance attribute sees it)")

if len(sys.argv) > 1 and sys.argv[1] == "real":
    import os
    import types

    # madflow's config imports pdfflow and lhapdf at import time: stand in for it (DTYPE and casts only)
    package = types.ModuleType("madflow")
    package.__path__ = [os.path.join(os.environ.get("MADFLOW_DIR", ".corpus/madflow"), "madflow")]
    config = types.ModuleType("madflow.config")
    config.DTYPE = tf.float64
    config.float_me = lambda x: tf.cast(x, tf.float64)
    config.int_me = lambda x: tf.cast(x, tf.int32)
    config.run_eager = lambda flag=False: tf.config.run_functions_eagerly(flag)
    sys.modules.update({"madflow": package, "madflow.config": config})
    from madflow import phasespace

    gen = phasespace.PhaseSpaceGenerator(5, 7e3, algorithm="ramboflow")
    gen.register_cut("pt", particle=3, min_val=60, max_val=300.0)
    xrand = tf.random.uniform((2000, 14), dtype=phasespace.DTYPE)
    cut_ps = gen(xrand)[0]
    gen.clear_cuts()
    full_ps = gen(xrand)[0]
    print(f"real madflow: {cut_ps.shape[0]} events with the cut, {full_ps.shape[0]} after clear_cuts (of 2000)")
