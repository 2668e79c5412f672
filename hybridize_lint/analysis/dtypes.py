"""Dtypes of NumPy arrays and tensors, as far as the source spells them out.

Under ``tf.function`` a NumPy array argument becomes a tensor of the array's own dtype, where eager
TensorFlow converts it at each operation (``weight * array`` converts the array to the weight's
dtype). HYB301 proposes a function taking arrays only with an ``input_signature`` that keeps the
eager conversion, so it needs the arrays' dtypes and, where an array meets a tensor, the tensor's.
The API facts live in ``rules/api/numpy.toml``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .resolver import Resolver, Scope

ARRAY = "N:"  # abstract-value atom: a NumPy array, "N:DTYPE:RANK" ("?" for what is unknown)
TENSOR_DTYPE = "D:"  # with a tensor among a parameter's operand partners: that tensor's dtype
INDIRECT = "I"  # among a parameter's operand partners: the parameter is inside the other operand
UNKNOWN = "?"
_FROM_VALUES = "from-values"
_FROM_ARGUMENTS = "from-arguments"


def array_atom(dtype: str | None, rank: int | str | None = None) -> str:
    return f"{ARRAY}{dtype or UNKNOWN}:{UNKNOWN if rank is None else rank}"


def tensor_dtype_atom(dtype: str) -> str:
    return TENSOR_DTYPE + dtype


def tensor_dtype_of(atom: str) -> str | None:
    """The dtype a ``D:`` operand-partner atom names, else None."""
    return atom[len(TENSOR_DTYPE):] if atom.startswith(TENSOR_DTYPE) else None


def is_array(atom: str) -> bool:
    return atom.startswith(ARRAY)


def array_dtype(atom: str) -> str:
    return atom[len(ARRAY):].partition(":")[0]


def array_rank(atom: str) -> str:
    return atom[len(ARRAY):].partition(":")[2] or UNKNOWN


def combined_arrays(atoms: set[str], with_literal: bool) -> set[str]:
    """The array atoms of ``a OP b``: the broadcast rank, and one dtype when NumPy keeps it.

    Two dtypes, or an int or bool array with a literal (``ints * 0.5`` is float64, ``mask + 1``
    int64), give an unknown dtype.
    """
    arrays = {atom for atom in atoms if is_array(atom)}
    if not arrays:
        return arrays
    dtypes = {array_dtype(a) for a in arrays}
    ranks = {array_rank(a) for a in arrays}
    rank = UNKNOWN if UNKNOWN in ranks else max(ranks, key=int)
    if len(dtypes) > 1 or (with_literal and not next(iter(dtypes)).startswith("float")):
        return {array_atom(UNKNOWN, rank)}
    return {array_atom(next(iter(dtypes)), rank)}


def numpy_array(builder: "Resolver", call: ast.Call, dotted: str | None, scope: "Scope",
                receiver_ranks: set[str] = frozenset()) -> str | None:
    """The array atom for a call that makes a NumPy array (``np.ones(3)``, ``x.astype(np.float32)``)."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "astype" and call.args:
        rank = next(iter(receiver_ranks)) if len(receiver_ranks) == 1 else None
        return array_atom(dtype_named(builder, call.args[0], scope), rank)
    spec = builder.kb.array_constructors.get(dotted or "")
    if spec is None:
        return None
    shape = _argument(call, spec.get("shape_at"), "size")
    if spec.get("optional") and shape is None:
        return None  # `np.random.randn()` is a Python float
    explicit = _argument(call, spec.get("dtype_at"), "dtype")
    if explicit is not None:
        dtype = dtype_named(builder, explicit, scope)
    elif spec["dtype"] == _FROM_VALUES:
        dtype = _dtype_of_elements(call.args[0]) if call.args else None
    elif spec["dtype"] == _FROM_ARGUMENTS:  # np.arange(3) is int64, np.arange(0, 1.5) float64
        positional = call.args[:spec.get("dtype_at", len(call.args))]
        dtype = _dtype_of_elements(ast.Tuple(elts=positional)) if positional else None
    else:
        dtype = spec["dtype"]
    return array_atom(dtype, _rank(spec["rank"], call, shape))


