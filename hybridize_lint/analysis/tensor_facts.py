"""Per-function facts for tensor inference and the hybridization decision.

Runs inside the intraprocedural pass (:mod:`.summariser`): abstract values of
local names, what the function returns, where it computes on tensors, and
what would break or change if it ran as a graph (eager-only calls,
iteration over a tensor parameter, ``try``/``except``, ``global``…).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .cost import python_work
from .refs import InstanceRef, is_a, name_of
from .dtypes import INDIRECT, UNKNOWN, is_array, tensor_dtype, tensor_dtype_atom
from .summary import Blocker, FunctionSummary, loc_of
from .values import (ARITHMETIC, CONTAINER, LITERAL, NOTHING, RANGE, TENSOR, VARYING_SHAPE, Value, annotation_is_tensor,
                     call_atom, call_result_of, is_call_result, is_indirect, is_param, keras_method_atom,
                     made_object_atom, param_of, value_of)

if TYPE_CHECKING:  # pragma: no cover
    from .resolver import Resolver, Scope

_PASSES = 2
UNKNOWN_CALL = call_atom("?")  # a second pass sees values assigned later in loops (x = x + 1)


def infer_local_values(builder: "Resolver", scope: "Scope", own: list) -> None:
    for _ in range(_PASSES):
        for node, _guards in own:
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = value_of(builder, node.value, scope)
                if isinstance(node, ast.AugAssign):
                    value = value | value_of(builder, node.target, scope)
                for target in targets:
                    _bind(scope, target, value)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                _bind_iteration(builder, scope, node.target, node.iter)
            elif isinstance(node, ast.NamedExpr):
                _bind(scope, node.target, value_of(builder, node.value, scope))


def _bind(scope: "Scope", target: ast.expr, value: Value) -> None:
    if isinstance(target, ast.Name):
        scope.values[target.id] = scope.values.get(target.id, NOTHING) | value
    elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        # shape[i] = dynamic[i]: the container now holds that value too; an item stored into a NumPy
        # array (`labels = np.zeros_like(y); labels[:, k] = 1.0`) leaves it an array of its dtype
        name = target.value.id
        current = scope.values.get(name, NOTHING)
        if not any(is_array(atom) or _numpy_result(atom) for atom in current):
            scope.values[name] = current | value | {CONTAINER}
    elif isinstance(target, (ast.Tuple, ast.List)):
        element = value - {CONTAINER}
        for item in target.elts:
            item = item.value if isinstance(item, ast.Starred) else item
            _bind(scope, item, element)
            if isinstance(item, ast.Name):
                scope.unpacked.add(item.id)


def _numpy_result(atom: str) -> bool:
    """What a NumPy function returns (``np.zeros_like(y)``): an array, whatever its dtype."""
    ref = call_result_of(atom)
    return ref is not None and (name_of(ref) or "").startswith("numpy.")


def _bind_iteration(builder: "Resolver", scope: "Scope", target: ast.expr, iterable: ast.expr) -> None:
    """``for i, x in enumerate(ds)`` / ``for a, b in zip(xs, ys)`` bind element-wise."""
    if isinstance(iterable, ast.Call) and isinstance(target, (ast.Tuple, ast.List)) and iterable.args:
        dotted = builder.dotted(iterable.func, scope)
        if dotted == "builtins.enumerate" and len(target.elts) == 2:
            _bind(scope, target.elts[0], frozenset({LITERAL}))
            _bind_iteration(builder, scope, target.elts[1], iterable.args[0])
            return
        if dotted == "builtins.zip" and len(target.elts) == len(iterable.args):
            for element, source in zip(target.elts, iterable.args):
                _bind_iteration(builder, scope, element, source)
            return
    _bind(scope, target, iteration_value(builder, iterable, scope))


def iteration_value(builder: "Resolver", iterable: ast.expr, scope: "Scope") -> Value:
    """What a ``for`` loop over ``iterable`` binds: dataset elements are tensors, ``range`` gives literals."""
    if builder.is_dataset(iterable, scope):
        return frozenset({TENSOR, VARYING_SHAPE}) if varying_batches(builder, iterable, scope) else frozenset({TENSOR})
    if isinstance(iterable, ast.Call):
        dotted = builder.dotted(iterable.func, scope)
        if dotted == "builtins.range":
            return frozenset({LITERAL, RANGE})
        if dotted in ("builtins.enumerate", "builtins.zip") and iterable.args:
            parts = [iteration_value(builder, arg, scope) for arg in iterable.args]
            return frozenset({LITERAL} if dotted == "builtins.enumerate" else ()).union(*parts)
    if isinstance(iterable, ast.Attribute) and iterable.attr in VARIABLE_LISTS:
        return frozenset({TENSOR})  # model.weights / trainable_variables: variables
    value = value_of(builder, iterable, scope)
    if TENSOR in value and CONTAINER not in value:
        return frozenset({TENSOR})  # iterating a tensor yields tensors
    return value - {CONTAINER}


def varying_batches(builder: "Resolver", expr: ast.expr, scope: "Scope") -> bool:
    """Batches whose shape changes from batch to batch: one trace per distinct shape.

    ``padded_batch`` pads each batch to its own longest element unless ``padded_shapes`` fixes every
    dimension. A plain ``batch(n)`` does not count: its batches are all full but a shorter last one,
    which costs one more trace per run, not per epoch (TF 2.21: two traces over three epochs), and
    none after ``repeat()``.
    """
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr == "padded_batch":
            shapes = next((k.value for k in expr.keywords if k.arg == "padded_shapes"),
                          expr.args[1] if len(expr.args) > 1 else None)
            return shapes is None or any(isinstance(node, ast.Constant) and node.value is None
                                         for node in ast.walk(shapes))
        if expr.func.attr in ("batch", "unbatch", "rebatch"):
            return False
        expr = expr.func.value
    if isinstance(expr, ast.Name):
        return expr.id in scope.varying_batch_names or expr.id in builder.module_scope.varying_batch_names
    return False


def record_function_facts(builder: "Resolver", scope: "Scope", own: list, function: FunctionSummary) -> None:
    node = scope.node
    assert node is not None
    arguments = node.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    function.tensor_hints = [a.arg for a in every if annotation_is_tensor(builder, a.annotation, scope)]
    if "input_signature" in function.hybrid_keywords:
        function.tensor_hints = [p for p in function.params if p not in ("self", "cls")]
    model_may_be_built = False  # a call of an object (the forward pass) ran before: it built the model
    for child, guards in own:
        ops_before = function.tensor_ops
        _record_fact(builder, scope, function, child)
        if function.tensor_ops > ops_before and any(getattr(guard, "marks_loop", False) for guard in guards):
            function.loop_tensor_ops += function.tensor_ops - ops_before
            function.tensor_ops += (function.tensor_ops - ops_before) * (builder.kb.loop_weight - 1)
        if isinstance(child, ast.Call):
            model_may_be_built = model_may_be_built or builder.may_build_a_model(child, scope)
        elif isinstance(child, ast.Assign) and _reads_model_variables(child.value) and not model_may_be_built:
            function.blockers.append(Blocker(
                "keeps model variables in a local before the model is built (stale on the first trace)",
                loc_of(child), []))
    _summaries_only_blocker(builder, scope, own, function)


_CANNOT_RETURN = "a tf.function may return only tensors, ExtensionTypes, namedtuples and None (TypeError)"


def _result_blockers(builder: "Resolver", scope: "Scope", result: ast.expr, function: FunctionSummary) -> None:
    """What a tf.function cannot return as eager code does: a ``str``, an Operation, a function, an object.

    Marked ``result``: only the function's own outputs are restricted, so callers are not blocked.
    """
    for value in _result_parts(result):
        where = loc_of(value)
        if _is_python_str(builder, scope, value):
            function.blockers.append(Blocker("returns a Python `str`: traced, it returns a string tensor instead",
                                             where, ["as-entry", "python-str"]))
        elif isinstance(value, ast.Lambda) or isinstance(value, ast.Name) and value.id in scope.nested:
            function.blockers.append(Blocker(f"returns a function: {_CANNOT_RETURN}", where, ["as-entry"]))
        elif isinstance(value, ast.Call):
            dotted = builder.dotted(value.func, scope)
            if dotted in builder.kb.operation_results:
                function.blockers.append(Blocker(
                    f"returns the Operation of `{dotted}` (None when eager): {_CANNOT_RETURN}", where, ["as-entry"]))
                continue
            _made_object_blocker(builder.callee_ref(value.func, scope), where, function)
        elif isinstance(value, ast.Name):
            # `node = Node(...); ...; return node`: a builder returning the object it made
            made = value_of(builder, value, scope)
            if len(made) == 1:
                _made_object_blocker(call_result_of(next(iter(made))), where, function)


def _made_object_blocker(ref: str | None, where, function: FunctionSummary) -> None:
    """Returning what a call of a class makes; whether it is a plain object is decided once the project is known."""
    dotted = name_of(ref) if ref else None
    if dotted is not None:
        name = dotted.rsplit(".", 1)[-1]
        if name[:1].isupper():  # a class, by convention
            function.blockers.append(Blocker(f"returns a `{name}` object: {_CANNOT_RETURN}", where,
                                             ["as-entry", made_object_atom(ref)]))


def _result_parts(result: ast.expr):
    """The values a ``return`` gives back, through tuples, lists and dict displays."""
    if isinstance(result, (ast.Tuple, ast.List)):
        for element in result.elts:
            yield from _result_parts(element)
    elif isinstance(result, ast.Dict):
        for element in result.values:
            yield from _result_parts(element)
    else:
        yield result


def _is_python_str(builder: "Resolver", scope: "Scope", value: ast.expr) -> bool:
    """A string literal, an f-string, ``"..." % x``, ``"...".format(x)``, ``"a" + b`` or ``str(x)``."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, str)
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mod):
        return _is_python_str(builder, scope, value.left)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):  # "a" + t is a string tensor
        return _is_python_str(builder, scope, value.left) and _is_python_str(builder, scope, value.right)
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Attribute) and value.func.attr in ("format", "join"):
            return _is_python_str(builder, scope, value.func.value)
        return builder.dotted(value.func, scope) == "builtins.str"
    return False


