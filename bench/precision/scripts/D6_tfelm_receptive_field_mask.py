"""TfELM 1.1 (wheel installed with --no-deps into /work/corpus6/site/tfelm): HYB302 on
ReceptiveFieldGenerator._apply_rectangle_mask / ReceptiveFieldGaussianGenerator._apply_rectangle_mask.
They run once per hidden neuron in generate_receptive_fields, which ELMLayer.fit calls once per fit
(its result is discarded there).  Time generate_receptive_fields eagerly and with the method wrapped
in tf.function (what the fix does), compare outputs, and compare with the whole ELM fit."""
import os, sys, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, "/work/corpus6/site/tfelm")
import numpy as np
import tensorflow as tf
from TfELM.Resources.ReceptiveFieldGenerator import ReceptiveFieldGenerator
from TfELM.Resources.ReceptiveFieldGaussianGenerator import ReceptiveFieldGaussianGenerator
from TfELM.Layers.ELMLayer import ELMLayer

N_NEURONS = 1000
tf.random.set_seed(0)
W = tf.random.normal([28 * 28, N_NEURONS])

for cls in (ReceptiveFieldGenerator, ReceptiveFieldGaussianGenerator):
    for mode in ("eager", "tf.function"):
        tf.random.set_seed(1); np.random.seed(1)
        rf = cls(input_size=(28, 28, 1), num_classes=10)
        if mode == "tf.function":
            rf._apply_rectangle_mask = tf.function(rf._apply_rectangle_mask)
        t = time.perf_counter(); out = rf.generate_receptive_fields(W); dt = time.perf_counter() - t
        print(f"{cls.__name__:34s} {mode:12s} {dt:6.2f} s  sum={float(tf.reduce_sum(out)):.4f}")

# the whole ELM fit on MNIST-sized random data, with a receptive field generator (eager, as shipped)
x = np.random.rand(6000, 784).astype("float32"); y = np.eye(10)[np.random.randint(0, 10, 6000)].astype("float32")
for use_rf in (False, True):
    rf = ReceptiveFieldGaussianGenerator(input_size=(28, 28, 1), num_classes=10) if use_rf else None
    elm = ELMLayer(number_neurons=N_NEURONS, activation="mish", receptive_field_generator=rf)
    elm.build(x.shape)
    t = time.perf_counter(); elm.fit(x, y); dt = time.perf_counter() - t
    print(f"ELMLayer.fit 6000x784, {N_NEURONS} neurons, receptive fields={use_rf}: {dt:.2f} s")

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   ReceptiveFieldGenerator            eager         16.22 s  sum=10017.6621
#   ReceptiveFieldGenerator            tf.function    4.12 s  sum=10017.6621
#   ReceptiveFieldGaussianGenerator    eager         17.79 s  sum=nan   (the package's Gaussian mask gives nan either way)
#   ReceptiveFieldGaussianGenerator    tf.function    3.55 s  sum=nan
#   ELMLayer.fit 6000x784, 1000 neurons, receptive fields=False: 2.34 s
#   ELMLayer.fit 6000x784, 1000 neurons, receptive fields=True: 9.44 s