def _rank(rule: int | str, call: ast.Call, shape: ast.expr | None) -> int | None:
    if isinstance(rule, int):
        return rule
    if rule == "dims":
        return len(call.args) if not call.keywords and not any(isinstance(a, ast.Starred) for a in call.args) else None
    if rule == "shape" and shape is not None:
        if isinstance(shape, ast.Constant) and isinstance(shape.value, int):
            return 1
        if isinstance(shape, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in shape.elts):
            return len(shape.elts)
    if rule == "values" and call.args:
        return _nesting(call.args[0])
    return None


def _nesting(value: ast.expr) -> int | None:
    """The rank of a rectangular literal: ``[[1, 2], [3, 4]]`` is 2; ragged or computed is unknown."""
    if not isinstance(value, (ast.List, ast.Tuple)):
        return 0 if isinstance(value, (ast.Constant, ast.UnaryOp)) else None
    inner = {_nesting(element) for element in value.elts}
    if len(inner) > 1 or None in inner:
        return None
    return 1 + (inner.pop() if inner else 0)


def tensor_dtype(builder: "Resolver", expr: ast.expr, scope: "Scope") -> str | None:
    """The dtype of the tensor ``expr`` makes (``tf.Variable(0.5)``: float32), or None when not spelled out."""
    if not isinstance(expr, ast.Call):
        return None
    kb = builder.kb
    dotted = builder.dotted(expr.func, scope) or ""
    spec = kb.tensor_from_value.get(dotted, kb.tensor_float32_by_default.get(dotted))
    if spec is None:
        return None
    explicit = _argument(expr, spec.get("dtype_at"), "dtype")
    if explicit is not None:
        return dtype_named(builder, explicit, scope, for_tensor=True)
    if dotted in kb.tensor_float32_by_default:
        return "float32"
    initial = expr.args[0] if expr.args else _keyword(expr, "initial_value") or _keyword(expr, "value")
    return _initial_value_dtype(builder, initial, scope) if initial is not None else None


def dtype_named(builder: "Resolver", expr: ast.expr, scope: "Scope", for_tensor: bool = False) -> str | None:
    """``np.float32``, ``tf.float32``, ``"float32"`` or ``float`` as a dtype name.

    A Python type means something else to TensorFlow (``float`` is float32) than to NumPy (float64).
    """
    names = builder.kb.dtype_names
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value if expr.value in names.values() else None
    if isinstance(expr, (ast.Name, ast.Attribute)):
        dotted = builder.dotted(expr, scope) or ""
        if dotted.startswith("builtins."):
            return (builder.kb.tensor_python_types if for_tensor else names).get(dotted)
        return names.get(dotted)
    return None


def _initial_value_dtype(builder: "Resolver", value: ast.expr, scope: "Scope") -> str | None:
    """What TensorFlow makes of an initial value: Python floats are float32, NumPy arrays keep theirs."""
    python = _dtype_of_elements(value)
    if python is not None:
        return {"float64": "float32", "int64": "int32"}.get(python, python)
    if isinstance(value, ast.Call):
        dotted = builder.dotted(value.func, scope)
        array = numpy_array(builder, value, dotted, scope)
        if array is not None:
            dtype = array_dtype(array)
            return None if dtype == UNKNOWN else dtype
        if builder.kb.array_constructors.get(dotted or "", {}).get("optional"):
            return "float32"  # `np.random.randn()` without a shape: a Python float
        return tensor_dtype(builder, value, scope)
    return None


def _dtype_of_elements(value: ast.expr) -> str | None:
    """int64, float64 or bool for a literal number or (nested) list/tuple of them, as NumPy infers it."""
    kinds: set[type] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.List, ast.Tuple)):
            stack.extend(node.elts)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            stack.append(node.operand)
        elif isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
            kinds.add(type(node.value))
        else:
            return None
    if not kinds:
        return None
    if float in kinds:
        return "float64"
    return "bool" if kinds == {bool} else "int64"


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    value = next((k.value for k in call.keywords if k.arg == name), None)
    return None if isinstance(value, ast.Constant) and value.value is None else value


def _argument(call: ast.Call, index: int | None, keyword: str) -> ast.expr | None:
    """The argument at ``index`` or given as ``keyword`` (a literal None counts as absent)."""
    if index is not None and len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args):
        value = call.args[index]
        return None if isinstance(value, ast.Constant) and value.value is None else value
    return _keyword(call, keyword)
