"""An ``input_signature`` that lets an eager function taking NumPy arrays run as a graph unchanged.

Under ``tf.function`` a NumPy argument becomes a tensor of the array's own dtype, where eager
TensorFlow converts it at each operation — to the other operand's dtype in ``weight * array``. So a
bare ``@tf.function`` can turn working code into a dtype error (a float64 array meets a float32
weight). A signature keeps eager behaviour when every parameter receives arrays of one dtype and

- never meets a tensor in arithmetic or in a call: the signature keeps the array's dtype; or
- is read only as an operand of arithmetic with tensors of one spelled-out float dtype
  (``W = tf.Variable(0.5)``): the signature converts to that dtype once, at the boundary, giving
  the values the eager operations computed.

Anything else (a method or attribute only arrays have, several dtypes, a tensor of unknown dtype)
gets no signature, and the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dtypes import TENSOR_DTYPE, UNKNOWN, array_atom, array_dtype, is_array
from .project import FunctionId, value_parameters
from .summary import FunctionSummary
from .tensors import TensorInference
from .values import TENSOR


@dataclass(frozen=True)
class ArraySignature:
    """Per value parameter, the dtype of its ``tf.TensorSpec``; or why no signature keeps eager behaviour."""

    dtypes: tuple[str, ...] = ()
    refused: str | None = None


def array_signature(tensors: TensorInference, function: FunctionId, info: FunctionSummary) -> ArraySignature | None:
    """None when no parameter receives NumPy arrays (nothing to decide)."""
    facts = tensors.of(function)
    params = signature_parameters(info)
    if not any(param in facts.arrays for param in params):
        return None
    if info.variadic or info.defaults:
        return ArraySignature(refused="it has defaults, `*args`, `**kwargs` or keyword-only parameters")
    dtypes = []
    for param in params:
        dtype, refused = _parameter_dtype(tensors, function, info, param)
        if refused:
            return ArraySignature(refused=refused)
        dtypes.append(dtype)
    return ArraySignature(tuple(dtypes))


def conversion_hazard(tensors: TensorInference, function: FunctionId, info: FunctionSummary) -> str | None:
    """Why a bare ``@tf.function`` would break a function whose float64 NumPy arguments meet tensors.

    NumPy's default float64 meeting TensorFlow's default float32 is the trap; arrays of other dtypes
    meeting tensors are left alone (float32 arrays match TensorFlow's default).
    """
    facts = tensors.of(function)
    for param in signature_parameters(info):
        float64 = array_atom("float64") in facts.kinds.get(param, ())
        if float64 and _meets_tensors(tensors, function, info, param):
            return (f"parameter `{param}` receives float64 NumPy arrays and meets tensors: eager code converts "
                    "them to the tensors' dtype at each operation, a graph would take float64 tensors")
    return None


def signature_parameters(info: FunctionSummary) -> list[str]:
    """The parameters an ``input_signature`` describes: all but a method's ``self``/``cls``."""
    bound = info.class_name is not None and info.method_kind != "static"
    return value_parameters(info, "bound" if bound else "plain")


def _parameter_dtype(tensors: TensorInference, function: FunctionId, info: FunctionSummary,
                     param: str) -> tuple[str, str | None]:
    kinds = tensors.of(function).kinds.get(param, set())
    arrays = {array_dtype(kind) for kind in kinds if is_array(kind)}
    if not arrays or kinds - {kind for kind in kinds if is_array(kind)}:
        return "", f"parameter `{param}` does not receive only NumPy arrays"
    if len(arrays) > 1 or UNKNOWN in arrays:
        return "", f"parameter `{param}` receives NumPy arrays of several or unknown dtypes"
    attributes = info.param_attributes.get(param, [])
    sized = [a for a in attributes if a in _SIZE_ATTRIBUTES]
    if sized or _measured(info, param):
        what = f"`{param}.{sized[0]}`" if sized else f"`len({param})`"
        return "", f"it reads {what}, which a signature for arrays of every shape leaves unknown in the graph"
    if attributes:
        return "", f"it reads `{param}.{attributes[0]}`, which NumPy arrays have and tensors may not"
    [dtype] = arrays
    if not _meets_tensors(tensors, function, info, param):
        return dtype, None
    partners = info.operand_partners.get(param, [])
    if _in_calls_with_tensors(tensors, function, info, param) or len(partners) != info.param_loads.get(param):
        return "", (f"parameter `{param}` receives {dtype} NumPy arrays that meet tensors other than as "
                    "operands of arithmetic: eager code converts them at each operation")
    spelled = {atom[len(TENSOR_DTYPE):] for atoms in partners for atom in atoms if atom.startswith(TENSOR_DTYPE)}
    if len(spelled) != 1 or any(not any(a.startswith(TENSOR_DTYPE) for a in atoms) for atoms in partners
                                if _is_tensor(tensors, function, atoms)):
        return "", f"parameter `{param}` receives {dtype} NumPy arrays that meet tensors of unknown dtype"
    [pinned] = spelled
    if not (pinned.startswith("float") and dtype.startswith("float")):
        return "", f"parameter `{param}` receives {dtype} NumPy arrays that meet {pinned} tensors"
    return pinned, None


_SIZE_ATTRIBUTES = frozenset({"shape", "ndim", "size"})


def _measured(info: FunctionSummary, param: str) -> bool:
    """``len(x)``: fine for an array, a TypeError for a tensor of unknown shape."""
    return any("name:builtins.len" in site.callees and any(f"p:{param}" in atoms for atoms in site.arg_values)
               for site in info.calls)


def _meets_tensors(tensors: TensorInference, function: FunctionId, info: FunctionSummary, param: str) -> bool:
    partners = info.operand_partners.get(param, [])
    return any(_is_tensor(tensors, function, atoms) for atoms in partners) or \
        _in_calls_with_tensors(tensors, function, info, param)


def _in_calls_with_tensors(tensors: TensorInference, function: FunctionId, info: FunctionSummary,
                           param: str) -> bool:
    """``tf.multiply(weight, x)``: the op converts ``x`` to the other input's dtype, as ``*`` does."""
    own = f"p:{param}"
    for site in info.calls:
        arguments = [*site.arg_values, *site.keyword_values.values()]
        if any(own in atoms for atoms in arguments) and any(
                own not in atoms and _is_tensor(tensors, function, atoms) for atoms in arguments):
            return True
    return False


def _is_tensor(tensors: TensorInference, function: FunctionId, atoms: list[str]) -> bool:
    return TENSOR in tensors.kinds({atom for atom in atoms if not atom.startswith(TENSOR_DTYPE)}, function)
