"""Effects behind a flag parameter that defaults to false (``if verbose: print(...)``, ``do = memoize and x``;
``if do: cache[k] = v``): a call that leaves the flag out, or passes a false constant, never runs them, so
a graph function making that call loses nothing per call (jax2tf's ``memoize_constants``, corpus5 round).
A call that turns the flag on, passes the caller's own flag on, or passes ``**kwargs`` still counts."""

from __future__ import annotations

from project_helpers import lint

HELPERS = """
import tensorflow as tf

_cache = {}
_log = []


def convert(x, memoize=False):
    do_memo = memoize and x is not None
    if do_memo:
        _cache[id(x)] = x
    return tf.convert_to_tensor(x)


def report(x, verbose=0):
    if verbose:
        _log.append(x)
    return x * 2


def relay(x, verbose=False):
    return report(x, verbose)
"""


def lint_step(tmp_path, body: str):
    return lint(tmp_path, {"m.py": HELPERS + "\n\n@tf.function\ndef step(x):\n" + body})


def step_row(body: str, line: int = 0) -> int:
    """The row of the step's ``line``-th body line (0: the first)."""
    return len(HELPERS.strip("\n").splitlines()) + 5 + line


def test_a_call_leaving_the_flag_at_its_false_default_runs_no_effect(tmp_path):
    assert lint_step(tmp_path, "    return report(x)\n") == set()


def test_a_local_holding_the_flag_and_more_guards_the_same_way(tmp_path):
    assert lint_step(tmp_path, "    return convert(x)\n") == set()


def test_a_false_constant_passed_for_the_flag_runs_no_effect(tmp_path):
    assert lint_step(tmp_path, "    return report(x, verbose=False) + report(x, None)\n") == set()


def test_the_callers_own_flag_passed_on_is_judged_at_the_callers_call(tmp_path):
    assert lint_step(tmp_path, "    return relay(x)\n") == set()
    body = "    return relay(x, verbose=True)\n"
    assert lint_step(tmp_path, body) == {("m.py", step_row(body), "HYB110")}


def test_a_call_turning_the_flag_on_still_runs_the_effect_once_per_trace(tmp_path):
    body = "    y = report(x)\n    return convert(y, memoize=True)\n"
    assert lint_step(tmp_path, body) == {("m.py", step_row(body, 1), "HYB110")}


def test_a_flag_passed_from_a_variable_or_through_kwargs_may_be_on(tmp_path):
    body = ("    on = tf.executing_eagerly()\n    options = {'verbose': 1}\n    y = report(x, on)\n"
            "    return report(y, **options)\n")
    assert lint_step(tmp_path, body) == {("m.py", step_row(body, 2), "HYB110"), ("m.py", step_row(body, 3), "HYB110")}


def test_a_flag_the_function_rebinds_guards_nothing(tmp_path):
    files = {"m.py": HELPERS.replace("    if verbose:\n", "    verbose = verbose or DEBUG\n    if verbose:\n")
             .replace("_log = []", "_log = []\nDEBUG = True")
             + "\n\n@tf.function\ndef step(x):\n    return report(x)\n"}
    rows = len(files["m.py"].strip("\n").splitlines())
    assert lint(tmp_path, files) == {("m.py", rows, "HYB110")}


def test_the_graph_functions_own_flag_guarded_effect_is_still_reported(tmp_path):
    # Its callers outside the project may turn the flag on: the effect is the function's own.
    files = {"m.py": """
import tensorflow as tf

_log = []


@tf.function
def step(x, verbose=False):
    if verbose:
        _log.append(x)
    return x * 2
"""}
    assert lint(tmp_path, files) == {("m.py", 9, "HYB105")}


def test_a_step_whose_helper_only_logs_behind_a_flag_left_off_can_become_a_graph(tmp_path):
    files = {"train.py": """
import tensorflow as tf

w = tf.Variable(tf.ones([4, 4]))
opt = tf.keras.optimizers.SGD(0.1)
history = []


def loss_of(x, verbose=False):
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    if verbose:
        history.append(loss)
    return loss


def train_step(x):
    with tf.GradientTape() as tape:
        loss = loss_of(x)
    grads = tape.gradient(loss, [w])
    opt.apply_gradients(zip(grads, [w]))
    return loss


for _ in range(100):
    train_step(tf.random.normal([8, 4]))
"""}
    assert lint(tmp_path, files, 'select = ["HYB301"]\n') == {("train.py", 15, "HYB301")}
    with_flag = {"train.py": files["train.py"].replace("loss_of(x)", "loss_of(x, verbose=True)")}
    assert lint(tmp_path / "on", with_flag, 'select = ["HYB301"]\n') == set()


def test_code_after_an_early_return_on_the_flag_needs_it_too(tmp_path):
    files = {"m.py": """
import tensorflow as tf

_log = []


def report(x, verbose=False):
    if not verbose:
        return x
    _log.append(x)
    return x


@tf.function
def step(x):
    y = report(x)
    return report(y, verbose=True)
"""}
    assert lint(tmp_path, files) == {("m.py", 16, "HYB110")}


