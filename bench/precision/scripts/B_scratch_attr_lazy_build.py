"""NSL AdversarialRegularization._build_loss_and_metric_fns pattern: inside the
traced call it sets self._metric_name_count = Counter(), uses it to name losses,
then `del self._metric_name_count`; the loss list is built once (guarded by
`if self._labeled_losses: return`). The flagged attribute never outlives the call,
and the build is idempotent, so running it only per trace changes nothing."""
import collections, tensorflow as tf

class AdvReg(tf.Module):
    def __init__(self):
        self._labeled_losses = None
    def _make_name(self, base):
        self._metric_name_count[base] += 1
        return f"{base}_{self._metric_name_count[base]}"
    def _build(self):
        self._metric_name_count = collections.Counter()
        if not self._labeled_losses:
            self._labeled_losses = [self._make_name("mse")]
        del self._metric_name_count
    def call(self, x):
        self._build()
        return tf.reduce_sum(x * x)

eager, graph = AdvReg(), AdvReg()
gcall = tf.function(graph.call)
for i in range(4):
    x = tf.constant([float(i), 1.0])
    assert float(eager.call(x)) == float(gcall(x))
for m in (eager, graph):
    assert not hasattr(m, "_metric_name_count")
assert eager._labeled_losses == graph._labeled_losses == ["mse_1"]
print("eager and traced agree; scratch attr gone; losses:", graph._labeled_losses,
      "traces:", gcall.experimental_get_tracing_count())
