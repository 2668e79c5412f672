"""Does hybridizing the per-epoch evaluation helpers of the bench programs pay, at their real call counts?

For each helper: time N eager calls (after one warm-up call that builds the model) against N calls of
tf.function(helper) INCLUDING its trace, with N = the number of calls the program makes.
"""
import os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
sys.path.insert(0, "/work/main/bench/programs")
import tensorflow as tf

def measure(name, fn, args, n):
    fn(*args)  # warm-up: builds the model, warms eager kernels
    t = time.perf_counter()
    for _ in range(n):
        fn(*args)
    eager = time.perf_counter() - t
    g = tf.function(fn)
    t = time.perf_counter()
    for _ in range(n):
        g(*args)
    graph = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(n):
        g(*args)
    graph_warm = time.perf_counter() - t
    print(f"{name:40s} calls={n:3d} eager={eager*1e3:7.1f} ms  graph(incl. trace)={graph*1e3:7.1f} ms  "
          f"graph(traced)={graph_warm*1e3:6.1f} ms  net={'SLOWER' if graph > eager else 'faster'}")

import autoencoder, cnn, custom_model, quickstart_experts as qe
measure("autoencoder.reconstruction_loss", autoencoder.reconstruction_loss,
        (tf.constant(autoencoder.x_test),), autoencoder.EPOCHS + 1)
measure("cnn.evaluate", cnn.evaluate, (tf.constant(cnn.test_images), tf.constant(cnn.test_labels)), cnn.EPOCHS)
measure("custom_model.validate", custom_model.validate,
        (tf.constant(custom_model.x_val), tf.constant(custom_model.y_val)), custom_model.EPOCHS)
xb, yb = next(iter(qe.test_ds))
measure("quickstart_experts.test_step", qe.test_step, (xb, yb), qe.EPOCHS * 4)
