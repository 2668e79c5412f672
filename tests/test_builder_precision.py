"""Code that builds objects rather than computing tensors gets no HYB301/HYB302 (false-classes.md, G10/H6).

Two causes met on the corpus5 packages: the benefit estimate counted Python work as tensor operations
(a string's ``.format``, a dict's ``.items``, a class ``type(x)`` returns: 3 each, 30 in a loop), and a
function whose result is a built object passed where it only returned a helper's result or ran the
helper that makes ``keras.Input``s. Each negative case has a positive twin that is still suggested.
"""

from __future__ import annotations

from project_helpers import lint

SUGGEST = 'select = ["HYB301", "HYB302"]\n'

# -- the estimate: Python work on names and metadata is no tensor operation -------------------------------

NAMES = """
import tensorflow as tf

GROUPS = {"dense": 4, "conv": 8}


def scoped(x):
    scopes = {}
    for key, size in GROUPS.items():
        scopes[key] = "{}/{}_{}".format("model", key, size)
    meta = type(GROUPS)(scopes)
    return tf.identity(x), meta.keys()


for _ in range(100):
    scoped(tf.ones([2]))
"""


def test_string_formatting_and_dict_walks_are_not_counted_as_tensor_operations(tmp_path):
    assert lint(tmp_path, {"names.py": NAMES}, SUGGEST) == set()


def test_the_same_loop_computing_on_tensors_is_still_the_boundary(tmp_path):
    files = {"names.py": NAMES.replace('scopes[key] = "{}/{}_{}".format("model", key, size)',
                                       "x = tf.tanh(x) * 0.9 + tf.reduce_mean(x)")}
    assert lint(tmp_path, files, SUGGEST) == {("names.py", 6, "HYB301")}


# -- results: a Keras functional model under construction ---------------------------------------------------

TOWERS = """
import tensorflow as tf


def tower_inputs(fields, layers):
    inputs, outputs = {}, {}
    for name, dim in fields.items():
        inputs[name] = tf.keras.Input(shape=(dim,), name=name)
        outputs[name] = tf.nn.relu(layers[name](inputs[name])) * 2.0
    return inputs, tf.concat(list(outputs.values()), axis=-1) * 2.0 + 1.0


def towers(groups, layers):
    built = []
    for fields in groups:
        inputs, output = tower_inputs(fields, layers)
        built.append(tf.reduce_sum(output, axis=-1) * 0.5)
    return built
"""


def test_a_helper_making_keras_inputs_builds_a_model_and_is_not_suggested(tmp_path):
    assert lint(tmp_path, {"towers.py": TOWERS}, SUGGEST) == set()


STEP = """
import tensorflow as tf

inputs = tf.keras.Input(shape=(3,))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
optimizer = tf.keras.optimizers.SGD(0.1)


def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


for _ in range(100):
    train_step(tf.ones([4, 3]), tf.zeros([4, 1]))
"""


def test_a_step_of_a_model_built_from_keras_inputs_elsewhere_is_still_suggested(tmp_path):
    assert lint(tmp_path, {"step.py": STEP}, SUGGEST) == {("step.py", 8, "HYB301")}


# -- results: a helper's plain object, returned as it is ----------------------------------------------------

GENOMES = """
import tensorflow as tf


class Genome:
    def __init__(self, weights):
        self.weights = weights


def mutate(weights):
    new = []
    for w in weights:
        new.append(w + tf.random.normal(tf.shape(w)) * 0.1 + tf.reduce_mean(w))
    return Genome(new)


def offspring(weights):
    return mutate(weights)


def evolve(population):
    children = []
    for weights in population:
        children.append(offspring(weights))
    return children
"""


def test_returning_a_helpers_plain_object_is_not_suggested(tmp_path):
    assert lint(tmp_path, {"genomes.py": GENOMES}, SUGGEST) == set()


def test_returning_a_helpers_tensors_is_still_suggested(tmp_path):
    files = {"genomes.py": GENOMES.replace("return Genome(new)", "return tf.stack(new)")}
    assert lint(tmp_path, files, SUGGEST) == {("genomes.py", 16, "HYB302")}
