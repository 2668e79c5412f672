"""ZMPY3D_TF 0.0.2 (wheel with its cache_data in /work/corpus6/site/zmpy3d): HYB402 on ZMCal (ShapeScore,
SuperA2B) and `core` (BatchShapeScore, BatchSuperA2B): "traced again for every new Python value of MaxOrder /
GridWidth ... graph mode is likely slower than eager: remove tf.function".  In every CLI MaxOrder (int(20) or
int(6)) and GridWidth are set once and the same at each call; the Batch variants call `core` inside
dataset.map (a graph anyway).  Run the real ShapeScore CLI on two synthetic CA-only PDB files: traces of ZMCal and
why they happen; then the same run with ZMCal's tf.function removed (the advice)."""
import os, sys, time, math
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path[:0] = ["/work/corpus6/site/zmpy3d", "/work/corpus6/site/deps"]
import tempfile
import tensorflow as tf
import importlib
cli = importlib.import_module("ZMPY3D_TF.ZMPY3D_TF_CLI_ShapeScore")
cli = sys.modules["ZMPY3D_TF.ZMPY3D_TF_CLI_ShapeScore"]

d = tempfile.mkdtemp()
def pdb(n, path):
    with open(path, "w") as f:
        for i in range(n):  # an alpha-helix-like CA trace
            x, y, z = 2.3 * math.cos(i * 1.745), 2.3 * math.sin(i * 1.745), 1.5 * i
            f.write("ATOM  %5d  CA  ALA A%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\n" % (i + 1, i + 1, x, y, z))
    return path
A, B = pdb(40, f"{d}/a.pdb"), pdb(55, f"{d}/b.pdb")

mode = sys.argv[1] if len(sys.argv) > 1 else None
if mode is None:  # each mode in a fresh process, so no trace is shared
    import subprocess
    for m in ("shipped", "no-tf-function"):
        subprocess.run([sys.executable, __file__, m])
    sys.exit()
traced = []
orig = cli.ZMCal.python_function
def spy(Voxel3D, *a):
    traced.append((tuple(Voxel3D.shape), type(a[6]).__name__, a[6]))  # a[6] is MaxOrder
    return orig(Voxel3D, *a)
cli.ZMCal = tf.function(spy) if mode == "shipped" else orig  # the advice: remove tf.function from ZMCal
t = time.perf_counter(); r = cli.ZMPY3D_TF_CLI_ShapeScore(A, B, 1.0); dt = time.perf_counter() - t
print(f"{mode}: scores", [round(float(v), 4) for v in r], f"{dt:.1f} s", "| ZMCal traces (Voxel3D shape, MaxOrder):" if traced else "", traced or "")

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   shipped: scores [-21.2495, 17.3835] 6.1 s | ZMCal traces (Voxel3D shape, MaxOrder): [((22, 22, 76), 'int', 20), ((22, 22, 98), 'int', 20)]
#   no-tf-function: scores [-21.2495, 17.3835] 4.3 s
