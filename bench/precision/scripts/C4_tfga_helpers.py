"""Backs tfga/tfga/tfga.py:452:5:HYB302 (GeometricAlgebra.geom_prod) and
tfga/tfga/tfga.py:675:5:HYB302 (GeometricAlgebra.keep_blades_with_name).
Both are library primitives the linter proposes because approx_exp (geom_prod, order=50 loop) and
inverse (keep_blades_with_name(u, "") with a str literal, n-1 iterations) call them in loops.
Times per eager call, plain vs tf.function, on the real tfga code (imported read-only from the
corpus), and the end-to-end effect on approx_exp / inverse, and the retracing a decorated
primitive suffers when users pass Python lists (geom_prod accepts them: convert_to_tensor).
Seen (TF 2.21, 2 busy cores): geom_prod eager 677us | tf.function 474us; keep_blades_with_name eager
1434us | 401us; approx_exp 45.8 -> 36.5 ms; inverse 9.45 -> 5.34 ms; 6 Python-list calls -> 6 new traces.
"""
import os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
sys.dont_write_bytecode = True
sys.path.insert(0, "/work/main/.corpus/tfga")
import tensorflow as tf
tf.get_logger().setLevel("ERROR")
from tfga import GeometricAlgebra

def per_call(f, n=200):
    f()
    t0 = time.perf_counter()
    for _ in range(n):
        f()
    return (time.perf_counter() - t0) / n * 1e6

ga = GeometricAlgebra([1, 1, 1])
a = tf.random.normal([16, 8]) * 0.1
b = tf.random.normal([16, 8])
vec = tf.concat([tf.zeros([16, 1]), tf.round(tf.random.uniform([16, 3], 1, 4)), tf.zeros([16, 4])], -1)  # invertible vectors
plain_gp, plain_kb = ga.geom_prod, ga.keep_blades_with_name
hyb_gp, hyb_kb = tf.function(plain_gp), tf.function(plain_kb)
print(f"geom_prod            : eager {per_call(lambda: plain_gp(a, b)):.0f} us | tf.function {per_call(lambda: hyb_gp(a, b)):.0f} us")
print(f"keep_blades_with_name: eager {per_call(lambda: plain_kb(a, '')):.0f} us | tf.function {per_call(lambda: hyb_kb(a, '')):.0f} us")
t_exp_e = per_call(lambda: ga.approx_exp(a), 10); t_inv_e = per_call(lambda: ga.inverse(vec), 50)
ga.geom_prod, ga.keep_blades_with_name = hyb_gp, hyb_kb
t_exp_g = per_call(lambda: ga.approx_exp(a), 10); t_inv_g = per_call(lambda: ga.inverse(vec), 50)
print(f"approx_exp (50 geom_prod): eager {t_exp_e/1000:.1f} ms | with decorated geom_prod {t_exp_g/1000:.1f} ms")
print(f"inverse: eager {t_inv_e/1000:.2f} ms | with decorated helpers {t_inv_g/1000:.2f} ms")
n0 = hyb_gp.experimental_get_tracing_count()
for i in range(6):
    hyb_gp([float(i)] + [0.0] * 7, [1.0] * 8)
print("decorated geom_prod on 6 different Python lists: new traces", hyb_gp.experimental_get_tracing_count() - n0)
