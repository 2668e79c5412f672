"""Names, references and localities inside one module, as the summariser resolves them.

The public interface the intraprocedural inference (values, dtypes, tensor facts) depends on:
:class:`Scope` is a function being analysed with what its body binds, :class:`Resolver` answers
what a name or expression stands for from a scope (an imported dotted name, a reference to a
function, class or method, whose object it is). The summariser is a :class:`Resolver`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..knowledge import KnowledgeBase
from .names import ImportBindings
from .refs import (AttrRef, FunctionRef, InstanceRef, MethodRef, NameRef, ParamRef, SuperRef, is_a, name_of,
                   parse)
from .summary import CAPTURED, LOCAL, FunctionNode, Locality, ModuleSummary


@dataclass
class Scope:
    """A function being analysed, with what its body binds."""

    node: FunctionNode | None  # None for the module's top level
    qualname: str
    class_name: str | None
    parent: "Scope | None"
    params: list[str] = field(default_factory=list)
    locals: frozenset[str] = frozenset()
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    nested: dict[str, str] = field(default_factory=dict)  # nested def name → qualname
    imports: dict[str, str] = field(default_factory=dict)  # name bound only by an import here → dotted name
    types: dict[str, str] = field(default_factory=dict)  # local name → TYPEREF
    localities: dict[str, str] = field(default_factory=dict)
    datasets: set[str] = field(default_factory=set)
    python_iterators: set[str] = field(default_factory=set)
    python_collections: set[str] = field(default_factory=set)
    values: dict[str, frozenset[str]] = field(default_factory=dict)
    # bound by unpacking a structure (`x, _ = prepare(x, None)`): each holds every element's atoms
    unpacked: set[str] = field(default_factory=set)
    varying_batch_names: set[str] = field(default_factory=set)
    restored_flags: list[ast.expr] = field(default_factory=list)  # set and set back: re-entry guards
    restored_places: list[ast.expr] = field(default_factory=list)  # saved and put back: scoped state

    def binds(self, name: str) -> bool:
        return name in self.params or name in self.locals or name in self.nested


class Resolver:
    """Resolution of names from a scope, for one module (its summary, imports and top-level names)."""

    def __init__(self, summary: ModuleSummary, bindings: ImportBindings, kb: KnowledgeBase):
        self.summary = summary
        self.bindings = bindings
        self.kb = kb
        self.module = summary.module
        self.top_defs: dict[str, str] = {}
        self.top_classes: set[str] = set()
        self.structure_classes: set[str] = set()  # top-level named-tuple classes (see builds_a_structure)
        self.module_scope = Scope(None, "", None, None)

    def dotted(self, expr: ast.expr, scope: Scope) -> str | None:
        """The imported/builtin dotted name of ``expr`` unless a local shadows it."""
        dotted = self.qualified_name(expr, scope)
        return self.kb.canonical(dotted) if dotted else None

    def qualified_name(self, expr: ast.expr, scope: Scope) -> str | None:
        """Like ``ImportBindings.qualified_name``, through the imports of enclosing functions too."""
        base = base_name(expr)
        if base is not None:
            imported = self.import_of(base, scope)
            if imported is not None:
                attributes = []
                while isinstance(expr, ast.Attribute):
                    attributes.append(expr.attr)
                    expr = expr.value
                return ".".join([imported, *reversed(attributes)])
            if self.shadowed(base, scope):
                return None
        return self.bindings.qualified_name(expr)

    def import_of(self, name: str, scope: Scope | None) -> str | None:
        """The dotted name ``name`` stands for when an enclosing function binds it by an ``import``."""
        while scope is not None and scope.node is not None:
            if name in scope.globals:
                return None
            if name in scope.imports:
                return scope.imports[name]
            if scope.binds(name):
                return None
            scope = scope.parent
        return None

    def binding_scope(self, name: str, scope: Scope | None) -> Scope | None:
        """The enclosing function scope that binds ``name`` (None: it is a module-level name)."""
        while scope is not None and scope.node is not None:
            if name in scope.globals:
                return None
            if scope.binds(name):
                return scope
            scope = scope.parent
        return None

    def receiver_class(self, expr: ast.expr, scope: Scope) -> str | None:
        """The class of the method whose ``self`` (or ``cls``) ``expr`` is: the method's own, or the one a
        nested function captures (a ``tf.while_loop`` body or a ``strategy.run`` step calling
        ``self.call_with_cache``), when no scope in between binds the name again."""
        if not isinstance(expr, ast.Name):
            return None
        owner = self.binding_scope(expr.id, scope)
        return owner.class_name if owner is not None and is_self(expr, owner) else None

    def shadowed(self, name: str, scope: Scope | None) -> bool:
        return self.binding_scope(name, scope) is not None

    def callee_ref(self, expr: ast.expr, scope: Scope) -> str | None:
        """A reference to what calling ``expr`` runs (function, constructor or method)."""
        if isinstance(expr, ast.Name):
            return self.name_ref(expr.id, scope)
        if isinstance(expr, ast.Call):  # Scaler(3)(x), make_recorder()(x): call what the inner call returns
            if len(expr.args) == 2 and self.dotted(expr.func, scope) in self.kb.type_casts:
                return self.callee_ref(expr.args[1], scope)  # cast(Callable, f)(x) calls f
            inner = self.callee_ref(expr.func, scope)
            return str(InstanceRef(inner, "__call__")) if is_a(inner, NameRef, FunctionRef) else None
        if not isinstance(expr, ast.Attribute):
            return None
        value = expr.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super" \
                and scope.class_name:
            return str(SuperRef(self.module, scope.class_name, expr.attr))
        owner = self.receiver_class(value, scope)
        if owner:
            return str(MethodRef(self.module, owner, expr.attr))
        owner = self.receiver_class(value.value, scope) if isinstance(value, ast.Attribute) else None
        if owner:
            return str(AttrRef(self.module, owner, value.attr, expr.attr))
        if isinstance(value, ast.Call):  # Estimator().predict(x): a method of what the inner call makes
            inner = self.callee_ref(value.func, scope)
            return str(InstanceRef(inner, expr.attr)) if is_a(inner, NameRef, FunctionRef) else None
        if isinstance(value, ast.Name):
            local_type = self.local_type(value.id, scope)
            if local_type:
                return str(InstanceRef(local_type, expr.attr))
            if value.id in scope.params and scope.node is not None and not is_self(value, scope):
                return str(ParamRef(value.id, expr.attr))  # resolved through what callers pass
        base = self.callee_ref(value, scope) if isinstance(value, (ast.Name, ast.Attribute)) else None
        base_ref = parse(base) if base else None
        if isinstance(base_ref, NameRef):
            return str(base_ref.attribute(expr.attr))
        return None

    def name_ref(self, name: str, scope: Scope) -> str | None:
        current: Scope | None = scope
        while current is not None and current.node is not None:
            if name in current.globals:
                break
            if name in current.nested:
                return str(FunctionRef(self.module, current.nested[name]))
            if name in current.imports:
                return str(NameRef(self.kb.canonical(current.imports[name])))
            if current.binds(name):
                local_type = current.types.get(name)
                return str(InstanceRef(local_type, "__call__")) if local_type else None
            current = current.parent
        if name in self.top_defs:
            return str(FunctionRef(self.module, name))
        if name in self.top_classes or name in self.summary.instances or name in self.summary.aliases:
            return str(NameRef(f"{self.module}.{name}"))
        dotted = self.bindings.qualified_name(ast.Name(name, ast.Load()))
        if dotted:
            return str(NameRef(self.kb.canonical(dotted)))
        return str(NameRef(f"{self.module}.{name}"))  # maybe defined later or via a star import

    def builds_a_structure(self, func: ast.expr, scope: Scope) -> bool:
        """``State(time=t, context=c)`` of a named tuple defined at this module's top level: the
        result is a tuple of its arguments (a structure of tensors when they are tensors)."""
        return isinstance(func, ast.Name) and func.id in self.structure_classes \
            and self.callee_ref(func, scope) == str(NameRef(f"{self.module}.{func.id}"))

    def function_ref(self, expr: ast.expr, scope: Scope) -> str | None:
        """A reference when ``expr`` denotes a function value (not a call)."""
        if isinstance(expr, ast.Name):
            ref = self.name_ref(expr.id, scope)
            return ref if ref and (is_a(ref, FunctionRef) or self.maybe_function(ref)) else None
        if isinstance(expr, ast.Attribute):
            ref = self.callee_ref(expr, scope)
            return ref if is_a(ref, MethodRef, NameRef) and self.maybe_function(ref) else None
        if isinstance(expr, ast.Call) and self.qualified_name(expr.func, scope) == "functools.partial" and expr.args:
            return self.function_ref(expr.args[0], scope)
        return None

    def maybe_function(self, ref: str) -> bool:
        """Project-level resolution decides; skip obvious non-functions (TensorFlow, builtins)."""
        dotted = name_of(ref)
        if dotted is not None:
            return not (dotted.startswith("builtins.") or self.kb.is_tensorflow(dotted))
        return True

    def local_type(self, name: str, scope: Scope) -> str | None:
        binding = self.binding_scope(name, scope)
        return binding.types.get(name) if binding is not None else None

    def type_of(self, expr: ast.expr, scope: Scope) -> str | None:
        if isinstance(expr, ast.Name):
            local = self.local_type(expr.id, scope)
            if local:
                return local
            if not self.shadowed(expr.id, scope) and expr.id in self.summary.instances:
                return self.summary.instances[expr.id]
        return None

    def factory_refs(self, factories: frozenset[str]) -> set[str]:
        return {str(NameRef(name)) for name in factories}

    def locality(self, expr: ast.expr, scope: Scope) -> str:
        while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Starred)):
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return LOCAL
        name = expr.id
        if scope.node is None:
            return CAPTURED
        if name in scope.globals:
            return CAPTURED
        if name in scope.nonlocals:
            return Locality.of_closure(name)
        if name in scope.params:
            keywords = scope.node.args.kwarg
            return LOCAL if keywords is not None and keywords.arg == name else Locality.of_param(name)  # a fresh dict
        if name in scope.locals or name in scope.nested:
            return scope.localities.get(name, LOCAL)
        parent = scope.parent
        while parent is not None and parent.node is not None:
            if parent.binds(name):
                return Locality.of_closure(name)
            parent = parent.parent
        return CAPTURED

    def receiver_locality(self, func: ast.expr, scope: Scope) -> str | None:
        """Whose object a call runs a method of: ``a`` in ``a.m()``, and ``obj`` itself in ``obj()``."""
        if isinstance(func, ast.Attribute):
            return self.locality(func.value, scope)
        if isinstance(func, ast.Name):  # a callable object's __call__ gets it as self
            return self.locality(func, scope)
        return None

    def is_module_reference(self, expr: ast.expr, scope: Scope) -> bool:
        """``np`` in ``np.append``: a module, not an object to mutate."""
        base = base_name(expr)
        if base is None:
            return False
        if self.import_of(base, scope) is not None:
            return is_plain_reference(expr)
        if self.shadowed(base, scope):
            return False
        return base in self.bindings.bindings and is_plain_reference(expr)

    def is_tensorflow_value(self, expr: ast.expr, scope: Scope) -> bool:
        local_type = self.type_of(expr, scope)
        return local_type is not None and self.kb.is_tensorflow(name_of(local_type) or local_type)

    def is_dataset(self, expr: ast.expr, scope: Scope) -> bool:
        while True:
            if isinstance(expr, ast.Name):
                if any(expr.id in s.datasets for s in self.visible_scopes(expr.id, scope)):
                    return True
                instance = self.summary.instances.get(expr.id, "")
                return (name_of(instance) or "").startswith(self.kb.dataset_modules)
            if isinstance(expr, ast.Call):
                dotted = self.dotted(expr.func, scope)
                if dotted and dotted.startswith(self.kb.dataset_modules):
                    return True
                if dotted == "builtins.iter" and expr.args:  # an iterator over a dataset yields tensors too
                    expr = expr.args[0]
                    continue
                if isinstance(expr.func, ast.Attribute):
                    expr = expr.func.value
                    continue
            return False

    def may_build_a_model(self, call: ast.Call, scope: Scope) -> bool:
        """A call of an object (``model(x)``, ``self.encoder(x)``), not of an import nor of a model method
        that leaves the weights unbuilt (``model.compile(...)``)."""
        if self.dotted(call.func, scope) is not None:
            return False
        return not (isinstance(call.func, ast.Attribute) and call.func.attr in self.kb.keras_non_building_methods)

    def builds_a_pipeline(self, call: ast.Call, scope: Scope) -> bool:
        """``dataset.map(fn).batch(n)`` describes a tf.data pipeline: nothing a graph of its caller would run
        faster (``fn`` runs in tf.data's graph whatever runs the caller); ``reduce`` runs it."""
        method = self.dataset_method(call, scope)
        return method is not None and method not in self.kb.dataset_running_methods

    def dataset_method(self, call: ast.Call, scope: Scope) -> str | None:
        """The method ``call`` calls on a tf.data dataset (``dataset.batch(32)``), if it is one."""
        method = call.func
        if isinstance(method, ast.Attribute) and not self.is_module_reference(method.value, scope) \
                and self.is_dataset(method.value, scope):
            return method.attr
        return None

    def is_python_iterator(self, call: ast.Call, scope: Scope) -> bool:
        dotted = self.dotted(call.func, scope)
        if dotted == "builtins.iter":
            return bool(call.args) and self.is_python_collection(call.args[0], scope)
        return dotted in self.kb.python_iterator_factories

    def is_python_collection(self, expr: ast.expr, scope: Scope) -> bool:
        """A list/tuple/set/dict display, comprehension or builtin collection: what ``iter()`` of is Python."""
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp)):
            return True
        if isinstance(expr, ast.Call):
            return self.dotted(expr.func, scope) in self.kb.python_collection_factories
        if isinstance(expr, ast.Name):
            return any(expr.id in s.python_collections for s in self.visible_scopes(expr.id, scope))
        return False

    def advances_python_iterator(self, argument: ast.expr, scope: Scope) -> bool:
        if isinstance(argument, ast.Call):
            return self.is_python_iterator(argument, scope)
        if isinstance(argument, ast.Name):
            return any(argument.id in s.python_iterators for s in self.visible_scopes(argument.id, scope))
        return False

    def visible_scopes(self, name: str, scope: Scope) -> list[Scope]:
        """The scope ``name`` resolves to from ``scope`` (enclosing functions, then the module)."""
        return [self.binding_scope(name, scope) or self.module_scope]


def is_self(expr: ast.expr, scope: Scope) -> bool:
    return isinstance(expr, ast.Name) and bool(scope.params) and expr.id == scope.params[0] \
        and scope.class_name is not None and expr.id in ("self", "cls")


def base_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def is_plain_reference(expr: ast.expr) -> bool:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return isinstance(expr, ast.Name)
