"""Abstract values of expressions, for tensor and literal inference.

An expression's value is a set of *atoms*, resolved against the whole project
later (a module cannot know what another module's functions return):

- ``T``         a tensor (TensorFlow op, Keras layer call, tf.data element…)
- ``L``         a Python scalar literal (int, float, str; bools are harmless)
- ``S``         a tensor whose shape varies between calls (batches padded to their longest element)
- ``C``         a Python container (list, tuple, dict display) of the other atoms
- ``A``         the result of arithmetic: a tensor if any operand is one (never also a literal)
- ``K``         a symbolic stand-in for tensors: a Keras ``Input`` or a ``tf.TensorSpec`` (no values)
- ``k:ATOM``    ``K`` if ATOM is: what a call (a Keras layer, say) returns on arguments that may be symbolic
- ``N:DTYPE:RANK`` a NumPy array of that dtype and rank (``?`` when unknown), see :mod:`.dtypes`
- ``p:NAME``    whatever the enclosing function's parameter NAME receives
- ``r:REF``     what calling REF returns (see :mod:`.refs` for references)
- ``O``         what calling an object the summary cannot name returns (``self._fn(x)`` for a function
                kept in an attribute): anything, a tensor included
- ``n:DOTTED``  the value of a module-level variable of another module
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .dtypes import array_atom, array_dtype, array_rank, combined_arrays, is_array, numpy_array

if TYPE_CHECKING:  # pragma: no cover
    from .resolver import Resolver, Scope

TENSOR, LITERAL, VARYING_SHAPE, CONTAINER, ARITHMETIC, SYMBOLIC = "T", "L", "S", "C", "A", "K"
OPAQUE = "O"  # the result of calling something unnamed: may be anything
RANGE = "R"  # beside LITERAL: an int counted by `range()` (messages name it so)
Value = frozenset[str]
NOTHING: Value = frozenset()

# The atoms with a payload. Only this module (and :mod:`.dtypes`, for ``N:``) spells or parses them.
_PARAM, _CALL, _GLOBAL, _SYMBOLIC_OF = "p:", "r:", "n:", "k:"
_KERAS_METHOD, _MADE_OBJECT = "keras-method:", "object:"  # blocker atoms: conditions (see ``Blocker.atoms``)


def param_atom(name: str) -> str:
    """What parameter NAME receives."""
    return _PARAM + name


def call_atom(ref: str) -> str:
    """What calling the reference REF returns."""
    return _CALL + ref


def global_atom(dotted: str) -> str:
    """The value of the module-level variable DOTTED of another module."""
    return _GLOBAL + dotted


def symbolic_atom(atom: str) -> str:
    """``K`` if ATOM is."""
    return _SYMBOLIC_OF + atom


def _payload(atom: str, prefix: str) -> str | None:
    return atom[len(prefix):] if atom.startswith(prefix) else None


def param_of(atom: str) -> str | None:
    """The parameter a ``p:`` atom names, else None."""
    return _payload(atom, _PARAM)


def call_result_of(atom: str) -> str | None:
    """The reference whose call result an ``r:`` atom is, else None."""
    return _payload(atom, _CALL)


def global_of(atom: str) -> str | None:
    """The dotted name of the variable an ``n:`` atom is, else None."""
    return _payload(atom, _GLOBAL)


def symbolic_of(atom: str) -> str | None:
    """The atom a ``k:`` atom is symbolic if, else None."""
    return _payload(atom, _SYMBOLIC_OF)


def is_param(atom: str) -> bool:
    return atom.startswith(_PARAM)


def is_call_result(atom: str) -> bool:
    return atom.startswith(_CALL)


def is_conditional_symbolic(atom: str) -> bool:
    return atom.startswith(_SYMBOLIC_OF)


def is_indirect(atom: str) -> bool:
    """A parameter, a call result or another module's variable: decided by the project, not here."""
    return atom.startswith((_PARAM, _CALL, _GLOBAL))


def keras_method_atom(method: str) -> str:
    """Blocker condition: the receiver is a Keras layer or model whose METHOD is called."""
    return _KERAS_METHOD + method


def keras_method_of(atom: str) -> str | None:
    return _payload(atom, _KERAS_METHOD)


def made_object_atom(ref: str) -> str:
    """Blocker condition: the object made by calling REF."""
    return _MADE_OBJECT + ref


def made_object_of(atom: str) -> str | None:
    return _payload(atom, _MADE_OBJECT)


