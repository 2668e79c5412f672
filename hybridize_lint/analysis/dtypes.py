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
    from .local import _ModuleBuilder, _Scope

ARRAY = "N:"  # abstract-value atom: a NumPy array of the dtype that follows ("?" when unknown)
TENSOR_DTYPE = "D:"  # with a tensor among a parameter's operand partners: that tensor's dtype
UNKNOWN = "?"
_FROM_VALUES = "from-values"
_FROM_ARGUMENTS = "from-arguments"


def array_atom(dtype: str | None) -> str:
    return ARRAY + (dtype or UNKNOWN)


def tensor_dtype_atom(dtype: str) -> str:
    return TENSOR_DTYPE + dtype


def is_array(atom: str) -> bool:
    return atom.startswith(ARRAY)


def array_dtype(atom: str) -> str:
    return atom[len(ARRAY):]


def combined_arrays(atoms: set[str], with_literal: bool) -> set[str]:
    """The array atoms of ``a OP b``: one dtype survives; two, or ints with a literal (``ints * 0.5``), are unknown."""
    arrays = {atom for atom in atoms if is_array(atom)}
    if len(arrays) > 1 or (with_literal and any(array_dtype(a).startswith(("int", "uint")) for a in arrays)):
        return {array_atom(UNKNOWN)}
    return arrays


def numpy_array(builder: "_ModuleBuilder", call: ast.Call, dotted: str | None, scope: "_Scope") -> str | None:
    """The array atom for a call that makes a NumPy array (``np.ones(3)``, ``x.astype(np.float32)``)."""
    kb = builder.kb
    if isinstance(call.func, ast.Attribute) and call.func.attr == "astype" and call.args:
        return array_atom(dtype_named(builder, call.args[0], scope))
    default = kb.array_constructors.get(dotted or "")
    if default is None:
        return None
    shape_index = kb.array_shape_argument.get(dotted or "")
    if shape_index is not None and len(call.args) <= shape_index and not _keyword(call, "size"):
        return None  # `np.random.randn()` is a Python float
    explicit = _keyword(call, "dtype")
    if explicit is not None:
        return array_atom(dtype_named(builder, explicit, scope))
    if default == _FROM_VALUES:
        return array_atom(_dtype_of_elements(call.args[0]) if call.args else None)
    if default == _FROM_ARGUMENTS:  # np.arange(3) is int64, np.arange(0, 1.5) float64
        return array_atom(_dtype_of_elements(ast.Tuple(elts=call.args)) if call.args else None)
    return array_atom(default)


def tensor_dtype(builder: "_ModuleBuilder", expr: ast.expr, scope: "_Scope") -> str | None:
    """The dtype of the tensor ``expr`` makes (``tf.Variable(0.5)``: float32), or None when not spelled out."""
    if not isinstance(expr, ast.Call):
        return None
    kb = builder.kb
    dotted = builder._dotted(expr.func, scope)
    explicit = _keyword(expr, "dtype")
    if dotted in kb.tensor_from_value or dotted in kb.tensor_float32_by_default:
        if explicit is not None:
            return dtype_named(builder, explicit, scope)
        if dotted in kb.tensor_float32_by_default:
            return "float32"
        initial = expr.args[0] if expr.args else _keyword(expr, "initial_value") or _keyword(expr, "value")
        return _initial_value_dtype(builder, initial, scope) if initial is not None else None
    return None


def dtype_named(builder: "_ModuleBuilder", expr: ast.expr, scope: "_Scope") -> str | None:
    """``np.float32``, ``tf.float32``, ``"float32"`` or ``float`` as a dtype name."""
    names = builder.kb.dtype_names
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value if expr.value in names.values() else None
    if isinstance(expr, (ast.Name, ast.Attribute)):
        return names.get(builder._dotted(expr, scope) or "")
    return None


def _initial_value_dtype(builder: "_ModuleBuilder", value: ast.expr, scope: "_Scope") -> str | None:
    """What TensorFlow makes of an initial value: Python floats are float32, NumPy arrays keep theirs."""
    python = _dtype_of_elements(value)
    if python is not None:
        return {"float64": "float32", "int64": "int32"}.get(python, python)
    if isinstance(value, ast.Call):
        dotted = builder._dotted(value.func, scope)
        array = numpy_array(builder, value, dotted, scope)
        if array is not None:
            dtype = array_dtype(array)
            return None if dtype == UNKNOWN else dtype
        if dotted in builder.kb.array_shape_argument:
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
    return next((k.value for k in call.keywords if k.arg == name), None)
