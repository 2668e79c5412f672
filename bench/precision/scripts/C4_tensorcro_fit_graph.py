"""Backs tensorcro/tensorcro/slcro.py:122:5:HYB302 (TensorCro._fit).
Copies the read-only corpus package to a temp dir (its fit() writes a replay folder inside the
package) and runs fit() eagerly and with _fit wrapped in tf.function. _fit holds a Python
`for _ in range(max_iter)` loop (max_iter = shards, a Python int) that a graph unrolls, and a
tf.keras.utils.Progbar.update per iteration (a Python side effect: in a graph it only runs while
tracing). With fit's default shards (= max_iter) _fit is called ONCE per fit, so every decorated
call is a trace of an unrolled loop. Shows the timings and trace counts.
Seen (TF 2.21, 2 busy cores): max_iter=10 shards=None: eager 0.50s | tf.function 6.04s, 1 trace;
max_iter=30 shards=5: eager 2.30s | tf.function 4.17s, 2 traces. The graph never pays here.
"""
import os, shutil, sys, tempfile, time, io, contextlib
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf
tf.get_logger().setLevel("ERROR")

tmp = tempfile.mkdtemp()
shutil.copytree("/work/main/.corpus/tensorcro/tensorcro", os.path.join(tmp, "tensorcro"))
os.makedirs(os.path.join(tmp, "tensorcro", "tmp"), exist_ok=True)
sys.path.insert(0, tmp)
# the replay viewer (pandas, tkinter, matplotlib) is not needed to optimise: stub it out
import types
stub = types.ModuleType("tensorcro.replay"); stub.watch_replay = None
sys.modules["tensorcro.replay"] = stub
from tensorcro import TensorCro, UniformCrossover, GaussianCrossover

def fitness(x):
    return -tf.reduce_sum(tf.square(x - 0.3), axis=-1)

directives = tf.constant([[0.0] * 4, [1.0] * 4])
def run(max_iter, shards):
    cro = TensorCro(reef_shape=(6, 6), subs=[UniformCrossover(), GaussianCrossover()])
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        cro.fit(fitness, directives, max_iter=max_iter, device="/CPU:0", seed=1, shards=shards)
    return time.perf_counter() - t0, out.getvalue().count("\r") + out.getvalue().count("\n")

orig = TensorCro._fit
TRACES = [0]
def counted(*a, **k):
    TRACES[0] += 1  # Python: runs once per trace under tf.function
    return orig(*a, **k)
for max_iter, shards in [(10, None), (30, 5)]:
    TensorCro._fit = orig
    te, pe = run(max_iter, shards)
    TensorCro._fit = tf.function(counted); TRACES[0] = 0
    try:
        tg, pg = run(max_iter, shards)
        n = TRACES[0]
        print(f"max_iter={max_iter} shards={shards}: eager {te:.2f}s (progbar writes {pe}) | "
              f"tf.function {tg:.2f}s, traces {n} (progbar writes {pg})")
    except Exception as e:
        print(f"max_iter={max_iter} shards={shards}: eager {te:.2f}s | tf.function FAILS: {type(e).__name__}: {str(e)[:200]}")
shutil.rmtree(tmp)
