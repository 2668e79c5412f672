"""What calls and writes do that a trace would not repeat: the :class:`Effect` records of a function."""

from __future__ import annotations

import ast
from functools import cached_property

from .refs import name_of
from .resolver import Resolver, Scope, is_self
from .statement_walk import Branch, InLoop, block_path
from .summary import CAPTURED, LOCAL, Blocker, Effect, EffectKind, FunctionSummary, Locality, loc_of
from .syntax import (flatten_targets, freshly_bound_before, is_attribute_of, mirrors_object_state, place_key,
                     reads_object_state, same_place)
from .values import TENSOR, global_of, is_indirect, is_param, param_of, value_of


_CONTAINER, _NOT_CONTAINER, _MAYBE_CONTAINER = "container", "not a container", "maybe a container"


class CallAndWriteEffects(Resolver):
    """The summariser's effects of calls and writes (the summariser fills ``class_nodes`` as it walks the
    module's classes, and brings ``once_only`` and ``runs_eagerly`` from :class:`.guard_facts.GuardFacts`)."""

    class_nodes: dict[str, ast.ClassDef]

    @cached_property
    def _class_attribute_values(self) -> dict[str, dict[str, list[ast.expr]]]:  # see _attribute_values
        return {}

    def call_effects(self, call: ast.Call, dotted: str | None, ref: str | None, scope: Scope,
                     function: FunctionSummary, guards: list[ast.expr]) -> None:
        kb = self.kb
        where = loc_of(call)
        if dotted == kb.python_print:
            fact = self._prints_a_trace_fact(call, scope, guards) or self._logs_static_facts(call)
            line = fact or self._prints_python_parameters(call, scope)
            function.effects.append(Effect(EffectKind.PRINT, "print", where, log_line=line, diagnostic=fact))
        elif dotted is not None and dotted not in kb.pure_functions and dotted in kb.io_calls:
            log_line, diagnostic = self.log_line(call, dotted.rsplit(".", 1)[-1], scope, guards) \
                if dotted in kb.log_calls else (False, False)
            function.effects.append(Effect(EffectKind.IO, dotted, where, log_line=log_line, diagnostic=diagnostic))
        elif dotted is not None and dotted in kb.nondeterministic_calls:
            function.effects.append(Effect(EffectKind.NONDETERMINISM, dotted, where))
        elif dotted == "builtins.next" and call.args:
            argument = call.args[0]
            if self.advances_python_iterator(argument, scope):
                function.effects.append(Effect(EffectKind.PYTHON_ITERATOR, "next", where))
            elif isinstance(argument, ast.Name) and self.locality(argument, scope) == Locality.of_param(argument.id):
                # A Python iterator only if some caller passes one (tf.data iterators are fine).
                function.effects.append(Effect(EffectKind.PYTHON_ITERATOR, "next", where, Locality.of_iterparam(argument.id)))
        elif dotted in kb.variable_constructors and not [g for g in guards if isinstance(g, Branch)]:
            function.errors.append(Effect(EffectKind.VARIABLE_CREATION, dotted, where))
        elif kb.creates_variable_owner(dotted) and not [g for g in guards if isinstance(g, Branch)]:
            name = dotted.rsplit(".", 1)[-1]
            function.blockers.append(Blocker(
                f"makes a Keras `{name}` on every call: its variables would be created again after the first "
                "trace, which a tf.function rejects (ValueError)", where, []))
        elif isinstance(call.func, ast.Attribute):
            self._method_effects(call, scope, function, guards)

    def _prints_a_trace_fact(self, call: ast.Call, scope: Scope, guards: list[ast.expr]) -> bool:
        """``if isinstance(x, tf.RaggedTensor): print("WARNING: ...")``: no tensor printed, under a test
        of what the trace is for (types, static shapes), so once per trace is once per fact."""
        arguments = [*call.args, *(k.value for k in call.keywords)]
        if any(TENSOR in value_of(self, argument, scope) for argument in arguments):
            return False
        return any(isinstance(guard, Branch) and self._tests_a_trace_fact(guard.test, scope)
                   and TENSOR not in value_of(self, guard.test, scope) for guard in guards)

    def _tests_a_trace_fact(self, test: ast.expr, scope: Scope) -> bool:
        for node in ast.walk(test):
            if isinstance(node, ast.Call) and self.dotted(node.func, scope) in self.kb.trace_fact_checks:
                return True
            if isinstance(node, ast.Attribute) and node.attr in self.kb.trace_fact_attributes:
                return True
        return False

    def log_line(self, call: ast.Call, level: str | None, scope: Scope,
                  guards: list[ast.expr]) -> tuple[bool, bool]:
        """(a log line with no tensor among its arguments, and a diagnostic too: a warning or worse, or
        under a Python condition such as ``if not metric:`` or ``if self.verbose:``, not a line marking
        progress). A line under a Python condition is both even when it logs tensors: the developer chose
        when to see it (a verbosity flag), and what it shows of a symbolic tensor, its structure, is a
        fact of the trace."""
        if self._logs_static_facts(call):
            return True, True
        if any(isinstance(guard, Branch) and TENSOR not in value_of(self, guard.test, scope) for guard in guards):
            return True, True
        atoms = self._argument_atoms(call, scope)
        if TENSOR in atoms:
            return False, False
        if level in self.kb.diagnostic_levels:
            return True, True
        return self._only_trace_facts(atoms, scope), False

    def _fixed_per_trace(self, value: ast.expr, scope: Scope) -> bool:
        """A constant, or a fact of the structure of the inputs (``x is not None``, ``sorted(x.keys())``,
        ``len(x)``, ``x.shape``): the same on every call of one trace, since a new structure traces anew."""
        if isinstance(value, ast.Constant):
            return True
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
            return self._fixed_per_trace(value.operand, scope)
        if isinstance(value, ast.BoolOp):
            return all(self._fixed_per_trace(operand, scope) for operand in value.values)
        if isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], (ast.Is, ast.IsNot)):
            return self._from_inputs(value.left, scope) and isinstance(value.comparators[0], ast.Constant)
        if isinstance(value, ast.Attribute) and value.attr in self.kb.trace_fact_attributes:
            return self._from_inputs(value.value, scope)
        if isinstance(value, ast.Subscript) and _constant_index(value.slice):  # `x.shape[1]`
            return self._fixed_per_trace(value.value, scope)
        if isinstance(value, ast.Call):
            dotted = self.dotted(value.func, scope)
            facts = self.kb.trace_fact_calls
            if (dotted in facts or dotted in self.kb.trace_fact_keepers) and value.args:  # `sorted(list(x.keys()))`
                argument = value.args[0]
                return self._fixed_per_trace(argument, scope) or (
                    dotted in facts and self._from_inputs(argument, scope))
            if isinstance(value.func, ast.Attribute) and value.func.attr == "keys" and not value.args:
                return self._from_inputs(value.func.value, scope)
        return False

    def _from_inputs(self, expr: ast.expr, scope: Scope) -> bool:
        """A parameter, or a local of the trace (``features, labels = data``, ``weights = None``, what a
        preprocessing call returns): its structure (None or not, keys, static shape) is fixed for one
        trace, since a new input structure traces anew. (A structure that follows Python state changed
        between calls would make the graph itself stale, which HYB108 reports.)"""
        if not isinstance(expr, ast.Name) or is_self(expr, scope):
            return False  # the receiver's state is no input
        name = expr.id
        if name in scope.globals or name in scope.nonlocals:
            return False
        if name in scope.params:
            return True
        atoms = value_of(self, expr, scope)  # nothing known of it (the receiver's state, say): no
        return name in scope.locals and bool(atoms) and not any(global_of(atom) for atom in atoms)

    def _logs_static_facts(self, call: ast.Call) -> bool:
        """``logging.info("Built stem %s: %s", self._stem.name, outputs.shape)``: constants and static facts
        of the trace (shapes, dtypes, names) only, the same for every call of one trace."""
        arguments = [*call.args, *(k.value for k in call.keywords)]
        facts = [a for a in arguments if isinstance(a, ast.Attribute) and a.attr in self.kb.trace_fact_attributes]
        return bool(facts) and all(isinstance(a, ast.Constant) or a in facts for a in arguments)

    def _prints_python_parameters(self, call: ast.Call, scope: Scope) -> bool:
        """``print(height, width)`` of parameters annotated as Python scalars (and nothing that may be a
        tensor): each new value is a new trace, so once per trace shows every value; a message of
        constants alone (``print("scaling")``) is progress and stays an effect."""
        atoms = self._argument_atoms(call, scope)
        return self._only_trace_facts(atoms, scope) and any(
            (param := param_of(atom)) and self._annotated(param, scope, self.kb.scalar_annotations) for atom in atoms)

    def _argument_atoms(self, call: ast.Call, scope: Scope) -> list[str]:
        return [atom for argument in [*call.args, *(k.value for k in call.keywords)]
                for atom in value_of(self, argument, scope)]

    def _only_trace_facts(self, atoms: list[str], scope: Scope) -> bool:
        """A progress line (a print, a log call) in a helper is about trace-time facts only if nothing in
        it may be a tensor: not one a caller passes (`log_metrics(loss)` logging `loss`) or a call
        returns. A parameter annotated as a Python scalar (`height: int`) is none."""
        for atom in atoms:
            if atom == TENSOR:
                return False
            param = param_of(atom)
            if is_indirect(atom) and not (param and self._annotated(param, scope, self.kb.scalar_annotations)):
                return False
        return True

    def _method_effects(self, call: ast.Call, scope: Scope, function: FunctionSummary,
                        guards: list[ast.expr]) -> None:
        method = call.func
        assert isinstance(method, ast.Attribute)
        where = loc_of(call)
        if method.attr == "numpy" and not call.args and not self.is_module_reference(method.value, scope):
            function.errors.append(Effect(EffectKind.EAGER_ONLY_CALL, f"{_text(method.value)}.numpy()", where))
            return
        receiver_type = self.type_of(method.value, scope)
        if receiver_type is None and isinstance(method.value, ast.Call):  # `logging.getLogger(__name__).info()`
            receiver_type = self.callee_ref(method.value.func, scope)
        if receiver_type in self.factory_refs(self.kb.io_factories) and not (
                method.attr in self.kb.logger_query_methods
                and receiver_type in self.factory_refs(self.kb.logger_factories)):
            log_line, diagnostic = self.log_line(call, method.attr, scope, guards) \
                if receiver_type in self.factory_refs(self.kb.logger_factories) else (False, False)
            function.effects.append(Effect(EffectKind.IO, f"{_text(method.value)}.{method.attr}", where,
                                           log_line=log_line, diagnostic=diagnostic))
            return
        if receiver_type in self.factory_refs(self.kb.nondeterministic_factories):
            function.effects.append(Effect(EffectKind.NONDETERMINISM, f"{_text(method.value)}.{method.attr}", where))
            return
        mutates = self.kb.mutates_container(method.attr, len(call.args))
        if mutates and not self.is_module_reference(method.value, scope):
            locality = self.locality(method.value, scope)
            kind = self._container_kind(method.value, scope)
            if kind == _MAYBE_CONTAINER and self.kb.may_be_framework_method(method.attr, len(call.args)):
                kind = _NOT_CONTAINER
            if locality != LOCAL and kind != _NOT_CONTAINER and not self._extends_a_fresh_list(call, scope) \
                    and not freshly_bound_before(method.value, call.lineno, scope.node):
                function.effects.append(Effect(EffectKind.CONTAINER_MUTATION, f"`{_text(method.value)}.{method.attr}`", where,
                                               _target(locality), method.attr if kind == _MAYBE_CONTAINER else None))

    def _extends_a_fresh_list(self, call: ast.Call, scope: Scope) -> bool:
        """``self.vs = model.trainable_variables`` then ``self.vs.extend(self.extra)``: the list is
        new on every call (the property builds it) and grows by the same objects, so the object ends
        each call, eager or traced, holding the same list (tensordiffeq's idempotent rebuild)."""
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if not isinstance(receiver, ast.Attribute) or scope.node is None \
                or not all(reads_object_state(argument) for argument in call.args):
            return False
        key = place_key(receiver)
        return any(isinstance(node, ast.Assign) and node.lineno < call.lineno
                   and any(place_key(target) == key for target in node.targets)
                   and isinstance(node.value, ast.Attribute) and node.value.attr in self.kb.fresh_list_attributes
                   for node in ast.walk(scope.node))

    def _container_kind(self, expr: ast.expr, scope: Scope) -> str:
        """Whether a receiver is a Python list/dict/set, surely not one, or of unknown type."""
        if self.is_tensorflow_value(expr, scope):
            return _NOT_CONTAINER
        if isinstance(expr, ast.Name):
            if self.is_python_collection(expr, scope) or self._annotated_container(expr.id, scope):
                return _CONTAINER
            if is_self(expr, scope):
                return self._class_container_kind(scope.class_name)
            return self._typeref_container_kind(self.type_of(expr, scope))
        if isinstance(expr, ast.Attribute) and is_self(expr.value, scope) and scope.class_name:
            return self._attribute_container_kind(scope.class_name, expr.attr, scope)
        return _MAYBE_CONTAINER

    def _annotated_container(self, name: str, scope: Scope) -> bool:
        """A parameter annotated as a mutable container: ``config: Dict[str, Any]``."""
        return self._annotated(name, scope, self.kb.container_annotations)

    def _annotated(self, name: str, scope: Scope, annotations: frozenset[str]) -> bool:
        """A parameter annotated with one of ``annotations`` (``Dict[str, Any]`` counts as ``Dict``)."""
        if scope.node is None or name not in scope.params:
            return False
        arguments = scope.node.args
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if argument.arg == name and argument.annotation is not None:
                annotation = argument.annotation
                if isinstance(annotation, ast.Subscript):
                    annotation = annotation.value
                return self.dotted(annotation, scope.parent or self.module_scope) in annotations
        return False

    def _typeref_container_kind(self, typeref: str | None) -> str:
        """An instance of a container type is one; of another class (a capitalised name) is not."""
        dotted = name_of(typeref)
        if dotted is None:
            return _MAYBE_CONTAINER
        if dotted in self.kb.container_types:
            return _CONTAINER
        return _NOT_CONTAINER if dotted.rpartition(".")[2][:1].isupper() else _MAYBE_CONTAINER

    def _class_container_kind(self, class_name: str | None) -> str:
        """``self``: a container only if the class derives from one directly."""
        info = self.summary.classes.get(class_name or "")
        bases = info.bases if info else []
        if any(self._typeref_container_kind(base) == _CONTAINER for base in bases):
            return _CONTAINER
        return _NOT_CONTAINER if info is not None else _MAYBE_CONTAINER

    def _attribute_container_kind(self, class_name: str, attribute: str, scope: Scope) -> str:
        """``self.ATTR``: from what the class's methods assign to it (a display, a constructor call)."""
        kinds = set()
        for value in self._attribute_values(class_name).get(attribute, []):
            if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
                kinds.add(_CONTAINER)
            elif isinstance(value, ast.Call):
                kinds.add(self._typeref_container_kind(self.callee_ref(value.func, self.module_scope)))
            else:
                kinds.add(_MAYBE_CONTAINER)
        return _CONTAINER if _CONTAINER in kinds else _NOT_CONTAINER if kinds == {_NOT_CONTAINER} else _MAYBE_CONTAINER

    def _attribute_values(self, class_name: str) -> dict[str, list[ast.expr]]:
        """What the methods of a class assign to ``self.ATTR``, by attribute (one walk per class)."""
        found = self._class_attribute_values.get(class_name)
        if found is None:
            found = self._class_attribute_values[class_name] = {}
            node = self.class_nodes.get(class_name)
            for method in node.body if node else []:
                if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
                    continue
                receiver = method.args.args[0].arg
                for child in ast.walk(method):
                    if isinstance(child, (ast.Assign, ast.AnnAssign)) and child.value is not None:
                        for target in child.targets if isinstance(child, ast.Assign) else [child.target]:
                            if is_attribute_of(target, receiver):
                                found.setdefault(target.attr, []).append(child.value)
        return found

    def writes(self, node: ast.stmt, scope: Scope, function: FunctionSummary, guards: list) -> None:
        if self.runs_eagerly(guards, scope):
            return
        # A once-only build (`if self.w is None: self.w = tf.Variable(...)`) keeps objects, not a
        # tensor of the first trace (that would leak out of its graph).
        guards_once = self.once_only(guards, scope)
        once = guards_once and self._creates_state(getattr(node, "value", None), scope)
        targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        for target in flatten_targets(targets):
            if once or (isinstance(getattr(node, "value", None), ast.Constant)
                        and any(same_place(target, flag) for flag in scope.restored_flags)) \
                    or any(same_place(target, place) for place in scope.restored_places):
                continue
            if isinstance(target, ast.Name):
                if target.id in scope.globals:
                    function.effects.append(Effect(EffectKind.GLOBAL_WRITE, f"global `{target.id}`", loc_of(target)))
                elif target.id in scope.nonlocals:
                    function.effects.append(Effect(EffectKind.GLOBAL_WRITE, f"nonlocal `{target.id}`", loc_of(target),
                                                   Locality.of_closure(target.id)))
            elif isinstance(target, ast.Attribute):
                if target.attr in self.kb.trace_time_flags:
                    continue  # `model.trainable = False`: configures the trace it runs in, as in eager
                locality = self.locality(target.value, scope)
                if not guards_once and isinstance(node, ast.Assign) \
                        and (TENSOR in value_of(self, node.value, scope)
                             or self._calls_a_narrowed_layer(node.value, guards, scope)):
                    if is_self(target.value, scope):  # a traced tensor parked on an object: the graph computes it
                        function.tensor_parks.append(Effect(
                            EffectKind.ATTRIBUTE_WRITE, f"`{_text(target)}`", loc_of(target), blocks=block_path(guards),
                            scratch_attribute=target.attr, self_attribute=target.attr))
                    continue
                if isinstance(node, ast.Assign) and (_overrides_a_default(target, node.value)
                                                     or _same_function_every_call(node.value, scope)
                                                     or _same_value_every_call(target, node.value, guards, scope.node)
                                                     or self._draws_a_frozen_value(node.value, scope)):
                    continue
                if locality != LOCAL:
                    scratch = target.attr if isinstance(node, ast.Assign) and _written_before_read(
                        target, node.value, scope.node) else None
                    value = getattr(node, "value", None)
                    stored = value.id if isinstance(node, ast.Assign) and isinstance(value, ast.Name) \
                        and value.id in function.receiverless_params() else None
                    own = target.attr if is_self(target.value, scope) else None
                    fixed = isinstance(node, ast.Assign) and self._fixed_per_trace(node.value, scope)
                    function.effects.append(Effect(EffectKind.ATTRIBUTE_WRITE, f"`{_text(target)}`", loc_of(target),
                                                   _target(locality), scratch_attribute=scratch,
                                                   blocks=block_path(guards),
                                                   stored_param=stored, self_attribute=own, fixed_per_trace=fixed,
                                                   structure_fact=fixed and not isinstance(node.value, ast.Constant)))
            elif isinstance(target, ast.Subscript):
                locality = self.locality(target.value, scope)
                if _fills_a_cache(target, guards, scope.node):
                    continue  # `cache[key] = ...` on a miss: once per key, eager or traced
                if locality != LOCAL and not self.is_tensorflow_value(target.value, scope) \
                        and not freshly_bound_before(target.value, target.lineno, scope.node):
                    function.effects.append(Effect(EffectKind.CONTAINER_MUTATION, f"item assignment on `{_text(target.value)}`",
                                                   loc_of(target), _target(locality)))

    def _creates_state(self, value: ast.expr | None, scope: Scope) -> bool:
        """The create-once idiom assigns a variable or an object, not a computed tensor (a cache)."""
        if not isinstance(value, ast.Call):
            return TENSOR not in value_of(self, value, scope)
        dotted = self.dotted(value.func, scope)
        if dotted in self.kb.variable_constructors:
            return True
        return not self.kb.produces_tensor(dotted) and TENSOR not in value_of(self, value, scope)

    def _draws_a_frozen_value(self, value: ast.expr, scope: Scope) -> bool:
        """``obj.order = np.random.permutation(n)``: what goes wrong is the draw, frozen at trace time,
        which HYB106 reports on the same line with its own fix; the write adds nothing to act on."""
        return any(isinstance(node, ast.Call) and self.dotted(node.func, scope) in self.kb.nondeterministic_calls
                   for node in ast.walk(value))

    def _calls_a_narrowed_layer(self, value: ast.expr | None, guards: list, scope: Scope) -> bool:
        """``if isinstance(self.init, tf.keras.layers.Layer): self.kernel = self.init(shape)``: the
        guard says the callee is a Keras layer, and a layer called in graph code returns tensors."""
        if not isinstance(value, ast.Call):
            return False
        callee = place_key(value.func)
        for guard in guards:
            test = guard.test if isinstance(guard, Branch) and guard.taken else None
            if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
                    and len(test.args) == 2 and place_key(test.args[0]) == callee:
                types = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
                if types and all(self.dotted(t, scope) in self.kb.keras_layer_bases for t in types):
                    return True
        return False