def _summaries_only_blocker(builder: "Resolver", scope: "Scope", own: list,
                            function: FunctionSummary) -> None:
    """A function returning nothing whose only effect is writing TensorFlow summaries.

    Traced, whether it writes is decided by the default writer at trace time, so decorating it
    buys nothing and may silence it for good. Whether its callees do more is decided once the
    project is known (the ``summaries-only`` condition).
    """
    kb = builder.kb
    writes = [node for node, _ in own if isinstance(node, ast.Call) and builder.dotted(node.func, scope)
              in kb.summary_writes]
    if not writes or any(isinstance(node, ast.Return) and node.value is not None
                         and not (isinstance(node.value, ast.Constant) and node.value.value is None)
                         for node, _ in own):
        return
    if any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
           and node.func.attr in kb.state_update_methods for node, _ in own):
        return
    function.blockers.append(Blocker(
        "only writes summaries: traced, whether they are written is fixed by the default writer at trace time "
        "(traced without one, it never writes)", loc_of(writes[0]), ["as-entry", "summaries-only"]))


def _raises(branching: ast.If) -> bool:
    """A ``raise`` in either branch (not in a function defined there)."""
    stack: list[ast.AST] = [*branching.body, *branching.orelse]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Raise):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.expr)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _condition_value(builder: "Resolver", test: ast.expr, scope: "Scope") -> Value:
    """What an ``if`` test may be: ``x < 0`` is a tensor when ``x`` is; ``x is None``, ``k in d`` and a
    list (``if pending:``) are Python bools."""
    if isinstance(test, ast.BoolOp):
        return frozenset().union(*(_condition_value(builder, value, scope) for value in test.values))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _condition_value(builder, test.operand, scope)
    if isinstance(test, ast.Compare):
        if all(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in test.ops):
            return NOTHING
        return frozenset().union(*(value_of(builder, operand, scope) for operand in (test.left, *test.comparators)))
    value = value_of(builder, test, scope)
    return NOTHING if CONTAINER in value else value


