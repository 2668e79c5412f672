"""Backs tfpwa/tf_pwa/phasespace.py:150:5:HYB301 (PhaseSpaceGenerator.generate_momentum_i) and
tfpwa/tf_pwa/phasespace.py:183:5:HYB301 (PhaseSpaceGenerator.get_weight).
Runs the real tf_pwa.phasespace (imported read-only from the corpus) eagerly and with the two
methods wrapped in tf.function. generate_momentum_i is called once per body in generate_momentum's
loop with a different Python float m2, a p_list of growing length and the Python int n_iter: every
call of the loop is its own trace. get_weight is called by flatten_mass on mass tensors whose length
changes on every call of generate's rejection loop (n_iter2 = guessed remainder): a trace per call.
Prints traces and times for repeated generate(N) calls.
Seen (TF 2.21, 2 busy cores): generate(2000) x10: eager 1.18s | both decorated 2.45s (3 + 14 traces);
10 different N: 1.02s | 8.18s (30 + 26 traces); best case, only generate_momentum_i decorated and the
same N 30 times: 3.92s -> 2.69s (3 traces). The project's samplers (multi_sampling, GenTest) vary N.
"""
import os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
sys.dont_write_bytecode = True
sys.path.insert(0, "/work/main/.corpus/tfpwa")
import tensorflow as tf
tf.get_logger().setLevel("ERROR")
from tf_pwa.phasespace import PhaseSpaceGenerator

orig_mi, orig_w = PhaseSpaceGenerator.generate_momentum_i, PhaseSpaceGenerator.get_weight
T = {"mi": 0, "w": 0}
def mi(self, *a, **k):
    T["mi"] += 1
    return orig_mi(self, *a, **k)
def w(self, *a, **k):
    T["w"] += 1
    return orig_w(self, *a, **k)

def run(Ns):
    gen = PhaseSpaceGenerator(5.0, [0.1, 0.2, 0.3, 0.4])  # 4-body
    t0 = time.perf_counter()
    for N in Ns:
        p = gen.generate(N)
    return time.perf_counter() - t0

for label, Ns in (("generate(2000) x10", [2000] * 10), ("generate(N) for 10 different N", [1000 + 100 * i for i in range(10)])):
    PhaseSpaceGenerator.generate_momentum_i, PhaseSpaceGenerator.get_weight = orig_mi, orig_w
    te = run(Ns)
    PhaseSpaceGenerator.generate_momentum_i, PhaseSpaceGenerator.get_weight = tf.function(mi), tf.function(w)
    T["mi"] = T["w"] = 0
    tg = run(Ns)
    print(f"{label}: eager {te:.2f}s | both decorated {tg:.2f}s; traces generate_momentum_i {T['mi']}, get_weight {T['w']}")
# generate_momentum_i alone, in its best case (same N every time, traces amortised over 30 calls)
PhaseSpaceGenerator.get_weight = orig_w
PhaseSpaceGenerator.generate_momentum_i = orig_mi
te = run([2000] * 30)
PhaseSpaceGenerator.generate_momentum_i = tf.function(mi); T["mi"] = 0
tg = run([2000] * 30)
print(f"generate(2000) x30, only generate_momentum_i decorated: eager {te:.2f}s | decorated {tg:.2f}s (traces {T['mi']})")
