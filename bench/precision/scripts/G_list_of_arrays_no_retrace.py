"""corpus3 (m3gnet trainers): a tf.function called per batch with a *new* Python list of NumPy arrays
(and a NumPy target array) does not trace per call: a list is a nest structure, its NumPy leaves are
converted to tensors, so only structure/dtype/shape matter (and experimental_relax_shapes/
reduce_retracing generalizes varying shapes after the second trace)."""
import numpy as np
import tensorflow as tf

traces = 0


@tf.function(reduce_retracing=True)
def train_one_step(model, graph_list, target_list):
    global traces
    traces += 1
    with tf.GradientTape() as tape:
        pred = model(graph_list[0]) + tf.reduce_sum(graph_list[1])
        loss = tf.reduce_mean((pred - target_list) ** 2)
    return loss, tape.gradient(loss, model.trainable_variables)


model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
rng = np.random.default_rng(0)
calls = 0
for epoch in range(3):
    for n in (5, 7, 5, 9, 6, 8, 5, 7, 11, 4):  # a varying number of atoms per batch
        graph_list = [rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(2 * n,)).astype("float32"), None]
        target = rng.normal(size=(n, 1)).astype("float32")
        train_one_step(model, graph_list, target)
        calls += 1
print(f"calls={calls} traces={traces}")
assert traces <= 3, traces
# Same with fixed shapes and no relaxation: one trace for 30 new lists.
traces = 0


@tf.function
def step(model, graph_list, target_list):
    global traces
    traces += 1
    return tf.reduce_mean(model(graph_list[0]) - target_list)


for _ in range(30):
    step(model, [rng.normal(size=(5, 3)).astype("float32"), None], rng.normal(size=(5, 1)).astype("float32"))
print(f"fixed shapes: calls=30 traces={traces}")
assert traces == 1
