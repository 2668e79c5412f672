"""What a traced function received, in words, and what changed from one trace to the next.

TensorFlow keys its trace cache on the Python values, tensor dtypes and shapes, container structures and
object identities of the arguments; these descriptions keep exactly that and nothing else, so two equal
descriptions mean "the same cache key as far as this argument goes".
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

MAX_ITEMS = 8
MAX_REPR = 60


@dataclass(frozen=True)
class Described:
    text: str  # "Python int 3", "float32 tensor of shape (2, 3)", "list of 2 [...]", "Model object 0x7f..."
    category: str  # python-value, tensor, container, object


def describe(value, depth: int = 0) -> Described:
    if isinstance(value, bool) or value is None:
        return Described(f"Python {type(value).__name__} {value!r}", "python-value")
    if isinstance(value, (int, float, complex, str, bytes)):
        text = repr(value)
        if len(text) > MAX_REPR:
            text = text[:MAX_REPR - 1] + "…"
        return Described(f"Python {type(value).__name__} {text}", "python-value")
    dtype, shape = getattr(value, "dtype", None), getattr(value, "shape", None)
    if dtype is not None and shape is not None and type(value).__module__.startswith(("tensorflow", "keras")):
        name = getattr(dtype, "name", str(dtype))
        dims = getattr(shape, "as_list", None)
        try:
            shape_text = str(tuple(dims())) if dims is not None and shape.rank is not None else "(unknown)"
        except (ValueError, TypeError):
            shape_text = "(unknown)"
        return Described(f"{name} tensor of shape {shape_text.replace(',)', ')')}", "tensor")
    if isinstance(value, (list, tuple, dict)) and depth < 2:
        items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        inner = [(f"{key!r}: " if isinstance(value, dict) else "") + describe(item, depth + 1).text
                 for key, item in items[:MAX_ITEMS]]
        more = ", …" if len(items) > MAX_ITEMS else ""
        return Described(f"{type(value).__name__} of {len(items)} [{', '.join(inner)}{more}]", "container")
    return Described(f"{type(value).__qualname__} object {id(value):#x}", "object")


def change_kind(before: Described, after: Described) -> str:
    """How an argument changed, in TensorFlow's terms: the part of the cache key that differs."""
    if before.category != after.category:
        return "type"
    if before.category == "python-value":
        return "python-value" if before.text.split()[1] == after.text.split()[1] else "type"
    if before.category == "tensor":
        return "dtype" if before.text.split()[0] != after.text.split()[0] else "shape"
    if before.category == "container":
        return "structure"
    return "object-identity"


def bind(function, args: tuple, kwargs: dict) -> dict[str, object]:
    """The arguments by parameter name (``*args`` items as ``args[0]``…); positional indexes if unbindable."""
    try:
        bound = inspect.signature(function).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        named = {f"args[{index}]": value for index, value in enumerate(args)}
        named.update(kwargs)
        return named
    named: dict[str, object] = {}
    for name, value in bound.arguments.items():
        kind = bound.signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            named.update({f"{name}[{index}]": item for index, item in enumerate(value)})
        elif kind is inspect.Parameter.VAR_KEYWORD:
            named.update(value)
        else:
            named[name] = value
    return named