def _overrides_a_default(target: ast.Attribute, value: ast.expr) -> bool:
    """``self.loss_fn = loss_fn or self.loss_fn`` (or ``... if loss_fn is None else ...``): the
    attribute changes only when a caller passes another Python value, and a tf.function traces
    again for another Python value, so the write runs again with it."""
    key = place_key(target)
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        return place_key(value.values[-1]) == key
    if isinstance(value, ast.IfExp):
        return key in (place_key(value.body), place_key(value.orelse))
    return False


def _same_value_every_call(target: ast.Attribute, value: ast.expr, guards: list, function: ast.AST | None) -> bool:
    """A write that leaves the object as every eager call would: a reset to a constant at the
    function's top level after its own earlier write (``obj.batch = None`` after the loop that set
    ``obj.batch = i``), or, anywhere, a mirror of object state read afresh (``self.vs =
    self.model.trainable_variables``: the same value at every iteration and every call). Running it
    once per trace loses nothing. (A flag set once, ``self.training = True``, is not: other code may
    clear it between calls.)"""
    if function is None:
        return False
    if isinstance(value, ast.Attribute):
        return reads_object_state(value)
    if mirrors_object_state(value, function):
        return True
    if any(isinstance(guard, (Branch, InLoop)) for guard in guards):
        return False
    if isinstance(value, ast.Constant):
        key = place_key(target)
        return any(isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and place_key(node) == key
                   and node.lineno < target.lineno for node in ast.walk(function))
    return False


