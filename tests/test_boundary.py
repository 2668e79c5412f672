"""HYB301's boundary: the outermost function called eagerly on every iteration of a loop.

Each pattern has a positive and a negative case, written the way TF2 tutorials and training
scripts are. The paper's per-function decisions (``hybridization = "every-function"``) are
covered by ``test_hybridization.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hybridize_lint.cli import main
from project_helpers import run, source

HYB3 = 'select = ["HYB3"]\n'

PREAMBLE = """
import numpy as np
import tensorflow as tf

W = tf.Variable(tf.random.normal([4, 2]))
b = tf.Variable(tf.zeros([2]))
optimizer = tf.keras.optimizers.SGD(0.1)
features = tf.random.normal([32, 4])
labels = tf.random.normal([32, 2])


def predict(x):
    return tf.matmul(x, W) + b


def loss_of(x, y):
    return tf.reduce_mean(tf.square(predict(x) - y))
"""


def found(tmp_path: Path, body: str, settings: str = HYB3, name: str = "train.py") -> dict[str, str]:
    """Function name (from the `def` line) → message, for HYB3xx findings."""
    text = source(PREAMBLE) + source(body)
    findings = run(tmp_path, {name: text}, settings)
    lines = text.splitlines()
    result = {}
    for finding in findings:
        line = lines[finding.row - 1]
        result[line.split("def ", 1)[1].split("(", 1)[0]] = f"{finding.code} {finding.message}"
    return result


ZERO_ARGUMENT_STEP = """
def run_optimization():
    with tf.GradientTape() as tape:
        loss = loss_of(features, labels)
    gradients = tape.gradient(loss, [W, b])
    optimizer.apply_gradients(zip(gradients, [W, b]))
"""


def test_a_zero_argument_step_over_captured_variables_called_in_a_loop_is_the_boundary(tmp_path):
    result = found(tmp_path, ZERO_ARGUMENT_STEP + "\n\nfor step in range(100):\n    run_optimization()\n")
    assert set(result) == {"run_optimization"}  # its helpers run inside its graph
    message = result["run_optimization"]
    assert message.startswith("HYB301 `run_optimization` can run as a graph: called eagerly in a loop at train.py:")
    assert "its helpers `loss_of`, `predict` included" in message


def test_the_same_step_called_once_is_not_suggested(tmp_path):
    assert found(tmp_path, ZERO_ARGUMENT_STEP + "\n\nrun_optimization()\n") == {}


def test_a_step_called_only_under_an_if_in_the_loop_is_not_a_start_point(tmp_path):
    body = ZERO_ARGUMENT_STEP + "\n\nfor step in range(100):\n    if step % 10 == 0:\n        run_optimization()\n"
    assert found(tmp_path, body) == {}


def test_a_small_helper_called_on_every_iteration_is_not_worth_a_graph(tmp_path):
    body = """
        def accuracy(logits, targets):
            correct = tf.equal(tf.argmax(logits, 1), tf.argmax(targets, 1))
            return tf.reduce_mean(tf.cast(correct, tf.float32))


        for step in range(100):
            print(accuracy(features, labels))
        """
    assert found(tmp_path, body) == {}
    bigger = body.replace("return tf.reduce_mean(tf.cast(correct, tf.float32))",
                          "return tf.reduce_mean(tf.cast(correct, tf.float32)) + loss_of(features, labels)")
    assert set(found(tmp_path / "bigger", bigger)) == {"accuracy"}


def test_trainable_variables_read_after_the_forward_pass_do_not_refuse_the_step(tmp_path):
    body = """
        model = tf.keras.Sequential([tf.keras.layers.Dense(2)])


        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))
            variables = model.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss


        for step in range(10):
            train_step(features, labels)
        """
    assert set(found(tmp_path, body)) == {"train_step"}
    before = body.replace("""            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))
            variables = model.trainable_variables""", """            variables = model.trainable_variables
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))""")
    assert before != body
    assert found(tmp_path / "before", before) == {}  # stale on the first trace: the model is not built yet
    compiled = before.replace("            variables = model.trainable_variables\n",
                              "            model.compile(optimizer='sgd', loss='mse')\n"
                              "            variables = model.trainable_variables\n")
    assert compiled != before and found(tmp_path / "compiled", compiled) == {}  # compile() builds nothing


def test_a_caller_that_prints_hands_the_boundary_to_the_step_it_calls(tmp_path):
    body = """
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_of(x, y)
            optimizer.apply_gradients(zip(tape.gradient(loss, [W, b]), [W, b]))
            return loss


        def epoch(number):
            loss = train_step(features, labels)
            print("epoch", number, float(loss))


        for number in range(50):
            epoch(number)
        """
    result = found(tmp_path, body)
    assert set(result) == {"train_step"}
    assert "through `epoch`" in result["train_step"]


def test_a_helper_both_covered_and_called_eagerly_in_its_own_loop_is_still_a_candidate(tmp_path):
    body = ZERO_ARGUMENT_STEP + """