def is_condition_atom(atom: str) -> bool:
    """A blocker atom that is a condition on the blocker, not a value."""
    return atom.startswith((_KERAS_METHOD, _MADE_OBJECT))


def value_of(builder: "Resolver", expr: ast.expr | None, scope: "Scope") -> Value:
    kb = builder.kb
    if expr is None:
        return NOTHING
    if isinstance(expr, ast.Constant):
        return frozenset({LITERAL}) if _is_scalar(expr.value) else NOTHING
    if isinstance(expr, ast.UnaryOp):
        return NOTHING if isinstance(expr.op, ast.Not) else value_of(builder, expr.operand, scope)
    if isinstance(expr, ast.Name):
        return _name_value(builder, expr.id, scope)
    if isinstance(expr, ast.BinOp):
        if _is_string(expr.left) or _is_string(expr.right):
            return frozenset({LITERAL})  # `name + "/image"`, `"%d" % n`: building a Python str
        return _combine(value_of(builder, expr.left, scope), value_of(builder, expr.right, scope))
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        return frozenset({CONTAINER}).union(*(value_of(builder, element, scope) for element in expr.elts))
    if isinstance(expr, ast.Dict):
        return frozenset({CONTAINER}).union(*(value_of(builder, value, scope) for value in expr.values))
    if isinstance(expr, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return frozenset({CONTAINER}) | value_of(builder, expr.elt, scope)
    if isinstance(expr, ast.DictComp):
        return frozenset({CONTAINER}) | value_of(builder, expr.value, scope)
    if isinstance(expr, ast.IfExp):
        return value_of(builder, expr.body, scope) | value_of(builder, expr.orelse, scope)
    if isinstance(expr, ast.Starred):
        return value_of(builder, expr.value, scope)
    if isinstance(expr, ast.Subscript):  # a slice of an array keeps its rank; an element's is not known here
        slices = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        keeps_rank = all(isinstance(part, ast.Slice) for part in slices)
        return frozenset((a if keeps_rank else array_atom(array_dtype(a))) if is_array(a) else a
                         for a in value_of(builder, expr.value, scope) - {VARYING_SHAPE, CONTAINER})
    if isinstance(expr, ast.Attribute):
        if expr.attr in kb.non_tensor_attributes:
            return NOTHING
        return _tensor_part(value_of(builder, expr.value, scope)) if expr.attr == "T" else NOTHING
    if isinstance(expr, ast.Call):
        return _call_value(builder, expr, scope)
    if isinstance(expr, ast.Compare) and not any(isinstance(op, _PYTHON_TESTS) for op in expr.ops):
        # `total > 0` on a tensor is a boolean tensor (AutoGraph makes `if` on it a graph `cond`)
        operands = (value_of(builder, operand, scope) for operand in (expr.left, *expr.comparators))
        return frozenset({TENSOR}) if any(TENSOR in value for value in operands) else NOTHING
    return NOTHING


# Comparisons that are Python booleans whatever the operands: identity and membership.
_PYTHON_TESTS = (ast.Is, ast.IsNot, ast.In, ast.NotIn)


def _call_value(builder: "Resolver", call: ast.Call, scope: "Scope") -> Value:
    kb = builder.kb
    dotted = builder.dotted(call.func, scope)
    if dotted in ("builtins.int", "builtins.float", "builtins.len", "builtins.str", "builtins.round"):
        return frozenset({LITERAL})  # a Python scalar, even when computed from a tensor
    if dotted in kb.symbolic_tensors:
        return frozenset({SYMBOLIC})
    if kb.produces_tensor(dotted):
        return frozenset({TENSOR})
    if dotted == "builtins.next" and call.args and builder.is_dataset(call.args[0], scope):
        return frozenset({TENSOR})  # the next element of a tf.data iterator
    receiver_ranks: set[str] = set()
    if isinstance(call.func, ast.Attribute) and call.func.attr == "astype":
        receiver_ranks = {array_rank(a) for a in value_of(builder, call.func.value, scope) if is_array(a)}
    array = numpy_array(builder, call, dotted, scope, receiver_ranks)
    if array is not None:
        return frozenset({array})
    if isinstance(call.func, ast.Attribute):
        method = call.func.attr
        if method in kb.non_tensor_methods:
            return NOTHING
        receiver = value_of(builder, call.func.value, scope)
        tensorish = TENSOR in receiver or any(is_param(atom) for atom in receiver)
        if tensorish and method in _TENSOR_METHODS:
            return _tensor_part(receiver)
    if builder.builds_a_structure(call.func, scope):
        return frozenset({CONTAINER}).union(*(value_of(builder, argument, scope)
                                              for argument in (*call.args, *(k.value for k in call.keywords))))
    ref = builder.callee_ref(call.func, scope)
    symbolic = _symbolic_arguments(builder, call, scope)
    return frozenset({call_atom(ref) if ref else OPAQUE}) | symbolic


def _constructs_an_object(call: ast.Call) -> bool:
    """``Sequential([Input(...), ...])``, ``Model(inputs, outputs)``: a class called by name (CapWords,
    by convention) makes an object, a model say, not a symbolic tensor."""
    name = call.func.id if isinstance(call.func, ast.Name) else \
        call.func.attr if isinstance(call.func, ast.Attribute) else ""
    return name[:1].isupper()


def _symbolic_arguments(builder: "Resolver", call: ast.Call, scope: "Scope") -> Value:
    """``Dense(4)(inputs)`` on a Keras ``Input`` is symbolic too: the arguments' symbolic sources."""
    if _constructs_an_object(call):
        return NOTHING
    found: set[str] = set()
    for argument in (*call.args, *(k.value for k in call.keywords)):
        for atom in value_of(builder, argument, scope):
            if atom == SYMBOLIC or is_conditional_symbolic(atom):
                found.add(atom)
            elif is_param(atom) or global_of(atom) is not None:
                found.add(symbolic_atom(atom))
    return frozenset(found)


# Tensor methods whose result is a tensor when the receiver is one.
_TENSOR_METHODS = frozenset({"assign", "assign_add", "assign_sub", "read_value", "value", "__getitem__"})


def _name_value(builder: "Resolver", name: str, scope: "Scope") -> Value:
    current = scope
    while current is not None and current.node is not None:
        if name in current.globals:
            break
        if name in current.params and current is scope:
            return frozenset({param_atom(name)})
        if name in current.imports:
            return frozenset({global_atom(current.imports[name])})
        if current.binds(name):
            return frozenset(current.values.get(name, NOTHING)) if current is scope else \
                _tensor_part(current.values.get(name, NOTHING))
        current = current.parent
    module_scope = builder.module_scope
    if name in module_scope.values:
        return frozenset(module_scope.values[name])
    dotted = builder.bindings.bindings.get(name)
    if dotted and not builder.shadowed(name, scope):
        return frozenset({global_atom(dotted)})
    return NOTHING


def _combine(left: Value, right: Value) -> Value:
    """``x * 2`` is as tensor as ``x``; only ``2 * 3`` stays a literal (``n - 1`` with ``n`` unknown is unknown).

    The operands may only be known later (``x * factor``): ``ARITHMETIC`` marks the result so
    that a tensor operand makes the whole value a tensor, not also a literal. Symbolic sources
    (``k:``) and results of unnamed calls (``O``) ride along without deciding anything.
    """
    if not left - {OPAQUE, ARITHMETIC} or not right - {OPAQUE, ARITHMETIC}:
        # `n - 1` with `n` unknown (or itself arithmetic on unknowns: `x.numpy() * 2 / 3`): unknown too,
        # not a literal
        return ((left | right) - {CONTAINER, LITERAL}) | {ARITHMETIC}
    union = (left | right) - {CONTAINER}
    arrays = {atom for atom in union if is_array(atom)}
    if arrays:
        union = (union - arrays) | combined_arrays(arrays, with_literal=LITERAL in union)
    if any(not is_conditional_symbolic(atom) for atom in union - {LITERAL, ARITHMETIC, OPAQUE}):
        return (union - {LITERAL}) | {ARITHMETIC}
    return union


def _is_string(expr: ast.expr) -> bool:
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def _tensor_part(value: Value) -> Value:
    return value - {LITERAL, CONTAINER}


def _is_scalar(value: object) -> bool:
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


def annotation_is_tensor(builder: "Resolver", annotation: ast.expr | None, scope: "Scope") -> bool:
    """``x: tf.Tensor`` (also inside ``Optional[...]``, unions and string annotations)."""
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    for node in ast.walk(annotation):
        if isinstance(node, (ast.Name, ast.Attribute)):
            dotted = builder.qualified_name(node, scope)
            if dotted and builder.kb.canonical(dotted) in builder.kb.tensor_types:
                return True
    return False
