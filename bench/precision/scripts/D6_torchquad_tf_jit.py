"""torchquad 0.6.0 (wheel with autoray, loguru in /work/corpus6/site): the TF paths that tf.function the
calculate_grid / calculate_sample_points methods (get_jit_compiled_integrate).
- MonteCarlo: HYB110 says RNG.__init__ runs random.SystemRandom once per trace.  SystemRandom is only in RNG's
  JAX branch, and the TF compiled path passes rng=rng, so RNG() is not even built inside the graph.  Check: fresh
  samples every call, and SystemRandom never called (patched to count).
- GridIntegrator (Trapezoid): HYB110 says IntegrationGrid.__init__ runs time.perf_counter once per trace: true, it
  only times grid._runtime of a grid the traced function discards (nothing reads _runtime)."""
import os, sys, random
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path[:0] = ["/work/corpus6/site/torchquad", "/work/corpus6/site/deps"]
import tensorflow as tf
from loguru import logger
logger.remove()
calls = {"SystemRandom": 0}
_orig = random.SystemRandom
class Counting(_orig):
    def __init__(self, *a, **k):
        calls["SystemRandom"] += 1
        super().__init__(*a, **k)
random.SystemRandom = Counting
from torchquad import MonteCarlo, Trapezoid, set_up_backend
set_up_backend("tensorflow", data_type="float64")

dom = tf.constant([[0.0, 1.0], [0.0, 1.0]], dtype=tf.float64)
f = lambda x: tf.reduce_sum(x ** 2, axis=1)
mc = MonteCarlo()
integ = mc.get_jit_compiled_integrate(dim=2, N=10000, integration_domain=dom, seed=None, backend="tensorflow")
vals = [float(integ(f, dom)) for _ in range(5)]
print("MonteCarlo compiled, 5 calls:", [round(v, 5) for v in vals], "distinct:", len(set(vals)),
      "| traces:", mc._tf_jit_calculate_sample_points.experimental_get_tracing_count(),
      "| SystemRandom calls:", calls["SystemRandom"])
tz = Trapezoid()
integ2 = tz.get_jit_compiled_integrate(dim=2, N=10201, integration_domain=dom, backend="tensorflow")
print("Trapezoid compiled, 3 calls:", [round(float(integ2(f, dom)), 6) for _ in range(3)],
      "| traces:", tz._tf_jit_calculate_grid.experimental_get_tracing_count())

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   MonteCarlo compiled, 5 calls: [0.67042, 0.66617, 0.66227, 0.66281, 0.65701] distinct: 5 | traces: 1 | SystemRandom calls: 0
#   Trapezoid compiled, 3 calls: [0.6667, 0.6667, 0.6667] | traces: 1