def evaluate(x, y):
    return loss_of(x, y) + tf.reduce_mean(tf.abs(predict(x) - y)) + tf.reduce_max(tf.abs(predict(x) - y))


for step in range(100):
    run_optimization()
for batch in range(10):
    print(evaluate(features, labels))
"""
    assert set(found(tmp_path, body)) == {"run_optimization", "evaluate"}


def test_a_library_training_loop_makes_its_step_a_speculative_boundary(tmp_path):
    body = """
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_of(x, y)
            optimizer.apply_gradients(zip(tape.gradient(loss, [W, b]), [W, b]))
            return loss


        def fit(dataset, epochs):
            for _ in range(epochs):
                for x, y in dataset:
                    train_step(x, y)
        """
    # Nothing in the project runs `fit` eagerly: it may as well run inside a graph.
    assert found(tmp_path, body, 'select = ["HYB301"]\n') == {}
    result = found(tmp_path / "speculative", body, 'select = ["HYB302"]\n')
    assert set(result) == {"train_step"} and "called eagerly in a loop at train.py:" not in result["train_step"]
    assert "in a loop at train.py:" in result["train_step"]
    # A script that calls it makes the loop eager for sure.
    script = body + """

        fit(tf.data.Dataset.from_tensor_slices((features, labels)).batch(8), epochs=3)
        """
    assert set(found(tmp_path / "script", script, 'select = ["HYB301"]\n')) == {"train_step"}


def test_test_code_gets_no_suggestion_unless_asked(tmp_path):
    body = ZERO_ARGUMENT_STEP + "\n\ndef test_training():\n    for _ in range(30):\n        run_optimization()\n"
    assert found(tmp_path, body, name="tests/test_training.py") == {}
    assert set(found(tmp_path / "asked", body, HYB3 + "hybridize-tests = true\n",
                     name="tests/test_training.py")) == {"run_optimization"}
    unittest_style = ZERO_ARGUMENT_STEP + """

class TrainingTest(tf.test.TestCase):
    def test_training(self):
        for _ in range(3):
            run_optimization()