def _same_function_every_call(value: ast.expr, scope: Scope) -> bool:
    """``obj.hook = lambda *a, **k: None``: a patch that sets the same function on every call, so
    setting it once per trace leaves the object as eager calls would (nothing of the call in it)."""
    if not isinstance(value, ast.Lambda):
        return False
    arguments = value.args
    own = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    own |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
    return not any(isinstance(node, ast.Name) and node.id not in own and scope.binds(node.id)
                   for node in ast.walk(value))


def _constant_index(index: ast.expr) -> bool:
    """``1`` or ``-1``: the same element of every value of one structure."""
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
        index = index.operand
    return isinstance(index, ast.Constant) and type(index.value) is int


def _written_before_read(target: ast.Attribute, value: ast.expr, function: ast.AST | None) -> bool:
    """Whether ``function`` reads ``target`` (``self.x = value``) only after the write, if at all (not
    before, nor in ``value``): a value kept for the rest of the call, or for no one."""
    key = place_key(target)
    if function is None or any(isinstance(node, ast.Attribute) and place_key(node) == key for node in ast.walk(value)):
        return False
    where = (target.lineno, target.col_offset)
    reads = [(node.lineno, node.col_offset) for node in ast.walk(function)
             if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and place_key(node) == key]
    return not reads or min(reads) > where


