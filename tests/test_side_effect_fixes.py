"""The graph-safe rewrites of issue 17, as (input, expected) pairs and explicit no-op cases.

The rule examples (``rules/*.toml``) show each fix once; these pin the argument mappings one by one.
"""

from __future__ import annotations

import textwrap

import pytest

from rule_examples import fix

HEADER = "import random\nimport time\n\nimport numpy as np\nimport tensorflow as tf\n\n\n@tf.function\ndef f(x):\n"


def _fixed(tmp_path, body: str) -> str:
    (tmp_path / "pyproject.toml").write_text("[tool.hybridize-lint]\n", encoding="utf-8")
    target = tmp_path / "m.py"
    target.write_text(HEADER + textwrap.indent(body, "    ") + "    return x\n", encoding="utf-8")
    fix(tmp_path)
    text = target.read_text(encoding="utf-8")
    return text[len(HEADER):-len("    return x\n")].strip() if text.startswith(HEADER) else "<dehybridized>"


@pytest.mark.parametrize(("before", "after"), [
    ("y = np.random.normal()", "y = tf.random.normal([])"),
    ("y = np.random.normal(1.0, 2.0, size=3)", "y = tf.random.normal([3], 1.0, 2.0)"),
    ("y = np.random.normal(scale=2.0, size=(2, 2))", "y = tf.random.normal((2, 2), 0.0, 2.0)"),
    ("y = np.random.normal(size=x.shape)", "y = tf.random.normal(tf.shape(x))"),
    ("y = np.random.uniform(-1, 1, [4])", "y = tf.random.uniform([4], -1, 1)"),
    ("y = np.random.rand(2, 3)", "y = tf.random.uniform([2, 3])"),
    ("y = np.random.randn(5)", "y = tf.random.normal([5])"),
    ("y = np.random.random((2,))", "y = tf.random.uniform((2,))"),
    ("y = np.random.randint(10)", "y = tf.random.uniform([], 0, 10, dtype=tf.int32)"),
    ("y = np.random.randint(1, 7, size=2)", "y = tf.random.uniform([2], 1, 7, dtype=tf.int32)"),
    ("y = random.random()", "y = tf.random.uniform([])"),
    ("y = random.uniform(2.0, 3.0)", "y = tf.random.uniform([], 2.0, 3.0)"),
    ("y = random.randint(0, 9)", "y = tf.random.uniform([], 0, 9 + 1, dtype=tf.int32)"),
    ("y = random.gauss(0.0, 0.5)", "y = tf.random.normal([], 0.0, 0.5)"),
    ("t = time.time()", "t = tf.timestamp()"),
    ("t = time.perf_counter()", "t = tf.timestamp()"),
])
def test_randomness_and_clocks(tmp_path, before, after):
    assert _fixed(tmp_path, before + "\n") == after


@pytest.mark.parametrize("body", [
    "y = np.random.normal(size=n)\n",           # an int or a tuple: TensorFlow takes them differently
    "y = np.random.normal(0, 1, 3, *rest)\n",
    "y = np.random.choice([1, 2])\n",           # no one-to-one op
    "t = time.time(*args)\n",
])
def test_no_rewrite_dehybridizes(tmp_path, body):
    assert _fixed(tmp_path, "n, rest, args = 3, (), ()\n" + body) == "<dehybridized>"


def test_numpy_value_used_in_python_keeps_numpy(tmp_path):
    body = "peak = tf.reduce_max(x).numpy()\nx = x / peak.max()\n"
    assert _fixed(tmp_path, body) == "<dehybridized>"
