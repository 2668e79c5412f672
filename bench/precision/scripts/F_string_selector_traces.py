"""kgcnn ops (segment_ops_by_name, tensor_scatter_nd_ops_by_name, change_partition_by_name ...) are
tf.functions selecting an op by a string from a small fixed set ('sum', 'mean', 'row_splits'...).
HYB402 says graph mode is likely slower than eager because each new Python value retraces. Count:
one trace per distinct name, then cached; eager vs graph over many calls."""
import os, time
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
import tensorflow as tf

traces = []
def segment_ops_by_name(segment_name, data, segment_ids):
    traces.append(segment_name)
    if segment_name in ("mean", "segment_mean"):
        return tf.math.segment_mean(data, segment_ids)
    return tf.math.segment_sum(data, segment_ids)
graph_fn = tf.function(segment_ops_by_name)

data = tf.random.normal([64, 8]); ids = tf.repeat(tf.range(8), 8)
for fn, label in ((segment_ops_by_name, "eager"), (graph_fn, "graph")):
    traces.clear(); t = time.perf_counter()
    for k in range(300):
        fn("sum" if k % 2 else "mean", data, ids)
    print(f"{label}: 300 calls, {len(traces) if label == 'graph' else 0} traces, {time.perf_counter() - t:.3f} s")
# warm: traces done, per-call cost only
for fn, label in ((segment_ops_by_name, "eager"), (graph_fn, "graph")):
    t = time.perf_counter()
    for k in range(300):
        fn("sum" if k % 2 else "mean", data, ids)
    print(f"{label} warm: {(time.perf_counter() - t) / 300 * 1e6:.0f} us/call")
# inside a traced Keras-style call (how kgcnn layers run under fit): nested tf.function is inlined
@tf.function
def layer_call(d):
    return graph_fn("sum", d, ids) + graph_fn("mean", d, ids)
@tf.function
def layer_call_plain(d):
    return segment_ops_by_name("sum", d, ids) + segment_ops_by_name("mean", d, ids)
for fn, label in ((layer_call, "nested tf.function"), (layer_call_plain, "plain helper")):
    fn(data); t = time.perf_counter()
    for _ in range(300):
        fn(data)
    print(f"inside a graph, {label}: {(time.perf_counter() - t) / 300 * 1e6:.0f} us/call")