def _fills_a_cache(target: ast.Subscript, guards: list, function: ast.AST | None) -> bool:
    """``CACHE[key] = value`` where the function looks ``key`` up first and returns what it finds:
    under ``if key not in CACHE:``, or after ``if key in CACHE: return CACHE[key]`` or
    ``try: return CACHE[key] except KeyError``. It runs once per key, in eager code as in traces."""
    cache, key = place_key(target.value), ast.dump(target.slice)

    def is_lookup(expr: ast.AST | None) -> bool:
        return isinstance(expr, ast.Subscript) and place_key(expr.value) == cache and ast.dump(expr.slice) == key

    def tests_membership(test: ast.expr, absent: bool) -> bool:
        return isinstance(test, ast.Compare) and len(test.ops) == 1 and ast.dump(test.left) == key \
            and place_key(test.comparators[0]) == cache and isinstance(test.ops[0], ast.NotIn if absent else ast.In)

    for guard in guards:
        if isinstance(guard, Branch) and tests_membership(guard.test, absent=guard.taken):
            return True
    for node in ast.walk(function) if function is not None else ():
        if isinstance(node, ast.If) and tests_membership(node.test, absent=False) \
                and any(isinstance(s, ast.Return) and is_lookup(s.value) for s in node.body):
            return True
        if isinstance(node, ast.Try) and any(isinstance(s, ast.Return) and is_lookup(s.value) for s in node.body) \
                and any(isinstance(h.type, ast.Name) and h.type.id in ("KeyError", "LookupError")
                        for h in node.handlers):
            return True
    return False


def _target(locality: str) -> str | None:
    return None if locality == CAPTURED else locality


def _text(expr: ast.expr) -> str:
    try:
        text = ast.unparse(expr)
    except Exception:  # unparse cannot fail on parsed code, but a message must never crash a run
        return "…"
    return text if len(text) <= 40 else text[:39] + "…"
