"""What the hybridization suggestions aim at: the settings the analysis needs, and test code.

Kept apart from :mod:`..config` so the analysis depends on no file format: the engine turns
``[tool.hybridize-lint]`` settings into a :class:`HybridizationPolicy`.
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass

# Methods Python or Keras call for object protocol or construction: never a computation to trace.
NOT_COMPUTATIONS = frozenset({"__init__", "__new__", "__del__", "__enter__", "__exit__", "__repr__", "__str__",
                              "__eq__", "__hash__", "__getattr__", "__setattr__", "__len__", "__iter__", "__next__",
                              "build", "get_config", "from_config", "compute_output_shape"})

# Test files by the conventions of pytest, unittest and TensorFlow's own `*_test.py`.
_TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "*_tests.py", "tests.py", "conftest.py",
                       # test support: fakes and fixtures shared by tests (`ppo_learner_test_utils.py`)
                       "*_test_util.py", "*_test_utils.py", "testing_utils.py")
_TEST_DIRECTORIES = frozenset({"tests", "test"})


@dataclass(frozen=True)
class HybridizationPolicy:
    """How HYB3xx/HYB4xx suggestions are chosen.

    ``every_function``: the paper's per-function decisions (P1 for every function that meets it);
    otherwise only the boundary, the outermost function called eagerly and repeatedly.
    ``hybridize_tests``: also suggest in test code, which is run once per test and whose speed
    matters to nobody.
    ``min_tensor_ops``: the smallest benefit estimate worth a suggestion. A tf.function call costs
    about as much as five small eager operations (TF 2.21, 2-core CPU): below eight, a graph gains
    nothing measurable and may be slower.
    ``min_calls``: the fewest calls a loop must make for a graph to pay back its tracing (measured on
    the per-epoch evaluation helpers of the runtime benchmark: about ten calls break even).
    """

    every_function: bool = False
    hybridize_tests: bool = False
    min_tensor_ops: int = 8
    min_calls: int = 10

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def is_test_path(path: str) -> bool:
        """``path`` relative to the project root, with forward slashes. (Asked for every caller of every
        function the analyses weigh: cached, since the answer depends on the path alone.)"""
        parts = path.split("/")
        return any(fnmatch.fnmatchcase(parts[-1], pattern) for pattern in _TEST_FILE_PATTERNS) or any(
            part in _TEST_DIRECTORIES for part in parts[:-1])

    @staticmethod
    def is_test_function(qualname: str) -> bool:
        """Methods of ``*Test``/``*Tests``/``*TestCase`` classes (unittest, tf.test), wherever they are.

        Outside test files, neither a module-level ``test_step`` (the Keras name of an evaluation
        step) nor a ``TestTimeAugmentation`` class is a test: pytest collects ``test*`` functions
        and ``Test*`` classes only in test files.
        """
        return any(part.endswith(("Test", "Tests", "TestCase")) for part in qualname.split(".")[:-1])
