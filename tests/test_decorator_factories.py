"""Decorators usable with and without parentheses (issue 12, "a decorator's registration side effect is
blamed on calls of the decorated function").

``def delegate(target=None): ... if target is None: return decorator; return decorator(target)``:
applied bare (``@delegate``), it calls its inner ``decorator`` once, at import, and puts the wrapper
``decorator`` returns in place of the function. Calls of the decorated function run that wrapper, not
``decorator`` (whose registry write happened at import).
"""

from __future__ import annotations

from project_helpers import lint

DISPATCHED = """
import functools
import tensorflow as tf

_REGISTRY = {}
_CALLS = []


class Dispatcher:
    def __init__(self, op):
        _REGISTRY[op.__name__] = op
        self._op = op

    def __call__(self, *args):
        return self._op(*args)


def delegate(target=None):
    def decorator(target=None):
        impl = Dispatcher(target)

        @functools.wraps(target)
        def fn(*args):
            WRAPPER_BODY
            return impl(*args)

        return fn

    if target is None:
        return decorator
    return decorator(target)


@DECORATION
def double(x):
    return x * 2


@tf.function
def f(x):
    return double(x)


f(tf.constant(1.0))
"""

EFFECTS = 'select = ["HYB1"]\n'


def _program(decoration: str, wrapper_body: str = "pass") -> dict[str, str]:
    return {"ops.py": DISPATCHED.replace("DECORATION", decoration).replace("WRAPPER_BODY", wrapper_body)}


def test_a_bare_dual_use_decorator_runs_its_inner_decorator_once_at_import(tmp_path):
    assert lint(tmp_path, _program("delegate"), EFFECTS) == set()


def test_the_same_decorator_with_parentheses_is_not_blamed_either(tmp_path):
    assert lint(tmp_path, _program("delegate()"), EFFECTS) == set()


def test_the_wrapper_it_puts_in_place_still_runs_on_every_call(tmp_path):
    # The wrapper's own side effect runs once per trace of `f`: still reported.
    found = lint(tmp_path, _program("delegate", "_CALLS.append(1)"), EFFECTS)
    assert found == {("ops.py", 40, "HYB110")}


def test_a_plain_decorator_returning_its_wrapper_is_still_followed(tmp_path):
    program = DISPATCHED.replace("DECORATION", "registered").replace("WRAPPER_BODY", "pass").replace(
        "\n@registered", """
def registered(target):
    @functools.wraps(target)
    def wrapper(*args):
        _CALLS.append(target.__name__)
        return target(*args)

    return wrapper


@registered""")
    assert lint(tmp_path, {"ops.py": program}, EFFECTS) == {("ops.py", 49, "HYB110")}
