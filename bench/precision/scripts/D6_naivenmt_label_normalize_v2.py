"""naivenmt-datasets nlp_datasets/dssm/query_doc_datasets.py:label_normalize_fn_v2 (HYB401 "does no tensor
computation"): with the tensor label it is meant for, `x == '1' or x == '0 1'` is tf.equal/logical ops and the
`if` becomes a tf.cond: list the ops of its graph and check the results (graph vs eager)."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf


@tf.function
def label_normalize_fn_v2(x):  # copied
    if x == '1' or x == '0 1':
        return 1
    return 0


g = label_normalize_fn_v2.get_concrete_function(tf.TensorSpec([], tf.string)).graph
print("ops in the graph:", sorted({op.type for op in g.get_operations()}))
for s in ["1", "0 1", "0", "1 0"]:
    print(repr(s), "graph ->", int(label_normalize_fn_v2(tf.constant(s))),
          "| eager ->", int(label_normalize_fn_v2.python_function(tf.constant(s))))

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   ops in the graph: ['Const', 'Equal', 'Identity', 'Placeholder', 'StatelessIf']
#   '1' graph -> 1 | eager -> 1; '0 1' -> 1 | 1; '0' -> 0 | 0; '1 0' -> 0 | 0