def _record_fact(builder: "Resolver", scope: "Scope", function: FunctionSummary, child: ast.AST) -> None:
    """What one node of the body tells about tensor work, results and eager-only constructs."""
    if isinstance(child, ast.Return) and child.value is not None:
        function.returns = sorted(set(function.returns) | value_of(builder, child.value, scope))
        _result_blockers(builder, scope, child.value, function)
    elif isinstance(child, ast.Call):
        _call_facts(builder, scope, child, function)
    elif isinstance(child, (ast.BinOp, ast.UnaryOp, ast.AugAssign)):
        operands = [child.left, child.right] if isinstance(child, ast.BinOp) else \
            [child.target, child.value] if isinstance(child, ast.AugAssign) else [child.operand]
        values = [value_of(builder, operand, scope) for operand in operands]
        for value in values:
            _work(function, value)
        if any(value - {LITERAL, CONTAINER} for value in values):
            function.tensor_ops += 1
        if len(operands) == 2:
            _record_partners(builder, scope, function, *operands)
    elif isinstance(child, ast.Subscript) and isinstance(child.ctx, ast.Load):
        _work(function, value_of(builder, child.value, scope) - {CONTAINER})
    elif isinstance(child, (ast.For, ast.AsyncFor)):
        iterated = value_of(builder, child.iter, scope)
        params = sorted(atom for atom in iterated if is_param(atom))
        if params:
            function.blockers.append(Blocker("iterates over parameter", loc_of(child.iter), params))
    elif isinstance(child, ast.If) and _raises(child):
        atoms = sorted(a for a in _condition_value(builder, child.test, scope)
                       if a == TENSOR or is_indirect(a))
        if atoms:
            function.blockers.append(Blocker(
                "raises under a condition that may be a tensor: AutoGraph traces both branches of a tensor "
                "`if`, so the `raise` runs on every call", loc_of(child.test), atoms))
    elif isinstance(child, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        function.blockers.append(Blocker("try/except (exceptions raised by graph ops cannot be caught)",
                                         loc_of(child), []))


VARIABLE_LISTS = frozenset({"trainable_variables", "trainable_weights", "non_trainable_variables",
                             "non_trainable_weights", "variables", "weights"})


def _reads_model_variables(value: ast.expr) -> bool:
    return isinstance(value, ast.Attribute) and value.attr in VARIABLE_LISTS


def _call_facts(builder: "Resolver", scope: "Scope", call: ast.Call, function: FunctionSummary) -> None:
    kb = builder.kb
    dotted = builder.dotted(call.func, scope)
    if (pipeline := builder.dataset_method(call, scope)) is not None:  # `dataset.map(fn).batch(n)`: no operation
        function.tensor_ops += kb.heavy_weight if pipeline in kb.dataset_running_methods else 0  # `reduce` runs it
        return
    if kb.is_tensor_computation(dotted) or (dotted == "builtins.next" and call.args
                                            and builder.is_dataset(call.args[0], scope)):
        function.direct_tensor_work = True
        function.tensor_ops += 1
    elif isinstance(call.func, ast.Attribute) and not builder.is_module_reference(call.func.value, scope):
        receiver = value_of(builder, call.func.value, scope)
        if call.func.attr in kb.heavy_methods:
            function.tensor_ops += kb.heavy_weight
        elif TENSOR in receiver:
            function.tensor_ops += 1
        if call.func.attr == "numpy":
            function.blockers.append(Blocker("`.numpy()` needs an eager tensor", loc_of(call), []))
        elif call.func.attr in kb.eager_only_keras_methods:
            function.blockers.append(Blocker(f"Keras `{call.func.attr}()` cannot run inside a tf.function",
                                             loc_of(call), sorted(receiver | {keras_method_atom(call.func.attr)})))
        elif TENSOR in receiver:
            function.direct_tensor_work = True
        elif receiver:
            _work(function, receiver - {CONTAINER, LITERAL})
    if dotted is not None and dotted.startswith("numpy.") and call.args:
        atoms = frozenset().union(*(value_of(builder, arg, scope) for arg in call.args))
        tensors = sorted(a for a in atoms if a == TENSOR or is_param(a) or is_call_result(a))
        if tensors:
            function.blockers.append(Blocker(f"NumPy `{dotted}` on a tensor (needs an eager tensor)",
                                             loc_of(call), [*tensors, "numpy-call"]))
        shaped = sorted(_shape_owners(builder, scope, call.args))
        if shaped and not tensors:
            function.blockers.append(Blocker(
                f"NumPy `{dotted}` on a tensor's static shape: traced with relaxed shapes or an input_signature, "
                "its dimensions are None (TypeError)", loc_of(call), shaped))
    if _invalid_name_argument(builder, dotted, call):
        function.blockers.append(Blocker(f"`{dotted}` gets a `name` that is not a string (graph mode rejects it)",
                                         loc_of(call), []))
    if dotted in kb.eager_only_functions:
        function.blockers.append(Blocker(f"`{dotted}` needs concrete (eager) values", loc_of(call), []))
    if tested := _numpy_type_test(builder, scope, dotted, call):
        function.blockers.append(Blocker(
            f"tests whether `{tested}` is a NumPy value (`isinstance`): written for NumPy values and tensors alike, "
            "but traced every argument is a tensor (the NumPy branch is dead and result types change)",
            loc_of(call), []))
    if dotted == "builtins.bool" and call.args:
        atoms = value_of(builder, call.args[0], scope)
        if TENSOR in atoms or any(is_param(a) for a in atoms):
            function.blockers.append(Blocker("`bool()` of a tensor", loc_of(call), sorted(atoms)))
    ref = builder.callee_ref(call.func, scope)
    if ref:
        _work(function, frozenset({call_atom(ref)}))
    if dotted is None and (not ref or is_a(ref, InstanceRef)) and (
            isinstance(call.func, ast.Attribute) or
            isinstance(call.func, ast.Name) and builder.shadowed(call.func.id, scope)):
        _work(function, frozenset({UNKNOWN_CALL}))  # an object or callable we cannot type: maybe a model
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if method not in kb.heavy_methods and not python_work(kb, ref, method):
            function.tensor_ops += kb.opaque_call_weight


def _shape_owners(builder: "Resolver", scope: "Scope", arguments: list[ast.expr]) -> set[str]:
    """What may be a tensor among the values whose ``.shape`` (or ``.get_shape()``) the arguments read."""
    owners: set[str] = set()
    for argument in arguments:
        for node in ast.walk(argument):
            if isinstance(node, ast.Attribute) and node.attr in ("shape", "get_shape"):
                value = value_of(builder, node.value, scope)
                owners.update(a for a in value if a == TENSOR or is_indirect(a))
    return owners


def _numpy_type_test(builder: "Resolver", scope: "Scope", dotted: str | None, call: ast.Call) -> str | None:
    """The parameter ``isinstance(x, np.ndarray)`` or ``isinstance(x, (np.ndarray, float))`` tests, if any."""
    if dotted != "builtins.isinstance" or len(call.args) != 2:
        return None
    tested, types = call.args
    if not (isinstance(tested, ast.Name) and tested.id in scope.params and tested.id not in ("self", "cls")):
        return None
    named = types.elts if isinstance(types, ast.Tuple) else [types]
    numpy = any((builder.dotted(t, scope) or "").startswith("numpy.") for t in named
                if isinstance(t, (ast.Name, ast.Attribute)))
    return tested.id if numpy else None


def _invalid_name_argument(builder: "Resolver", dotted: str | None, call: ast.Call) -> bool:
    """``tf.sqrt(x, tf.float32)``: eager mode ignores a bad op name, graph mode raises."""
    if dotted is None or not builder.kb.produces_tensor(dotted):
        return False
    name = next((k.value for k in call.keywords if k.arg == "name"), None)
    if name is None and dotted in builder.kb.name_second_ops and len(call.args) >= 2:
        name = call.args[1]
    if name is None:
        return False
    if isinstance(name, ast.Constant):
        return not (name.value is None or isinstance(name.value, str))
    if isinstance(name, (ast.Attribute, ast.Name)):
        qualified = builder.bindings.qualified_name(name)
        return bool(qualified) and builder.kb.is_tensorflow(qualified)  # tf.float32 and friends
    return False


def _record_partners(builder: "Resolver", scope: "Scope", function: FunctionSummary,
                     left: ast.expr, right: ast.expr) -> None:
    """For a parameter in ``left OP right``, what it meets: the other operand's value (plus its
    spelled-out tensor dtype); marked ``INDIRECT`` when the parameter is inside an expression there."""
    for operand, other in ((left, right), (right, left)):
        if isinstance(operand, ast.Name) and operand.id in scope.params:
            inside, indirect = [operand.id], False
        else:  # `(x + 1.0) * w` converts `x + 1.0`, a NumPy value; `tf.abs(x) * w` a tensor: x converted before
            value = value_of(builder, operand, scope)
            numpy_only = all(is_param(a) or a in (LITERAL, ARITHMETIC) or is_array(a) for a in value)
            inside = sorted(p for p in map(param_of, value) if p is not None) if numpy_only else []
            indirect = True
        if not inside:
            continue
        partner = value_of(builder, other, scope)
        dtype = _spelled_tensor_dtype(builder, scope, other)
        if dtype is not None:
            partner = partner | {tensor_dtype_atom(dtype)}
        if indirect:
            partner = partner | {INDIRECT}
        for name in inside:
            function.operand_partners.setdefault(name, []).append(sorted(partner))


def _spelled_tensor_dtype(builder: "Resolver", scope: "Scope", expr: ast.expr) -> str | None:
    """``tf.constant(2.0)``, or a module-level ``W = tf.Variable(0.5)`` read by name."""
    if isinstance(expr, ast.Name):
        if builder.binding_scope(expr.id, scope) is not None:
            return None
        dtype = builder.summary.tensor_dtypes.get(expr.id)
        return None if dtype == UNKNOWN else dtype
    return tensor_dtype(builder, expr, scope)


def _work(function: FunctionSummary, value: Value) -> None:
    """Record operands of an operation; arrays made in the body are NumPy work, not tensor work."""
    atoms = sorted(atom for atom in value - {LITERAL, CONTAINER, ARITHMETIC} if not is_array(atom))
    if atoms and atoms not in function.tensor_work:
        function.tensor_work.append(atoms)


__all__ = ["infer_local_values", "iteration_value", "record_function_facts", "TENSOR", "LITERAL"]
