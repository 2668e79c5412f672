"""bayesflow.mcmc.MCMCSurrogateLikelihood decorates __init__ with @tf.function. Every new instance
is a new `self`, so every construction traces anew: the attribute writes happen on every
construction (HYB104 'once per trace, not on every call' describes nothing that goes wrong), while
the decoration itself only adds a trace per object (HYB401 right)."""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

traces = []
class Surrogate:
    @tf.function
    def __init__(self, net, configurator=None):
        traces.append(1)
        self.net = net
        self.configurator = configurator
        if self.configurator is None:
            self.configurator = self._default
    @tf.function
    def _default(self, d):
        return d

nets = [tf.keras.layers.Dense(2) for _ in range(3)]
t = time.perf_counter()
objs = [Surrogate(n) for n in nets]
print("traces for 3 constructions:", len(traces), "attributes set on each:",
      all(o.net is n and o.configurator is not None for o, n in zip(objs, nets)),
      f"{(time.perf_counter() - t) * 1e3:.1f} ms")
class Plain:
    def __init__(self, net, configurator=None):
        self.net, self.configurator = net, configurator
t = time.perf_counter(); [Plain(n) for n in nets]
print(f"plain __init__: {(time.perf_counter() - t) * 1e3:.3f} ms")