# -- the same for graph-mode errors: `.numpy()` behind a flag the graph paths turn off (corpus6's G1) -------

READER = """
import tensorflow as tf


def read(path, return_numpy=True):
    raw = tf.io.read_file(path)
    if return_numpy:
        raw = raw.numpy()
    return raw


def load(paths):
    return [read(p) for p in paths]


def pipeline(files):
    return tf.data.Dataset.from_tensor_slices(files).map(MAPPED)
"""


def test_numpy_behind_a_flag_every_graph_entry_turns_off_is_eager_code(tmp_path):
    # The eager `load` keeps the default (True); the tf.data map passes False: no graph runs `.numpy()`.
    files = {"io.py": READER.replace("MAPPED", "lambda p: read(p, return_numpy=False)")}
    assert lint(tmp_path, files) == set()


def test_an_entry_keeping_the_true_default_or_a_graph_caller_turning_it_on_still_fails(tmp_path):
    for mapped in ("lambda p: read(p)", "read", "lambda p: read(p, True)"):
        files = {"io.py": READER.replace("MAPPED", mapped)}
        assert lint(tmp_path / str(len(mapped)), files) == {("io.py", 7, "HYB501")}, mapped
    step = READER.replace("MAPPED", "lambda p: read(p, return_numpy=False)") \
        + "\n\n@tf.function\ndef step(p):\n    return read(p, return_numpy=True)\n"
    assert lint(tmp_path / "step", {"io.py": step}) == {("io.py", 7, "HYB501")}


def test_one_flag_turned_off_is_enough_under_nested_flags(tmp_path):
    files = {"io.py": READER.replace("MAPPED", "lambda p: read(p, return_numpy=False, with_rate=RATE)")
             .replace("def read(path, return_numpy=True):", "def read(path, return_numpy=True, with_rate=False):")
             .replace("    if return_numpy:\n        raw = raw.numpy()\n",
                      "    if with_rate:\n        if return_numpy:\n            raw = raw.numpy()\n")
             .replace("def pipeline(files):", "RATE = True\n\n\ndef pipeline(files):")}
    assert lint(tmp_path, files) == set()


# -- a helper called only behind such a flag, and `**kwargs` as a flag (kerex's TFRecord spec) --------------

RECORDS = """
import tensorflow as tf


class Records:
    def structure(self, **kwargs):
        if not kwargs:
            return {"x": tf.io.FixedLenFeature([], tf.string)}
        return {key: self.feature(value) for key, value in kwargs.items()}

    @staticmethod
    def feature(value):
        if isinstance(value, tf.Tensor):
            value = value.numpy()
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))

    def parse(self, record):
        return tf.io.parse_single_example(record, self.structure(PARSE_ARGUMENTS))

    def read(self, files):
        return tf.data.TFRecordDataset(files).map(self.parse)

    def write(self, x):
        return self.structure(x=x)
"""


def test_a_helper_called_only_behind_a_flag_the_graph_path_leaves_off_is_eager_code(tmp_path):
    # The map's parse calls `structure()` with no keywords: it returns the spec before calling `feature`.
    files = {"records.py": RECORDS.replace("PARSE_ARGUMENTS", "")}
    assert lint(tmp_path, files) == set()


def test_the_helper_still_fails_when_the_graph_path_fills_kwargs(tmp_path):
    files = {"records.py": RECORDS.replace("PARSE_ARGUMENTS", "x=record")}
    assert lint(tmp_path, files) == {("records.py", 13, "HYB501")}


def test_a_helper_behind_a_plain_flag_the_graph_path_leaves_off_is_eager_code(tmp_path):
    helper = READER.replace("        raw = raw.numpy()\n", "        raw = as_numpy(raw)\n") \
        + "\n\ndef as_numpy(raw):\n    return raw.numpy()\n"
    assert lint(tmp_path, {"io.py": helper.replace("MAPPED", "lambda p: read(p, return_numpy=False)")}) == set()
    assert lint(tmp_path / "on", {"io.py": helper.replace("MAPPED", "lambda p: read(p)")}) == {("io.py", 20, "HYB501")}


def test_a_dataset_lambda_filling_kwargs_turns_the_flag_on(tmp_path):
    files = {"records.py": RECORDS.replace("PARSE_ARGUMENTS", "").replace(
        ".map(self.parse)", ".map(lambda record: self.structure(x=record))")}
    assert lint(tmp_path, files) == {("records.py", 13, "HYB501")}


def test_any_constant_python_takes_for_false_turns_the_flag_off(tmp_path):
    # As for defaults (`verbose=0.0`), a graph caller passing 0.0 or "" leaves the flag off.
    for name, off in (("float", "0.0"), ("string", '""')):
        step = READER.replace("MAPPED", "lambda p: read(p, return_numpy=False)") \
            + f"\n\n@tf.function\ndef step(p):\n    return read(p, return_numpy={off})\n"
        assert lint(tmp_path / name, {"io.py": step}) == set()
