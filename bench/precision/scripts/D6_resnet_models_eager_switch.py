"""resnet-models (resnet_models/main.py): HYB303 on the module-level
`tf.config.experimental_run_functions_eagerly(True)` of the training CLI.  Nothing on its training path needs
eager execution: train() is a plain compile()+fit() of the package's Keras ResNet-34 with categorical cross-entropy
and 'acc' (the data preparation is an eager Python loop outside any tf.function).  Time fit steps of the real
resnet_34.get_model on the CLI's input shape (257, 250, 1), batch 16, with the switch (as shipped) and without, each
in a fresh process; compare the loss after the same steps."""
import os, sys, time, subprocess
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path[:0] = ["/work/corpus6/site/resnetmodels"]
if len(sys.argv) == 1:
    for mode in ("switch-on (as shipped)", "switch-off"):
        subprocess.run([sys.executable, __file__, mode])
    sys.exit()
import numpy as np
import tensorflow as tf
from resnet_models.models import resnet_34
if sys.argv[1].startswith("switch-on"):
    tf.config.experimental_run_functions_eagerly(True)
tf.keras.utils.set_random_seed(0)
model = resnet_34.get_model(input_shape=(257, 250, 1), embeddings_size=512, n_classes=100)
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="categorical_crossentropy", metrics=["acc"])
rng = np.random.default_rng(0)
x = rng.normal(size=(16 * 6, 257, 250, 1)).astype("float32")
y = tf.keras.utils.to_categorical(rng.integers(0, 100, 16 * 6), 100)
model.fit(x[:16], y[:16], batch_size=16, epochs=1, verbose=0)  # warm-up (trace/build)
t = time.perf_counter()
h = model.fit(x[16:], y[16:], batch_size=16, epochs=1, verbose=0)
dt = (time.perf_counter() - t) / 5
print(f"{sys.argv[1]:24s}: {dt:.2f} s per step (5 steps), loss {h.history['loss'][-1]:.4f}", flush=True)

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   switch-on (as shipped)  : 10.46 s per step (5 steps), loss 709.2874
#   switch-off              : 8.23 s per step (5 steps), loss 709.5071
