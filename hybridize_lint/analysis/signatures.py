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

from .dtypes import INDIRECT, UNKNOWN, array_dtype, array_rank, is_array, tensor_dtype_of
from .project import FunctionId
from .refs import NameRef, name_of
from .summary import FunctionSummary, Locality
from .tensors import TensorInference
from .values import LITERAL, TENSOR, is_param, param_atom


@dataclass(frozen=True)
class ArraySignature:
    """Per value parameter, the (dtype, rank) of its ``tf.TensorSpec``; or why no signature keeps eager behaviour."""

    specs: tuple[tuple[str, int], ...] = ()
    refused: str | None = None


def array_signature(tensors: TensorInference, function: FunctionId, info: FunctionSummary) -> ArraySignature | None:
    """None when no parameter receives NumPy arrays (nothing to decide)."""
    facts = tensors.of(function)
    params = info.receiverless_params()
    if not any(param in facts.arrays for param in params):
        return None
    if info.variadic or info.defaults:
        return ArraySignature(refused="it has defaults, `*args`, `**kwargs` or keyword-only parameters")
    specs = []
    for param in params:
        spec, refused = _parameter_spec(tensors, function, info, param)
        if refused:
            return ArraySignature(refused=refused)
        specs.append(spec)
    return ArraySignature(tuple(specs))


def conversion_hazard(tensors: TensorInference, function: FunctionId, info: FunctionSummary) -> str | None:
    """Why a bare ``@tf.function`` would change a function whose NumPy arguments meet tensors or literals.

    Eager code converts an array to the other operand's dtype at each operation, a graph takes it in
    its own dtype: only float32 arrays (TensorFlow's default) meet tensors safely, and NumPy promotes
    int and bool arrays combined with literals differently from TensorFlow.
    """
    facts = tensors.of(function)
    for param in info.receiverless_params():
        dtypes = {array_dtype(kind) for kind in facts.kinds.get(param, ()) if is_array(kind)}
        if not dtypes:
            continue
        described = "/".join(sorted(dtypes - {UNKNOWN}) or ["NumPy"])
        if dtypes - {"float32"} and _meets_tensors(tensors, function, info, param):
            return (f"parameter `{param}` receives {described} arrays that meet tensors: eager code converts them "
                    "to the tensors' dtype at each operation, a graph would take them in their own dtype")
        partners = info.operand_partners.get(param, [])
        if any(not d.startswith("float") for d in dtypes) and any(set(atoms) <= {LITERAL, INDIRECT}
                                                                 for atoms in partners):
            return (f"parameter `{param}` receives {described} arrays combined with Python literals, which NumPy "
                    "and TensorFlow promote differently")
    return None


