"""Where code enters a graph: tf.function and its wrappers, tf.data, Keras compile/fit, control flow."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from .refs import AttrRef, FunctionRef, InstanceRef, MethodRef, NameRef, is_a, name_of
from .resolver import Resolver, Scope, base_name, is_self
from .summary import (BUILDS_A_GRAPH, IN_TF_FUNCTION_LAMBDA, ONE_OBJECT, TF_DATA, TF_FUNCTION, FunctionNode,
                      GraphEntry, WrapperCall, loc_of)
from .syntax import is_super_call


_WRAPPER_REFS = (NameRef, FunctionRef, InstanceRef, MethodRef, AttrRef)  # what may name a project or library function


class GraphEntries(Resolver):
    """The summariser's graph entries (the summariser fills ``class_nodes`` as it walks the module's
    classes, and brings ``may_mention`` from :class:`.module_level.ModuleLevelFacts`)."""

    class_nodes: dict[str, ast.ClassDef]

    def graph_entries(self, call: ast.Call, dotted: str | None, scope: Scope) -> None:
        kb = self.kb
        functions = [*call.args, *(k.value for k in call.keywords)]
        if dotted in kb.hybridize_functions:
            via, functions = TF_FUNCTION, call.args[:1]
        elif dotted in kb.control_flow_functions:
            if not (scope.class_name and scope.qualname.rsplit(".", 1)[-1] in kb.framework_hooks):
                return  # the function is passed (a call site of the caller): graph code where the caller is
            # in a method frameworks call from their own graphs (an optimizer's update_step, a
            # layer's call): traced there, whatever the project's own code shows
            via = dotted.replace("tensorflow.", "tf.")
        elif dotted in kb.graph_builders or self._builder_base(call, scope):
            via = BUILDS_A_GRAPH  # `super().__init__(model_fn=...)` of an Estimator subclass too
        elif dotted in kb.eager_wrappers:
            for argument in functions:
                self.summary.eager_entries.extend(self._functions_held(argument, scope))
            return
        elif (isinstance(call.func, ast.Attribute) and call.func.attr in kb.graph_entry_methods
              and self.is_dataset(call.func.value, scope)):
            via = f"{TF_DATA} {call.func.attr}"
        elif isinstance(call.func, ast.Attribute) and call.func.attr in kb.keras_compiling_calls:
            self._compiled_call(call.func, scope)
            return
        else:
            self._wrapper_entries(call, scope)
            return
        signature = via == TF_FUNCTION and "input_signature" in hybridizer_keywords(call)
        autograph = autograph_argument(call, {}) if via == TF_FUNCTION else None
        if via == TF_FUNCTION and functions and self.wraps_one_object(functions[0], scope):
            via = ONE_OBJECT
        for argument in functions:
            entry_via = via
            if isinstance(argument, ast.Lambda):  # ds.map(lambda v: f(v)): what the lambda calls is traced
                calls = self._lambda_callees(argument, scope)
                if via in (TF_FUNCTION, ONE_OBJECT):
                    entry_via = IN_TF_FUNCTION_LAMBDA
            else:
                calls = [(self.function_ref(argument, scope), None)]
            for ref, inner in calls:
                if ref:
                    entry = GraphEntry(ref, loc_of(call), entry_via, signature, autograph=autograph)
                    if inner is not None:
                        entry.lambda_positional = len(inner.args)
                        entry.lambda_keywords = {k.arg: isinstance(k.value, ast.Constant) and not k.value.value
                                                 for k in inner.keywords if k.arg}
                    self.summary.graph_entries.append(entry)

    def _compiled_call(self, method: ast.Attribute, scope: Scope) -> None:
        """``model.fit(...)`` & co.: the model's type and the method, resolved by the project."""
        receiver, name = method.value, method.attr
        own_class = str(NameRef(f"{self.module}.{scope.class_name}")) if scope.class_name else None
        receiver_type = self.type_of(receiver, scope)
        if receiver_type:
            self.summary.compiled_calls.append([receiver_type, name])
        elif is_self(receiver, scope) and own_class:
            self.summary.compiled_calls.append([own_class, name])
        elif is_super_call(receiver) and own_class:  # super().predict(...) in an override
            self.summary.compiled_calls.append([own_class, name, "super"])
        elif isinstance(receiver, ast.Call):  # BaseNet().fit(...)
            ref = self.callee_ref(receiver.func, scope)
            if is_a(ref, NameRef):
                self.summary.compiled_calls.append([ref, name])
        elif isinstance(receiver, ast.Attribute) and is_self(receiver.value, scope) and scope.class_name:
            # self.model.fit(...): typed by the class's attribute_types, resolved by the project
            self.summary.compiled_calls.append([str(AttrRef(self.module, scope.class_name, receiver.attr)), name])

    def _lambda_callees(self, function: ast.Lambda, scope: Scope) -> list[tuple[str, ast.Call]]:
        """References to what the calls in a lambda's body run (not calls of its own parameters), each with
        its first call there."""
        parameters = {arg.arg for node in ast.walk(function) if isinstance(node, ast.Lambda)
                      for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs,
                                  *(a for a in (node.args.vararg, node.args.kwarg) if a))}
        found: dict[str, ast.Call] = {}
        for node in ast.walk(function.body):
            if isinstance(node, ast.Call) and base_name(node.func) not in parameters:
                ref = self.callee_ref(node.func, scope)
                if ref and ref not in found:
                    found[ref] = node
        return list(found.items())

    def _functions_held(self, expr: ast.expr, scope: Scope, depth: int = 0) -> list[str]:
        """The functions ``expr`` may hold: a function's name, either branch of ``a if c else b``, or
        what a local name is assigned from (``fn = string_fn if s else int_fn``)."""
        if isinstance(expr, ast.IfExp):
            return self._functions_held(expr.body, scope, depth) + self._functions_held(expr.orelse, scope, depth)
        ref = self.function_ref(expr, scope)
        if ref or depth > 2 or not isinstance(expr, ast.Name):
            return [ref] if ref else []
        binding = self.binding_scope(expr.id, scope)
        if binding is None or binding.node is None:
            return []
        return [held for node in ast.walk(binding.node) if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
                for held in self._functions_held(node.value, binding, depth + 1)]

    def _builder_base(self, call: ast.Call, scope: Scope) -> bool:
        """``super().__init__(...)`` in a subclass of a class that builds a graph from the functions
        it is given (``tf.estimator.Estimator`` and its ``model_fn``)."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "__init__" and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "super" and scope.class_name):
            return False
        node = self.class_nodes.get(scope.class_name)
        return any(self.dotted(base, self.module_scope) in self.kb.graph_builders
                   for base in (node.bases if node is not None else []))

    def _wrapper_entries(self, call: ast.Call, scope: Scope) -> None:
        """``W(f)``, ``W(name, device, f)``: f runs as a graph if the project finds W wraps that argument."""
        wrapper = self.callee_ref(call.func, scope)
        if not is_a(wrapper, *_WRAPPER_REFS) or not self.maybe_function(wrapper):
            return
        arguments = [(str(index), value) for index, value in enumerate(call.args)]
        if arguments and _configures_a_decorator(call.func):  # W(autograph=False)(f): as @W(autograph=False)
            arguments[0] = ("@", call.args[0])
        arguments += [(k.arg, k.value) for k in call.keywords if k.arg]
        for argument, value in arguments:
            ref = self._wrapped_function_ref(value, scope)
            if ref and self._names_a_function(ref):
                self.summary.graph_entries.append(GraphEntry(
                    ref, loc_of(call), "wrapper", wrapper=wrapper, argument=argument,
                    autograph=autograph_argument(call, {})))

    def _wrapped_function_ref(self, value: ast.expr, scope: Scope) -> str | None:
        """``g``, ``self.step``, or ``agent.train`` with ``agent = Agent()``: a method of a known instance."""
        if not isinstance(value, (ast.Name, ast.Attribute)):
            return None
        ref = self.function_ref(value, scope)
        if ref is None and isinstance(value, ast.Attribute):
            method = self.callee_ref(value, scope)
            ref = method if is_a(method, InstanceRef) else None
        return ref

    def _names_a_function(self, ref: str) -> bool:
        """Not one of this module's variables, classes or instances: those are no functions to wrap."""
        own, dotted = f"{self.module}.", name_of(ref)
        return dotted is None or not dotted.startswith(own) or dotted[len(own):] in self.summary.aliases

    def decorator_wrapper_entry(self, decorator: ast.expr, function_ref: str, scope: Scope) -> None:
        """``@W`` or ``@W(...)`` on a def: the function is W's first argument (or that of what ``W(...)`` returns)."""
        wrapper = self.callee_ref(decorator, scope)
        if is_a(wrapper, *_WRAPPER_REFS) and self.maybe_function(wrapper):
            configured = isinstance(decorator, ast.Call)
            self.summary.graph_entries.append(GraphEntry(
                function_ref, loc_of(decorator), "wrapper", wrapper=wrapper, argument="@" if configured else "0",
                autograph=autograph_argument(decorator, {}) if configured else None))

    def wrapper_calls(self, scope: Scope, own: list, node: FunctionNode) -> list[WrapperCall]:
        """What the function returns that applies a callee to its own parameters: ``return tf.function(fn)``,
        ``return compile_fn(fn, **kw)``, ``wrapped = tf.function(*args); return wrapped``."""
        assigned = {target.id: statement.value for statement, _ in own
                    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                    for target in statement.targets if isinstance(target, ast.Name)}
        found: list[WrapperCall] = []
        for statement, _ in own:
            if not isinstance(statement, ast.Return) or statement.value is None:
                continue
            value = self._unwrapped(statement.value, scope)
            if isinstance(value, ast.Name) and value.id in assigned:
                value = self._unwrapped(assigned[value.id], scope)
            if isinstance(value, ast.Call):
                found.extend(self._applied_parameters(value, scope, node, assigned))
        return found

    def _unwrapped(self, value: ast.expr, scope: Scope) -> ast.expr:
        """``functools.wraps(fn)(tf.function(fn))`` returns its argument, with ``fn``'s name and docstring."""
        while isinstance(value, ast.Call) and isinstance(value.func, ast.Call) and len(value.args) == 1 \
                and self.qualified_name(value.func.func, scope) in self.kb.metadata_copiers:
            value = value.args[0]
        return value

    def _applied_parameters(self, call: ast.Call, scope: Scope, node: FunctionNode,
                            assigned: dict[str, ast.expr]) -> list[WrapperCall]:
        if self.kb.is_hybridizer(self.qualified_name(call.func, scope)):
            callee = str(NameRef("tensorflow.function"))
        else:
            callee = self.callee_ref(call.func, scope)
            if not is_a(callee, *_WRAPPER_REFS):
                return []
        receiver = scope.params[0] if scope.class_name and scope.params else None
        params = set(scope.params) - {receiver}
        variadic = node.args.vararg.arg if node.args.vararg else None
        autograph = autograph_argument(call, assigned)
        found = []
        for index, value in enumerate(call.args):
            if isinstance(value, ast.Starred) and isinstance(value.value, ast.Name) and value.value.id == variadic:
                if index == 0:
                    found.append(WrapperCall(callee, f"*{variadic}", "0", autograph))
                break
            if isinstance(value, ast.Name) and value.id in params:
                found.append(WrapperCall(callee, value.id, str(index), autograph))
        for keyword in call.keywords:
            if keyword.arg and isinstance(keyword.value, ast.Name) and keyword.value.id in params:
                found.append(WrapperCall(callee, keyword.value.id, keyword.arg, autograph))
        return found

    def hybrid_attribute(self, node: ast.stmt, scope: Scope) -> None:
        """``self.fn = tf.function(self.step)``: calls of ``self.fn`` are graph calls of ``self.step``."""
        value = getattr(node, "value", None)
        if not (isinstance(node, ast.Assign) and isinstance(value, ast.Call) and value.args and scope.class_name
                and self.kb.is_hybridizer(self.qualified_name(value.func, scope))):
            return
        ref = self.function_ref(value.args[0], scope)
        for target in node.targets:
            if ref and is_self(getattr(target, "value", None), scope) and isinstance(target, ast.Attribute):
                self.summary.hybrid_wrappers[str(MethodRef(self.module, scope.class_name, target.attr))] = ref

    def stored_function(self, node: ast.stmt, scope: Scope) -> None:
        """``self.fn = f``, ``self.post = self._default_post`` or ``fns = (init, update)``: a function kept on an
        object or in a structure, whose calls (``self.fn(x)``, ``fns[1](x)``) the call graph does not follow."""
        if not isinstance(node, ast.Assign):
            return
        if any(isinstance(t, ast.Attribute) for t in node.targets):
            ref = self.function_ref(node.value, scope)
            if ref:
                self.summary.stored_functions.append(ref)
        self.summary.stored_functions.extend(self.functions_in_display(node.value, scope))

    def functions_in_display(self, expr: ast.expr, scope: Scope) -> list[str]:
        """Refs of the functions written as elements of a tuple, list or dict display."""
        elements = expr.values if isinstance(expr, ast.Dict) else expr.elts \
            if isinstance(expr, (ast.Tuple, ast.List)) else []
        return [ref for element in elements for ref in [self.function_ref(element, scope)] if ref]

    def wraps_one_object(self, wrapped: ast.expr, scope: Scope) -> bool:
        """``tf.function(self.step)``, ``tf.function(model)``, ``tf.function(model.call)``: a tf.function of
        one object's method, not of the function every instance of its class shares."""
        if isinstance(wrapped, ast.Attribute):
            owner = wrapped.value
            if is_self(owner, scope) or (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name)
                                          and owner.func.id == "super"):
                return True
            return isinstance(owner, ast.Name) and self.type_of(owner, scope) is not None \
                and not self.is_module_reference(owner, scope)
        return isinstance(wrapped, ast.Name) and self.type_of(wrapped, scope) is not None

    def hybrid_object_use(self, call: ast.Call, scope: Scope) -> None:
        """``isinstance(f, tf.types.experimental.PolymorphicFunction)``: code that needs ``f`` to stay a tf.function."""
        if len(call.args) == 2 and self.dotted(call.func, scope) == "builtins.isinstance":
            types = call.args[1].elts if isinstance(call.args[1], ast.Tuple) else [call.args[1]]
            if any(self.dotted(t, scope) in self.kb.hybrid_object_types for t in types
                   if isinstance(t, (ast.Name, ast.Attribute))):
                self._used_as_hybrid(call.args[0], scope)

    def hybrid_object_attributes(self, nodes: Iterable, scope: Scope) -> None:
        """``f.get_concrete_function(...)``, ``f.python_function``: attributes only a tf.function has."""
        attributes = self.kb.hybrid_object_attributes
        if not self.may_mention(attributes):
            return
        for node, _ in nodes:
            if isinstance(node, ast.Attribute) and node.attr in attributes:
                self._used_as_hybrid(node.value, scope)

    def _used_as_hybrid(self, expr: ast.expr, scope: Scope) -> None:
        if isinstance(expr, ast.Call) and expr.args and self.kb.is_hybridizer(self.dotted(expr.func, scope)):
            expr = expr.args[0]  # `tf.function(f).get_concrete_function(...)`
        ref = self.function_ref(expr, scope)
        if ref and ref not in self.summary.hybrid_object_uses:
            self.summary.hybrid_object_uses.append(ref)


