"""A function handed to a dataclass constructor is stored, not called (jax's ``Exported(..., _get_vjp=helper)``,
run only when a VJP is asked for, made a spurious HYB110 chain): the generated ``__init__`` only assigns
fields. A class whose own ``__init__`` may call what it is given is still followed."""

from __future__ import annotations

import pytest

from project_helpers import lint

STORED = """
import dataclasses
from dataclasses import dataclass
from typing import Callable

import tensorflow as tf

LOG = []


DECORATOR
class Exported:
    name: str
    get_vjp: Callable


def export(x):
    def get_vjp():
        LOG.append(x)
        return x
    return Exported("f", get_vjp=get_vjp)


@tf.function
def convert(x):
    export(x)
    return x * 2.0
"""


@pytest.mark.parametrize("decorator", ["@dataclass", "@dataclasses.dataclass(frozen=True)"])
def test_a_function_kept_in_a_dataclass_field_is_not_called(tmp_path, decorator):
    assert lint(tmp_path, {"m.py": STORED.replace("DECORATOR", decorator)}) == set()


def test_a_class_whose_init_calls_what_it_gets_is_followed(tmp_path):
    calling = STORED.replace("DECORATOR\nclass Exported:\n    name: str\n    get_vjp: Callable\n",
                             "class Exported:\n    def __init__(self, name, get_vjp):\n"
                             "        self.vjp = get_vjp()\n")
    assert lint(tmp_path, {"m.py": calling}) == {("m.py", 24, "HYB110")}


def test_a_dataclass_with_a_post_init_is_followed(tmp_path):
    post = STORED.replace("DECORATOR", "@dataclass").replace(
        "    get_vjp: Callable\n", "    get_vjp: Callable\n\n    def __post_init__(self):\n        self.get_vjp()\n")
    assert lint(tmp_path, {"m.py": post}) == {("m.py", 28, "HYB110")}