"""
    assert found(tmp_path / "method", unittest_style) == {}  # a test class in a file of any name


def test_a_keras_style_test_step_is_not_test_code(tmp_path):
    body = """
        def test_step(x, y):
            error = predict(x) - y
            return tf.reduce_mean(tf.square(error)), tf.reduce_max(tf.abs(error)), tf.reduce_min(tf.abs(error))


        for batch in range(10):
            test_step(features, labels)
        """
    assert set(found(tmp_path, body)) == {"test_step"}


def test_operations_in_a_loop_of_the_body_count_once_per_iteration(tmp_path):
    body = """
        kernel = tf.Variable(tf.eye(4))


        def forward(x):
            for _ in range(20):
                x = tf.nn.relu(tf.matmul(x, kernel))
            return x


        for batch in range(10):
            forward(features)
        """
    result = found(tmp_path, body)
    assert set(result) == {"forward"} and "about 20 tensor operations" in result["forward"]


def test_hybrid_functions_in_tests_are_not_dehybridized(tmp_path):
    body = """
        @tf.function
        def constant_one():
            return 1


        constant_one()
        """
    assert found(tmp_path, body, 'select = ["HYB4"]\n', name="tests/test_constants.py") == {}
    assert set(found(tmp_path / "library", body, 'select = ["HYB4"]\n', name="constants.py")) == {"constant_one"}


def test_float32_numpy_batches_sliced_each_step_make_the_step_a_boundary(tmp_path):
    """tf.function converts float32 arrays as eager code does (float32 is TF's default): no signature needed."""
    body = """
        data_x = np.random.rand(64, 4).astype(np.float32)
        data_y = np.random.rand(64, 2).astype(np.float32)


        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.keras.losses.mean_squared_error(y, tf.matmul(x, W) + b))
            optimizer.apply_gradients(zip(tape.gradient(loss, [W, b]), [W, b]))
            return loss


        for epoch in range(20):
            for start in range(0, 64, 16):
                train_step(data_x[start:start + 16], data_y[start:start + 16])
        """
    result = found(tmp_path, body)
    assert set(result) == {"train_step"} and "input_signature" not in result["train_step"]
    float64 = body.replace(".astype(np.float32)", "")
    assert float64 != body and found(tmp_path / "float64", float64) == {}  # would meet W as float64


LIBRARY = """
def normalize(x: tf.Tensor) -> tf.Tensor:
    centered = x - tf.reduce_mean(x, axis=0)
    scaled = centered / (tf.math.reduce_std(x, axis=0) + 1e-6)
    return tf.clip_by_value(tf.where(tf.math.is_finite(scaled), scaled, 0.0), -5.0, 5.0)
"""


SPECULATIVE = 'select = ["HYB3"]\nextend-select = ["HYB302"]\n'


def test_a_library_function_without_callers_is_no_suggestion_even_a_speculative_one(tmp_path):
    assert found(tmp_path, LIBRARY, 'select = ["HYB"]\n') == {}
    assert found(tmp_path / "selected", LIBRARY, SPECULATIVE) == {}


def test_a_loop_in_a_public_entry_point_nobody_calls_is_a_speculative_suggestion(tmp_path):
    entry = LIBRARY + "\n\ndef standardize_all(batches):\n    return [normalize(batch) for batch in batches]\n"
    assert found(tmp_path, entry, 'select = ["HYB"]\n') == {}
    result = found(tmp_path / "selected", entry, SPECULATIVE)
    assert result["normalize"].startswith("HYB302 `normalize` could run as a graph: called in a loop at train.py")


@pytest.mark.parametrize("entry", [
    "def _standardize_all(batches):\n    return [normalize(batch) for batch in batches]\n",
    "class Standardized(tf.keras.metrics.Metric):\n    def update_state(self, batches):\n"
    "        return [normalize(batch) for batch in batches]\n",
    "def standardize_all(batches):\n    return [normalize(batch) for batch in batches]\n\n\n"
    "def run(batches):\n    return standardize_all(batches)\n",
])
def test_loops_in_private_helpers_hooks_or_called_code_are_no_entry_point(tmp_path, entry):
    result = found(tmp_path, LIBRARY + "\n\n" + entry, SPECULATIVE)
    assert "normalize" not in result


def test_every_function_mode_reports_each_function_the_paper_accepts(tmp_path):
    body = ZERO_ARGUMENT_STEP + "\n\nfor step in range(100):\n    run_optimization()\n" \
        "print(loss_of(features, labels))\n"
    result = found(tmp_path, body, HYB3 + 'hybridization = "every-function"\n')
    # The paper needs a tensor parameter: the zero-argument step is not proposed, its helpers are.
    assert set(result) == {"loss_of", "predict"}
    assert result["predict"].startswith("HYB301 `predict` can run as a graph: parameter `x` receives a tensor")


def test_inline_config_on_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n")
    (tmp_path / "train.py").write_text(source(PREAMBLE) + "\nprint(loss_of(features, labels))\n")
    assert main(["check", "--select", "HYB3", "train.py"]) == 0
    capsys.readouterr()
    assert main(["check", "--select", "HYB3", "--config", 'hybridization = "every-function"', "train.py"]) == 1
    assert "HYB301 [~] `loss_of`" in capsys.readouterr().out


@pytest.mark.parametrize("value, error", [
    ('hybridization = "everything"', "hybridization: expected one of 'boundary', 'every-function'"),
    ("hybridization = ", "neither a file nor a `KEY = VALUE` TOML line"),
    ("no-such-key = 1", "unknown key 'no-such-key'"),
])
def test_a_bad_inline_config_is_a_one_line_usage_error(tmp_path, capsys, monkeypatch, value, error):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.py").write_text("x = 1\n")
    assert main(["check", "--config", value, "train.py"]) == 2
    err = capsys.readouterr().err
    assert error in err and len(err.strip().splitlines()) == 1


def test_a_step_reading_a_python_value_the_loop_rebinds_is_refused(tmp_path):
    body = """
        learning_rate = 0.1


        def run_optimization():
            with tf.GradientTape() as tape:
                loss = loss_of(features, labels)
            gradients = tape.gradient(loss, [W, b])
            W.assign_sub(learning_rate * gradients[0])
            b.assign_sub(learning_rate * gradients[1])


        for step in range(100):
            run_optimization()
            learning_rate = learning_rate * 0.99
        """
    assert found(tmp_path, body) == {}  # traced once, the graph would keep learning_rate = 0.1
    constant = body.replace("    learning_rate = learning_rate * 0.99\n", "")
    assert constant != body and set(found(tmp_path / "constant", constant)) == {"run_optimization"}
    via_global = constant.replace("for step in range(100):", """def decay():
            global learning_rate
            learning_rate = learning_rate * 0.99


        for step in range(100):
            decay()""")
    assert via_global != constant and found(tmp_path / "global", via_global) == {}


def test_a_loop_inside_the_boundary_gives_no_boundary_of_its_own(tmp_path):
    body = """
        class Cell:
            def __init__(self):
                self.kernel = tf.Variable(tf.random.normal([4, 4]))

            def step(self, state, x):
                gate = tf.sigmoid(tf.matmul(x, self.kernel) + tf.reduce_mean(state))
                candidate = tf.tanh(tf.matmul(state, self.kernel) + tf.matmul(x, self.kernel))
                return gate * state + (1.0 - gate) * candidate

            def __call__(self, inputs):
                state = tf.zeros([32, 4])
                for x in tf.unstack(inputs):
                    state = self.step(state, x)
                return state


        cell = Cell()


        def train_step(inputs, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(cell(inputs) - y))
            optimizer.apply_gradients(zip(tape.gradient(loss, [cell.kernel]), [cell.kernel]))
            return loss


        for step in range(10):
            train_step(tf.random.normal([5, 32, 4]), labels)
        """
    assert set(found(tmp_path, body)) == {"train_step"}  # not `Cell.step`, which runs inside its graph


def test_a_step_taking_a_sequential_model_built_on_a_keras_input_is_a_boundary(tmp_path):
    """The model is an object made from an `Input`, not a symbolic tensor: the step computes on real data."""
    body = """
        model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(2)])


        def grad(net, inputs, targets):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(net(inputs, training=True) - targets))
            return loss, tape.gradient(loss, net.trainable_variables)


        for step in range(10):
            loss, grads = grad(model, features, labels)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """
    assert set(found(tmp_path, body)) == {"grad"}


STEP_WITH = """
def train_step({params}):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square({forward} - y))
    optimizer.apply_gradients(zip(tape.gradient(loss, [W, b]), [W, b]))
    return loss
"""


def test_arguments_of_unknown_type_that_change_per_call_refuse_the_step(tmp_path):
    """A float64 array from a source the analysis does not know, a new model per fold, a file path:
    retracing on every call, or a dtype error, once traced."""
    step = STEP_WITH.format(params="x, y", forward="tf.matmul(x, W) + b")
    unknown_array = step + """
rng = np.random.default_rng(0)
X = rng.normal(size=(64, 4))
Y = rng.normal(size=(64, 2))
for i in range(0, 64, 16):
    train_step(X[i:i + 16], Y[i:i + 16])
"""
    assert found(tmp_path / "array", unknown_array) == {}
    folds = STEP_WITH.format(params="model, x, y", forward="model(x)") + """

def make_model():
    return tf.keras.Sequential([tf.keras.layers.Dense(2)])


def main():
    for fold in range(5):
        model = make_model()
        for step in range(10):
            train_step(model, features, labels)
"""
    assert found(tmp_path / "folds", folds) == {}
    one_model = folds.replace("        model = make_model()\n", "").replace(
        "def main():\n", "def main():\n    model = make_model()\n")
    assert one_model != folds and set(found(tmp_path / "one", one_model)) == {"train_step"}


def test_a_step_making_keras_objects_on_every_call_is_refused(tmp_path):
    body = """
        def eval_step(x, y):
            accuracy = tf.keras.metrics.MeanSquaredError()
            accuracy.update_state(y, predict(x))
            return accuracy.result() + loss_of(x, y) + tf.reduce_max(tf.abs(predict(x) - y))


        for step in range(10):
            eval_step(features, labels)
        """
    assert found(tmp_path, body) == {}  # variables made again after the first trace: ValueError
    once = body.replace("            accuracy = tf.keras.metrics.MeanSquaredError()\n", "").replace(
        "        def eval_step", "        accuracy = tf.keras.metrics.MeanSquaredError()\n\n\n        def eval_step")
    assert once != body and set(found(tmp_path / "once", once)) == {"eval_step"}


@pytest.mark.parametrize("change", [
    "    settings['scale'] = settings['scale'] * 0.5",   # a module dict changed in the loop
    "    holder.scale = holder.scale * 0.5",             # an attribute (KL annealing, say)
])
def test_a_step_reading_an_object_the_loop_changes_is_refused(tmp_path, change):
    body = ZERO_ARGUMENT_STEP.replace("loss = loss_of(features, labels)",
                                      "loss = loss_of(features, labels) * settings['scale'] * holder.scale") + """

class Holder:
    scale = 1.0


settings = {'scale': 1.0}
holder = Holder()
for step in range(100):
    run_optimization()
""" + change + "\n"
    assert found(tmp_path, body) == {}
    assert set(found(tmp_path / "unchanged", body.replace(change + "\n", ""))) == {"run_optimization"}


def test_unfreezing_a_model_between_phases_refuses_a_step_that_reads_its_variables(tmp_path):
    body = """
        base = tf.keras.Sequential([tf.keras.layers.Dense(4)])
        model = tf.keras.Sequential([base, tf.keras.layers.Dense(2)])


        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            return loss


        def main():
            base.trainable = False
            for step in range(10):
                train_step(features, labels)
            base.trainable = True
            for step in range(10):
                train_step(features, labels)


        main()
        """
    assert found(tmp_path, body) == {}
    frozen_once = body.replace("            base.trainable = True\n", "")
    assert frozen_once != body and set(found(tmp_path / "once", frozen_once)) == {"train_step"}


def test_a_callee_under_an_if_of_an_unsafe_function_is_not_descended_to(tmp_path):
    body = """
        def export(x):
            return tf.reduce_sum(loss_of(x, labels)) + tf.reduce_max(tf.abs(predict(x))) + tf.reduce_min(x)


        def run_epoch(epoch):
            print("epoch", epoch)
            if epoch == 9:
                export(features)


        for epoch in range(10):
            run_epoch(epoch)
        """
    assert found(tmp_path, body) == {}  # runs once, not once per iteration
    every_time = body.replace("            if epoch == 9:\n                export(features)",
                              "            export(features)")
    assert every_time != body and set(found(tmp_path / "always", every_time)) == {"export"}


def test_a_test_time_augmentation_class_is_not_test_code(tmp_path):
    body = """
        class TestTimeAugmentation:
            def predict(self, x):
                flipped = tf.reverse(x, axis=[1])
                return (predict(x) + predict(flipped)) / 2.0 + tf.reduce_mean(x) * 0.0 + loss_of(x, labels) * 0.0


        tta = TestTimeAugmentation()
        for batch in range(10):
            tta.predict(features)
        """
    assert set(found(tmp_path, body)) == {"predict"}  # the method (the `def` line names it)


def test_a_keras_model_call_counts_as_a_forward_pass_in_the_estimate(tmp_path):
    body = """
        model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(10)])


        def predict_batch(x):
            return tf.argmax(model(x, training=False), axis=-1)


        for batch in range(100):
            predict_batch(features)
        """
    assert set(found(tmp_path, body)) == {"predict_batch"}


def test_the_choice_does_not_depend_on_definition_order(tmp_path):
    update = """
        def critic_update(real):
            with tf.GradientTape() as tape:
                loss = loss_of(real, labels)
            optimizer.apply_gradients(zip(tape.gradient(loss, [W, b]), [W, b]))
            return loss
        """
    phase = """
        def critic_phase(real):
            for _ in range(5):
                loss = critic_update(real)
            return loss
        """
    driver = """
        def train_step(real):
            return critic_phase(real) + tf.reduce_mean(predict(real))


        def main():
            for _ in range(100):
                critic_update(features)
            for step in range(200):
                train_step(features)


        main()
        """
    first = found(tmp_path / "first", update + phase + driver)
    last = found(tmp_path / "last", update + driver + phase)
    assert set(first) == set(last) == {"critic_update", "train_step"}  # the warm-up loop is eager


def test_a_keras_train_step_called_by_hand_without_fit_is_a_boundary(tmp_path):
    body = """
        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(2)

            def call(self, x):
                return self.dense(x)

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.square(self(x) - y))
                optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
                return loss


        net = Net()
        for step in range(10):
            net.train_step((features, labels))
        """
    assert set(found(tmp_path, body)) == {"train_step"}  # the method `Net.train_step`


def test_a_loop_that_runs_a_few_times_does_not_pay_for_tracing(tmp_path):
    """Once per epoch over three epochs: tracing costs more than three graph calls save."""
    body = ZERO_ARGUMENT_STEP + "\n\nEPOCHS = 3\nfor epoch in range(EPOCHS):\n    run_optimization()\n"
    assert found(tmp_path, body) == {}
    many = body.replace("EPOCHS = 3", "EPOCHS = 30")
    assert set(found(tmp_path / "many", many)) == {"run_optimization"}


def test_a_step_called_in_a_comprehension_over_batches_is_a_boundary(tmp_path):
    body = STEP_WITH.format(params="x, y", forward="tf.matmul(x, W) + b") + """
dataset = tf.data.Dataset.from_tensor_slices((features, labels)).batch(8)
EPOCHS = 4
for epoch in range(EPOCHS):
    losses = [train_step(x, y) for x, y in dataset]
"""
    assert set(found(tmp_path, body)) == {"train_step"}  # four epochs, one call per batch in each


# -- a loop over the parts of one structure is no repetition ---------------------------------------------

PARTS = """
def check_part(part):
    scaled = tf.nn.relu(predict(tf.reshape(part, [-1, 4])))
    scaled = tf.math.log1p(tf.abs(scaled)) - tf.reduce_min(scaled)
    return tf.reduce_sum(tf.sqrt(scaled + 1.0)) + tf.reduce_max(scaled)


def check_all(structure):
    return [check_part(tf.convert_to_tensor(part)) for part in ITERABLE]
"""


@pytest.mark.parametrize("iterable", ["tf.nest.flatten(structure)", "structure.values()", "[structure, structure]"])
def test_a_helper_run_on_each_part_of_a_structure_is_not_a_repeated_step(tmp_path, iterable):
    # TFP's JointDistribution checks each flattened part of a sample: a few calls, each of its own shape.
    body = PARTS.replace("ITERABLE", iterable) + "\n\ncheck_all({'a': features, 'b': features})\n"
    assert found(tmp_path, body) == {}


def test_the_same_helper_run_on_every_batch_of_a_dataset_is_the_boundary(tmp_path):
    body = PARTS.replace("ITERABLE", "structure") + """

dataset = tf.data.Dataset.from_tensor_slices(features).batch(8)
for batch in dataset:
    check_part(batch)
"""
    assert set(found(tmp_path, body)) == {"check_part"}


# -- below a start point that cannot be a graph, only a helper doing most of its work pays ----------------

REFUSED_STEP = """
def forward(x, y):
    hidden = tf.nn.relu(predict(x))
    hidden = tf.math.log1p(tf.abs(hidden)) - tf.reduce_min(hidden)
    hidden = tf.sqrt(hidden + 1.0) * tf.reduce_max(hidden) + tf.reduce_mean(hidden)
    hidden = tf.nn.softmax(hidden) + tf.nn.sigmoid(hidden) - tf.tanh(hidden)
    hidden = tf.square(hidden - y) + tf.exp(-tf.abs(hidden)) + tf.math.cos(hidden)
    hidden = tf.math.sin(hidden) * tf.math.cos(hidden) + tf.math.reduce_std(hidden)
    return tf.reduce_mean(hidden) + tf.reduce_sum(tf.square(hidden)) + tf.reduce_max(tf.abs(hidden))


def metric(x, y):
    error = tf.abs(predict(x) - y)
    return tf.reduce_mean(error) + tf.reduce_max(error) - tf.reduce_min(error) + tf.math.reduce_std(error)


def step(x, y):
    loss = FORWARD
    value = metric(x, y)
    print("loss", float(loss), "metric", float(value))


for number in range(50):
    step(features, labels)
"""


def test_a_minor_helper_of_a_step_that_cannot_be_a_graph_is_not_suggested(tmp_path):
    # The step prints, so its helpers are tried: forward does most of the work, metric a small part.
    result = found(tmp_path, REFUSED_STEP.replace("FORWARD", "forward(x, y)"))
    assert set(result) == {"forward"}


def test_the_same_helper_doing_most_of_the_work_is_suggested(tmp_path):
    result = found(tmp_path, REFUSED_STEP.replace("FORWARD", "0.0"))
    assert set(result) == {"metric"}


# -- TensorFlow's own Python utilities are no tensor operations -----------------------------------------

WALKS = """
from tensorflow.python.util import nest


def variables_of(owner):
    found = []
    for leaf in nest.flatten(owner.__dict__, expand_composites=True):
        for path, item in nest.flatten_with_tuple_paths(leaf):
            if isinstance(item, tf.Variable):
                found.append(item)
    found.extend(nest.flatten(nest.map_structure(lambda v: v, found)))
    return tuple(nest.flatten(found)) + tuple(nest.flatten(list(nest.flatten(found))))


class Holder:
    def __init__(self):
        self.w = W
        self.b = b


holder = Holder()
for number in range(50):
    WORK
"""


def test_walking_an_object_with_tensorflow_python_util_nest_does_no_tensor_work(tmp_path):
    # trieste's get_variables (a copy of tf.Module's walk): nothing to gain from a graph.
    assert found(tmp_path, WALKS.replace("WORK", "variables_of(holder)")) == {}


def test_tensorflow_ops_on_what_the_walk_finds_are_tensor_work(tmp_path):
    total = """def total(owner):
    parts = [tf.reduce_sum(tf.square(v)) + tf.reduce_max(tf.abs(v)) for v in variables_of(owner)]
    return tf.add_n(parts) + tf.reduce_mean(tf.stack(parts)) * tf.reduce_min(tf.stack(parts))


holder = Holder()"""
    body = WALKS.replace("WORK", "total(holder)").replace("holder = Holder()", total)
    assert set(found(tmp_path, body)) == {"total"}


# -- a caller that sets again a Python attribute the step reads ------------------------------------------

AGENT = """
class Agent:
    def __init__(self):
        self.w = tf.Variable(tf.ones([4, 2]))
        self.lam = 0.5

    def train(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, self.w) - y)) + self.lam * tf.reduce_sum(tf.abs(self.w))
        grads = tape.gradient(loss, [self.w])
        optimizer.apply_gradients(zip(grads, [self.w]))
        return loss

    def update(self, x, y):
        for _ in range(20):
            self.train(x, y)
        REBIND

    def configure(self, lam):
        self.lam = lam


agent = Agent()
agent.configure(0.1)
for epoch in range(20):
    agent.update(features, labels)
"""


def test_a_step_reading_an_attribute_its_caller_sets_again_is_not_suggested(tmp_path):
    # rlzoo's PPO: update() runs a_train() and then doubles self.lam; a graph of a_train would keep
    # the first value (HYB108 once decorated, whose fix would take the decoration off again).
    assert found(tmp_path, AGENT.replace("REBIND", "self.lam = self.lam * 2")) == {}


def test_an_attribute_set_up_before_the_loop_is_no_obstacle(tmp_path):
    assert set(found(tmp_path, AGENT.replace("REBIND", "pass"))) == {"update"}  # the outermost, train inside


# -- a wrapper whose heavy work runs in the tf.functions it calls already ----------------------------------

ACCUMULATED = """
DECORATOR
def micro_batch_gradients():
    with tf.GradientTape() as tape:
        loss = loss_of(features, labels)
    return loss, tape.gradient(loss, [W, b])


def accumulated_gradients():
    total = [tf.zeros_like(W), tf.zeros_like(b)]
    for _ in range(16):
        loss, grads = micro_batch_gradients()
        total = [t + g for t, g in zip(total, grads)]
    return [t / 16.0 for t in total]


def train(steps):
    for _ in range(steps):
        grads = accumulated_gradients()
        optimizer.apply_gradients(zip(grads, [W, b]))
"""


def test_a_wrapper_accumulating_what_a_tf_function_computes_is_not_suggested(tmp_path):
    # The 16 gradient passes are graphs already; a graph of the wrapper would take over the sums only.
    assert found(tmp_path, ACCUMULATED.replace("DECORATOR", "@tf.function")) == {}


def test_the_same_wrapper_over_an_eager_gradient_is_the_boundary(tmp_path):
    assert set(found(tmp_path, ACCUMULATED.replace("DECORATOR", ""))) == {"accumulated_gradients"}


CHAINS = """
class Chain:
    def __init__(self, couplings):
        self.couplings = couplings
        self.active = couplings

    def select(self, couplings):
        self.active = couplings

    def size(self):
        return len(self.active)


def amplitudes(chains, x):
    total = tf.zeros([32, 2])
    for chain in chains:
        chain.select(chain.couplings[:1])
        total += loss_of(x, labels) * predict(x)
    return total


chains = [Chain([1, 2]), Chain([3])]
for step in range(100):
    amplitudes(chains, features)
"""


def test_a_method_of_unknown_receiver_the_project_defines_with_effects_refuses_the_step(tmp_path):
    # `chain.select(...)` runs on elements of a parameter, of no known type; the project's only `select`
    # writes its object's state, which a graph would do at the first trace only.
    assert found(tmp_path, CHAINS) == {}
    harmless = CHAINS.replace("        self.active = couplings\n\n    def select", "\n    def select").replace(
        "    def select(self, couplings):\n        self.active = couplings\n",
        "    def select(self, couplings):\n        return couplings[:1]\n")
    assert set(found(tmp_path / "harmless", harmless)) == {"amplitudes"}


def test_a_method_on_an_element_of_a_list_is_of_unknown_receiver_too(tmp_path):
    # `chains[i].select(...)`: an element of a list, as `self.holders[i].fill(x)` is in
    # model-compression-toolkit, where the project's only such method refills its statistics dicts.
    indexed = CHAINS.replace("    for chain in chains:\n        chain.select(chain.couplings[:1])\n",
                             "    for i in range(len(chains)):\n        chains[i].select(chains[i].couplings[:1])\n")
    assert found(tmp_path, indexed) == {}
    harmless = indexed.replace("        self.active = couplings\n\n    def select", "\n    def select").replace(
        "    def select(self, couplings):\n        self.active = couplings\n",
        "    def select(self, couplings):\n        return couplings[:1]\n")
    assert set(found(tmp_path / "harmless", harmless)) == {"amplitudes"}


DATASET_BUILDER = """
def augment(image):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, 0.2)
    image = tf.image.random_contrast(image, 0.8, 1.2)
    image = tf.image.random_saturation(image, 0.8, 1.2)
    image = tf.image.random_hue(image, 0.1)
    image = tf.clip_by_value(image * 2.0 - 1.0, -1.0, 1.0)
    return tf.image.resize(tf.image.central_crop(image, 0.9), [32, 32]) + tf.reduce_mean(image)


def make_dataset(images):
    return tf.data.Dataset.from_tensor_slices(images).map(augment)


for epoch in range(10):
    for batch in make_dataset(features):
        predict(batch)
"""


def test_a_function_handed_to_dataset_map_is_no_work_of_the_pipeline_builder(tmp_path):
    # tf.data traces `augment` and runs it per element in its own graph, whatever runs the builder:
    # a graph of `make_dataset` would only build the pipeline, as the eager call does
    assert found(tmp_path, DATASET_BUILDER) == {}
    called = DATASET_BUILDER.replace("from_tensor_slices(images).map(augment)", "from_tensor_slices(augment(images))")
    assert set(found(tmp_path / "called", called)) == {"make_dataset"}


def test_a_function_handed_to_dataset_map_is_not_covered_by_the_builder(tmp_path):
    builder = DATASET_BUILDER.replace("from_tensor_slices(images).map(augment)",
                                      "from_tensor_slices(images * tf.reduce_mean(augment(images))).map(augment)")
    message = found(tmp_path, builder)["make_dataset"]
    assert "augment" in message  # called there too: it runs in the builder's graph as well
    mapped_only = builder.replace("tf.reduce_mean(augment(images))", "tf.reduce_mean(images) * tf.reduce_max(images) "
                                  "* tf.reduce_min(images) * tf.reduce_sum(images) * tf.reduce_std(images)")
    message = found(tmp_path / "mapped", mapped_only).get("make_dataset", "")
    assert "helpers" not in message