# tf.function's leading parameters, for arguments given by position: `@tf.function(None, [spec])`.
_TF_FUNCTION_PARAMETERS = ("func", "input_signature", "autograph", "jit_compile", "reduce_retracing")


def hybridizer_keywords(decorator: ast.Call) -> list[str]:
    """The options a ``tf.function(...)`` decorator sets, by keyword or by position (None sets nothing,
    nor does False for the options that are off by default)."""
    named = [k.arg for k in decorator.keywords if k.arg and not _unset_option(k.arg, k.value)]
    positional = [name for name, value in zip(_TF_FUNCTION_PARAMETERS, decorator.args)
                  if not _unset_option(name, value)]
    return named + [name for name in positional if name != "func" and name not in named]


_OFF_BY_DEFAULT = frozenset({"jit_compile", "reduce_retracing", "experimental_relax_shapes"})


def _unset_option(name: str, value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and (value.value is None or (value.value is False
                                                                        and name in _OFF_BY_DEFAULT))


def autograph_argument(call: ast.Call, assigned: dict[str, ast.expr]) -> bool | None:
    """What ``autograph=`` a call passes: a constant, or ``kwargs.pop("autograph", False)``'s default."""
    for keyword in call.keywords:
        if keyword.arg != "autograph":
            continue
        value = keyword.value
        if isinstance(value, ast.Name) and isinstance(assigned.get(value.id), ast.Call):
            popped = assigned[value.id]
            if isinstance(popped.func, ast.Attribute) and popped.func.attr in ("pop", "get") \
                    and len(popped.args) == 2 and isinstance(popped.args[0], ast.Constant) \
                    and popped.args[0].value == "autograph":
                value = popped.args[1]
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            return value.value
    return None


def _configures_a_decorator(expr: ast.expr) -> bool:
    """``W(autograph=False)``: a call with options only, whose result decorates (``tf.function(f)`` wraps f)."""
    return isinstance(expr, ast.Call) and not expr.args and not any(k.arg == "func" for k in expr.keywords)