def _parameter_spec(tensors: TensorInference, function: FunctionId, info: FunctionSummary,
                    param: str) -> tuple[tuple[str, int], str | None]:
    """The (dtype, rank) of ``param``'s spec, when every use of it is one whose eager conversion we know."""
    no_spec = ("", 0)
    kinds = tensors.of(function).kinds.get(param, set())
    arrays = {kind for kind in kinds if is_array(kind)}
    if not arrays or kinds - arrays:
        return no_spec, f"parameter `{param}` does not receive only NumPy arrays"
    dtypes, ranks = {array_dtype(a) for a in arrays}, {array_rank(a) for a in arrays}
    if len(dtypes) > 1 or UNKNOWN in dtypes:
        return no_spec, f"parameter `{param}` receives NumPy arrays of several or unknown dtypes"
    if len(ranks) > 1 or UNKNOWN in ranks:
        return no_spec, f"parameter `{param}` receives NumPy arrays of several or unknown ranks"
    attributes = info.param_attributes.get(param, [])
    sized = [a for a in attributes if a in _SIZE_ATTRIBUTES]
    if sized or _measured(info, param):
        what = f"`{param}.{sized[0]}`" if sized else f"`len({param})`"
        return no_spec, f"it reads {what}, which a signature for arrays of every shape leaves unknown in the graph"
    if attributes:
        return no_spec, f"it reads `{param}.{attributes[0]}`, which NumPy arrays have and tensors may not"
    [dtype], [rank] = dtypes, ranks
    loads = info.param_loads.get(param, 0)
    every_partner = info.operand_partners.get(param, [])
    partners = [atoms for atoms in every_partner if INDIRECT not in atoms]
    if any(_is_tensor(tensors, function, atoms) for atoms in every_partner if INDIRECT in atoms):
        return no_spec, (f"it uses `{param}` in ways a signature may not keep (an expression of it meets "
                         "tensors)")
    with_tensors = [atoms for atoms in partners if _is_tensor(tensors, function, atoms)]
    with_literals = [atoms for atoms in partners if set(atoms) <= {LITERAL}]
    as_arguments = _tensorflow_arguments(tensors, function, info, param)
    if with_tensors:
        if len(with_tensors) != loads:
            return no_spec, (f"parameter `{param}` receives {dtype} NumPy arrays that meet tensors, and is also "
                             "used otherwise: eager code converts it differently at each use")
        spelled = {d for atoms in with_tensors for d in map(tensor_dtype_of, atoms) if d is not None}
        if len(spelled) != 1 or any(all(tensor_dtype_of(a) is None for a in atoms) for atoms in with_tensors):
            return no_spec, f"parameter `{param}` receives {dtype} NumPy arrays that meet tensors of unknown dtype"
        [pinned] = spelled
        if not (pinned.startswith("float") and dtype.startswith("float")):
            return no_spec, f"parameter `{param}` receives {dtype} NumPy arrays that meet {pinned} tensors"
        return (pinned, int(rank)), None
    if with_literals and not dtype.startswith("float"):
        return no_spec, (f"parameter `{param}` receives {dtype} NumPy arrays combined with Python literals, "
                         "which NumPy and TensorFlow promote differently")
    if len(with_literals) + as_arguments != loads:
        return no_spec, (f"it uses `{param}` in ways a signature may not keep (only arithmetic with literals and "
                         "arguments of TensorFlow operations are followed)")
    return (dtype, int(rank)), None


_SIZE_ATTRIBUTES = frozenset({"shape", "ndim", "size"})


def _measured(info: FunctionSummary, param: str) -> bool:
    """``len(x)``: fine for an array, a TypeError for a tensor of unknown shape."""
    length, own = str(NameRef("builtins.len")), param_atom(param)
    return any(length in site.callees and any(own in atoms for atoms in site.arg_values) for site in info.calls)


def _tensorflow_arguments(tensors: TensorInference, function: FunctionId, info: FunctionSummary,
                          param: str) -> int:
    """How often ``param`` is, by itself, an argument of a TensorFlow operation given no tensor or array besides."""
    own, locality = [param_atom(param)], Locality.of_param(param)
    count = 0
    for site in info.calls:
        dotted = [name for name in map(name_of, site.callees) if name is not None]
        if not dotted or len(dotted) != len(site.callees) or \
                not all(tensors.kb.is_tensor_computation(name) for name in dotted):
            continue
        arguments = [*zip(site.args, site.arg_values),
                     *((site.keywords.get(name), atoms) for name, atoms in site.keyword_values.items())]
        mine = sum(atoms == own and where == locality for where, atoms in arguments)  # the name itself
        others = [atoms for where, atoms in arguments if not (atoms == own and where == locality)]
        if mine and not any(_is_tensor(tensors, function, atoms) or any(is_array(a) or is_param(a)
                                                                         for a in atoms) for atoms in others):
            count += mine
    return count


def _meets_tensors(tensors: TensorInference, function: FunctionId, info: FunctionSummary, param: str) -> bool:
    partners = info.operand_partners.get(param, [])
    return any(_is_tensor(tensors, function, atoms) for atoms in partners) or \
        _in_calls_with_tensors(tensors, function, info, param)


def _in_calls_with_tensors(tensors: TensorInference, function: FunctionId, info: FunctionSummary,
                           param: str) -> bool:
    """``tf.multiply(weight, x)``: the op converts ``x`` to the other input's dtype, as ``*`` does."""
    own = param_atom(param)
    for site in info.calls:
        arguments = [*site.arg_values, *site.keyword_values.values()]
        if any(own in atoms for atoms in arguments) and any(
                own not in atoms and _is_tensor(tensors, function, atoms) for atoms in arguments):
            return True
    return False


def _is_tensor(tensors: TensorInference, function: FunctionId, atoms: list[str]) -> bool:
    return TENSOR in tensors.kinds({atom for atom in atoms if tensor_dtype_of(atom) is None} - {INDIRECT},
                                   function)
