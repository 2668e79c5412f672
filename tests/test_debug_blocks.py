"""Code that runs only while someone debugs (jax2tf's IR dump behind ``logger.isEnabledFor(logging.DEBUG)``,
a no-value HYB110): what a helper does there is what the developer asked to see, once per trace like the
log lines around it. Asking a logger for its level is no I/O either (it was a false HYB102)."""

from __future__ import annotations

from project_helpers import lint

DEBUG_DUMP = """
import logging
import tensorflow as tf

logger = logging.getLogger(__name__)
_dumps = []


def dump(x):
    _dumps.append(x)
    return f"dumped as #{len(_dumps)}"


@tf.function
def step(x):
    y = x * 2.0
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(dump(y))
    return y
"""

ABSL_DUMP = DEBUG_DUMP.replace("import logging\n", "import logging\nfrom absl import logging as absl_logging\n") \
    .replace("if logger.isEnabledFor(logging.DEBUG):", "if absl_logging.vlog_is_on(2):")


def test_a_helper_run_only_at_debug_level_is_not_reported(tmp_path):
    assert lint(tmp_path, {"m.py": DEBUG_DUMP}) == set()


def test_the_same_helper_under_an_absl_verbosity_check_is_not_reported(tmp_path):
    assert lint(tmp_path, {"m.py": ABSL_DUMP}) == set()


def test_the_same_helper_run_on_every_call_is_reported(tmp_path):
    always = DEBUG_DUMP.replace("    if logger.isEnabledFor(logging.DEBUG):\n        logger", "    logger")
    assert ("m.py", 16, "HYB110") in lint(tmp_path, {"m.py": always})


def test_the_helper_in_the_else_arm_of_a_level_check_is_reported(tmp_path):
    """The ``else`` arm runs when nobody debugs: on every call, eagerly."""
    otherwise = DEBUG_DUMP.replace("        logger.debug(dump(y))\n", "        pass\n    else:\n        dump(y)\n")
    assert ("m.py", 19, "HYB110") in lint(tmp_path, {"m.py": otherwise})


def test_a_print_of_a_tensor_at_debug_level_is_still_reported(tmp_path):
    """A tensor printed in a graph shows its symbolic form: ``tf.print`` is the fix, debugging or not."""
    printed = DEBUG_DUMP.replace("logger.debug(dump(y))", "print(y)")
    assert lint(tmp_path, {"m.py": printed}) == {("m.py", 17, "HYB101")}


LEVEL_QUERY = """
import logging
import tensorflow as tf

logger = logging.getLogger(__name__)


@tf.function
def step(x):
    verbose = logger.isEnabledFor(logging.INFO) and logger.hasHandlers()
    return x * 2.0 if verbose else x
"""


def test_asking_a_logger_for_its_level_is_no_io(tmp_path):
    assert lint(tmp_path, {"m.py": LEVEL_QUERY}) == set()


def test_a_log_line_of_a_tensor_is_still_io(tmp_path):
    logs = LEVEL_QUERY.replace("    return x * 2.0 if verbose else x\n", "    logger.info(x)\n    return x\n")
    assert lint(tmp_path, {"m.py": logs}) == {("m.py", 10, "HYB102")}
