"""The call graph: which functions each call site may run, who calls each function, recursion.

Turns the call references of the summaries into targets: methods dispatched along the MRO of every
subclass (``self.NAME()``, ``super()``), constructors, callable objects (a Keras layer's
``__call__`` runs its ``call``), custom decorators' wrappers, methods of objects callers pass in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable, Iterator

from .summary import CallSite, FunctionSummary
from .symbols import ClassId, FunctionId, Symbol, SymbolTable, nested_in
from .refs import SELF_CALLS, AttrRef, FunctionRef, InstanceRef, MethodRef, NameRef, ParamRef, SuperRef, name_of, parse
from .values import call_atom, call_result_of, global_of


@dataclass(frozen=True)
class Target:
    """A function a call site may run, and how the call binds its first parameter."""

    function: FunctionId
    binding: str  # "plain" | "bound" (first parameter is the receiver) | "constructor" (a fresh object)
    # The receiver's exact class when the call site knows it (``Sub()``, ``x = Sub(); x.run()``): then
    # ``self.NAME()`` inside runs that class's NAME, not an override of a sibling class.
    receiver_class: ClassId | None = None


def value_parameters(info: FunctionSummary, binding: str) -> list[str]:
    """Parameters a call's arguments bind: without the receiver of a bound method or constructor."""
    return info.params[1:] if binding in ("bound", "constructor") else list(info.params)


def call_arguments(info: FunctionSummary, target: Target, site: CallSite) -> Iterator[tuple[str, int | str, list[str]]]:
    """(parameter, position or keyword, abstract value) for every argument of ``site`` calling ``info``."""
    params = value_parameters(info, target.binding)
    for index, atoms in enumerate(site.arg_values):
        if index < len(params):
            yield params[index], index, atoms
    for name, atoms in site.keyword_values.items():
        yield name, name, atoms


class CallGraph(SymbolTable):
    """Call resolution over the project's symbols: targets of references, edges, callers, reachability."""

    # -- call resolution --------------------------------------------------

    def resolve_ref(self, ref: str) -> list[Target]:
        """The functions a call through ``ref`` may run (memoised until the summaries change)."""
        found = self._resolved_refs.get(ref)
        if found is None:
            if ref in self._refs_being_resolved:
                return []  # resolves through itself (``self.fn = tf.function(self.fn)``): nothing more to find
            self._refs_being_resolved.add(ref)
            try:
                found = self._resolved_refs[ref] = tuple(self._resolve_ref(ref))
            finally:
                self._refs_being_resolved.discard(ref)
        return list(found)

    @cached_property
    def _resolved_refs(self) -> dict[str, tuple[Target, ...]]:
        return {}

    @cached_property
    def _refs_being_resolved(self) -> set[str]:
        """Refs whose resolution is under way: a cycle of wrappers (an attribute wrapped in a tf.function
        of itself, or two wrapping each other) ends there instead of recursing."""
        return set()

    def _resolve_ref(self, ref: str) -> list[Target]:
        parsed = parse(ref)
        if isinstance(parsed, FunctionRef):
            return self._method_targets([parsed.function], "plain")
        if isinstance(parsed, NameRef):
            return self._targets_of_symbol(self.resolve_symbol(parsed.dotted))
        if isinstance(parsed, SELF_CALLS):
            found = self._dispatch(parsed.owner, parsed.name, super_call=isinstance(parsed, SuperRef))
            if found:
                return self._method_targets(found, "bound")
            wrapped = self.hybrid_wrappers.get(ref)  # self.fn = tf.function(self.step); self.fn(x)
            if wrapped:
                return self.resolve_ref(wrapped)
            typeref = self.attribute_type(parsed.owner, parsed.name) if isinstance(parsed, MethodRef) else None
            return self._instance_call(typeref, "__call__") if typeref else []  # self.layer(x)
        if isinstance(parsed, AttrRef) and parsed.method is not None:
            typeref = self.attribute_type(parsed.owner, parsed.attribute)
            return self._instance_call(typeref, parsed.method) if typeref else []
        if isinstance(parsed, InstanceRef):
            return self._instance_call(parsed.typeref, parsed.method)
        return []

    def _dispatch(self, cls: ClassId, name: str, super_call: bool) -> list[FunctionId]:
        """The methods ``self.NAME()`` (or ``super().NAME()``) in a method of ``cls`` may run.

        ``self`` may be an instance of any project subclass of ``cls``: ``self.NAME`` is looked up
        along each one's MRO (an override in a subclass runs), and ``super().NAME`` continues along
        each one's MRO after ``cls`` (cooperative ``super()`` in a diamond). An over-approximation:
        every subclass is assumed to be instantiated.
        """
        after = cls if super_call else None
        found: list[FunctionId] = []
        for sub in [cls, *self.subclasses.get(cls, [])]:
            method = self.lookup_method(sub, name, after) if super_call else self.instance_method(sub, name)
            if method is not None and method not in found:
                found.append(method)
        return found

    def calls_self(self, function: FunctionId) -> bool:
        """Whether ``function`` calls ``self.NAME()`` or ``super().NAME()``: what it runs depends on the receiver."""
        return function in self._self_callers

    @cached_property
    def _self_callers(self) -> frozenset[FunctionId]:
        return frozenset((summary.module, qualname) for summary in self.summaries.values()
                         for qualname, info in summary.functions.items()
                         if any(isinstance(parse(ref), SELF_CALLS) for site in info.calls for ref in site.callees))

    def calls_with_receiver(self, function: FunctionId,
                            receiver: ClassId | None) -> list[tuple[CallSite, list[Target]]]:
        """``function``'s call-graph edges when ``self`` is exactly a ``receiver`` (None: any class)."""
        edges = self.call_graph.get(function, [])
        if receiver is None or not self.calls_self(function):
            return edges
        key = (function, receiver)
        found = self._receiver_edges.get(key)
        if found is None:
            found = self._receiver_edges[key] = [(site, self._receiver_call_targets(site, targets, receiver))
                                                 for site, targets in edges]
        return found

    @cached_property
    def _receiver_edges(self) -> dict[tuple[FunctionId, ClassId], list[tuple[CallSite, list[Target]]]]:
        return {}

    def _receiver_call_targets(self, site: CallSite, targets: list[Target], receiver: ClassId) -> list[Target]:
        """``targets`` of a call in a method, with its ``self``/``super()`` calls resolved for ``receiver``."""
        general: list[Target] = []
        special: list[Target] = []
        for ref in site.callees:
            resolved = self.receiver_targets(ref, receiver)
            if resolved is not None:
                general.extend(self.resolve_ref(ref))
                special.extend(resolved)
        dispatched = {t.function for t in general}
        if not any(t.function in dispatched for t in targets):
            return targets  # e.g. the edge of a parameter's method (``e.predict(t)``) at the same site
        return [t for t in targets if t.function not in dispatched] + special

    def _method_targets(self, functions: list[FunctionId], binding: str,
                        receiver: ClassId | None = None) -> list[Target]:
        """Targets for calls of ``functions``; ``@staticmethod``/``@classmethod`` decide the binding.

        A property is none: ``self.decoder(x)`` calls the value its getter returns (unknown here), and
        the function of that name may even be its setter (the last ``def decoder``), run only on assignment."""
        targets: list[Target] = []
        for function in functions:
            info = self.function(function)
            kind = info.method_kind if info else "instance"
            if kind == "property":
                continue
            bound = "plain" if kind == "static" else "bound" if kind == "class" else binding
            targets.extend(self._with_wrappers(Target(function, bound, receiver if bound != "plain" else None)))
        return targets

    def receiver_targets(self, ref: str, receiver: ClassId) -> list[Target] | None:
        """What ``self.NAME()``/``super().NAME()`` (``ref``) runs when ``self`` is exactly a ``receiver``:
        the method along that class's MRO only, not the overrides of its sibling classes.
        None when ``ref`` is no such call, or ``receiver`` is no subclass of the class it is written in."""
        parsed = parse(ref)
        if not isinstance(parsed, SELF_CALLS):
            return None
        owner, name, via_super = parsed.owner, parsed.name, isinstance(parsed, SuperRef)
        if receiver not in self.subclasses.get(owner, ()) or not self._dispatch(owner, name, super_call=via_super):
            return None
        found = self.lookup_method(receiver, name, owner) if via_super else self.instance_method(receiver, name)
        return self._method_targets([found], "bound", receiver) if found else []

    def _instance_call(self, typeref: str, name: str) -> list[Target]:
        cls = self.class_of_typeref(typeref)
        if cls is None:
            symbol = self.instance_of(typeref, 0) if name == "__call__" else None
            return self._targets_of_symbol(symbol) if symbol and symbol.kind == "result" else []
        found = self.call_method(cls, name)
        return self._method_targets([found], "bound", cls) if found else []

    def _targets_of_symbol(self, symbol: Symbol | None) -> list[Target]:
        if symbol is None:
            return []
        if symbol.kind in ("function", "method"):
            function = (symbol.module, symbol.qualname)
            info = self.function(function)
            if info is None:
                return []
            return self._method_targets([function], "bound" if symbol.kind == "method" else "plain")
        if symbol.kind == "class":
            cls = (symbol.module, symbol.qualname)
            init = self.lookup_method(cls, "__init__")
            return [Target(init, "constructor", cls)] if init else []
        if symbol.kind == "instance" and symbol.qualname:
            cls = (symbol.module, symbol.qualname)
            found = self.call_method(cls, "__call__")
            return self._method_targets([found], "bound", cls) if found else []
        if symbol.kind == "result":  # calling what a factory returned runs the functions it returns
            info = self.function((symbol.module, symbol.qualname))
            returned = [parse(ref).function for ref in info.returned_functions] if info else []
            return self._method_targets([f for f in returned if self.function(f)], "plain")
        return []

    def _with_wrappers(self, target: Target) -> list[Target]:
        """A function with custom decorators also runs their wrapper functions."""
        info = self.function(target.function)
        targets = [target]
        for decorator in info.decorators if info else []:
            parsed = parse(decorator)
            for resolved in self.resolve_ref(decorator) if not isinstance(parsed, FunctionRef) else \
                    [Target(parsed.function, "plain")]:
                targets.extend(Target(wrapper, "plain") for wrapper in self._wrappers_made_by(resolved.function))
        return targets

    def _wrappers_made_by(self, decorator: FunctionId) -> list[FunctionId]:
        """The functions a decorator puts in place of the one it decorates. A decorator usable with
        and without parentheses (``if target is None: return decorator`` / ``return
        decorator(target)``) returns its inner decorator only when given no function; applied to one,
        it returns what that inner decorator makes, and the inner decorator runs once, at import."""
        source = self.function(decorator)
        wrappers: list[FunctionId] = []
        for wrapper in source.returned_functions if source else []:
            inner = self.function(parse(wrapper).function)
            if call_atom(wrapper) in source.returns and inner is not None:
                wrappers.extend(parse(made).function for made in inner.returned_functions)
            else:
                wrappers.append(parse(wrapper).function)
        return wrappers

    @cached_property
    def call_graph(self) -> dict[FunctionId, list[tuple[CallSite, list[Target]]]]:
        graph: dict[FunctionId, list[tuple[CallSite, list[Target]]]] = {}
        deferred: list[tuple[FunctionId, CallSite, list[str]]] = []
        for summary in self.summaries.values():
            for qualname, info in summary.functions.items():
                edges = []
                caller = (summary.module, qualname)
                handed = {site.loc for site in info.calls if site.passed}
                storing = {site.loc for site in info.calls
                           if site.loc in handed and not site.passed and self._only_stores(site)}
                for site in info.calls:
                    if site.passed and site.loc in storing:
                        continue  # `Exported(..., get_vjp=helper)`: kept in a field, run when asked for
                    targets = [t for ref in site.callees for t in self._self_call_targets(ref, caller)]
                    if targets:
                        edges.append((site, targets))
                    parameter_refs = [ref for ref in site.callees if isinstance(parse(ref), ParamRef)]
                    if parameter_refs:
                        deferred.append(((summary.module, qualname), site, parameter_refs))
                graph[caller] = edges
        self._add_parameter_calls(graph, deferred)
        return graph

    def _only_stores(self, site: CallSite) -> bool:
        """The site constructs a project dataclass with no ``__init__`` or ``__post_init__`` of its own anywhere
        in its MRO: the generated ``__init__`` stores what it is given, a function too, and calls nothing."""
        name = name_of(site.callees[0]) if len(site.callees) == 1 else None
        symbol = self.resolve_symbol(name) if name else None
        if symbol is None or symbol.kind != "class":
            return False
        for klass in self.mro((symbol.module, symbol.qualname)):
            if isinstance(klass, str):
                if klass != "builtins.object":
                    return False
                continue
            info = self.class_info(klass)
            if info is None or {"__init__", "__post_init__"} & set(info.methods):
                return False
        info = self.class_info((symbol.module, symbol.qualname))
        plain = self.knowledge.plain_class_decorators
        return info is not None and any(name in plain for name in self.decorator_names(info))

    def _self_call_targets(self, ref: str, caller: FunctionId) -> list[Target]:
        """What ``ref`` runs when ``caller`` calls it. For ``self.NAME()`` in a method ``C.f``: the override
        of NAME of each class whose objects run ``C.f`` itself. A subclass that overrides ``f`` too never
        gets here, so its override of NAME is not a target of this call."""
        targets = self.resolve_ref(ref)
        parsed = parse(ref)
        if not isinstance(parsed, MethodRef):
            return targets
        method, running = self._running_method(caller, parsed.owner)
        receivers = [sub for sub in dict.fromkeys([parsed.owner, *self.subclasses.get(parsed.owner, [])])
                     if self.instance_method(sub, method) == running]
        if not receivers:
            return targets  # a function nested in the method, or objects that replace their methods
        candidates = set(self._dispatch(parsed.owner, parsed.name, super_call=False))
        runs: dict[FunctionId | None, list[ClassId]] = {}
        for sub in receivers:
            runs.setdefault(self.instance_method(sub, parsed.name), []).append(sub)
        # where one class alone runs a method this way, ``self`` in it is exactly that class: its own
        # ``self.g()`` calls follow that class's MRO, not a sibling's override (``Base.get_next`` called
        # from ``TFBuffer`` reaches ``TFBuffer._get_next``, not ``PyBuffer._get_next``)
        return [replace(t, receiver_class=runs[t.function][0])
                if t.receiver_class is None and t.binding == "bound" and len(runs.get(t.function, ())) == 1 else t
                for t in targets if t.function not in candidates or t.function in runs]

    @staticmethod
    def _running_method(caller: FunctionId, owner: ClassId) -> tuple[str, FunctionId]:
        """The method of ``owner`` whose call runs ``caller``, and its name: ``caller`` itself, or the
        method a nested function of it (``C.decode_loop.body``) belongs to."""
        if nested_in(caller, owner):
            method = caller[1][len(owner[1]) + 1:].split(".", 1)[0]
            return method, (caller[0], f"{owner[1]}.{method}")
        return caller[1].rsplit(".", 1)[-1], caller

    def _add_parameter_calls(self, graph, deferred) -> None:
        """``e.predict(t)`` on a parameter runs the method of whatever object callers pass as ``e``."""
        if not deferred:
            return
        passed: dict[FunctionId, list[tuple[CallSite, Target]]] = {}
        sites = [site for edges in graph.values() for site, _ in edges]
        sites += [site for summary in self.summaries.values() for site in summary.module_calls]
        for site in sites:
            for ref in site.callees:
                for target in self.resolve_ref(ref):
                    passed.setdefault(target.function, []).append((site, target))
        for function, site, refs in deferred:
            info = self.function(function)
            targets: list[Target] = []
            for ref in refs:
                param, method = parse(ref).param, parse(ref).method
                for caller_site, target in passed.get(function, []):
                    for cls in self._argument_classes(info, target, caller_site, param):
                        found = self.call_method(cls, method)
                        if found and all(t.function != found for t in targets):
                            targets.extend(self._method_targets([found], "bound"))
            if targets:
                graph[function].append((site, targets))

    def _argument_classes(self, info: FunctionSummary | None, target: Target, site: CallSite,
                          param: str) -> list[ClassId]:
        if info is None or param not in info.params or site.passed:
            return []
        atoms = next((atoms for name, _, atoms in call_arguments(info, target, site) if name == param), [])
        classes = []
        for atom in atoms:
            cls = self.class_of_value(atom)
            if cls is not None:
                classes.append(cls)
        return classes

    def class_of_value(self, atom: str) -> ClassId | None:
        """The project class of ``Estimator()`` (``r:name:...``) or of a module-level instance (``n:...``)."""
        dotted = global_of(atom)
        if dotted is None:
            dotted = name_of(call_result_of(atom))
        if dotted is None:
            return None
        symbol = self.resolve_symbol(dotted)
        if symbol is not None and symbol.kind in ("class", "instance") and symbol.qualname:
            return (symbol.module, symbol.qualname)
        return None

    @cached_property
    def callers(self) -> dict[FunctionId, list[tuple[FunctionId | None, CallSite]]]:
        """Who calls each function, and where (None: module top level)."""
        found: dict[FunctionId, list[tuple[FunctionId | None, CallSite]]] = {}
        for caller, edges in self.call_graph.items():
            for site, targets in edges:
                for target in targets:
                    found.setdefault(target.function, []).append((caller, site))
        for summary in self.summaries.values():
            for site in summary.module_calls:
                for ref in site.callees:
                    for target in self.resolve_ref(ref):
                        found.setdefault(target.function, []).append((None, site))
        return found

    @cached_property
    def hybrid_wrappers(self) -> dict[str, str]:
        """Refs of tf.functions wrapping one object's method (``fast = tf.function(model)``) → the wrapped ref."""
        return {ref: wrapped for s in self.summaries.values() for ref, wrapped in s.hybrid_wrappers.items()}

    def reachable(self, starts, stop=None, follow=None) -> set[FunctionId]:
        """``starts`` and every function they call, transitively; ``stop(function)``: not entered;
        ``follow(site, target)``: whether that call is followed (all are by default)."""
        reached: set[FunctionId] = set()
        stack = list(starts)
        while stack:
            function = stack.pop()
            if function not in reached and not (stop and stop(function)):
                reached.add(function)
                stack.extend(t.function for site, targets in self.call_graph.get(function, []) for t in targets
                             if follow is None or follow(site, t))
        return reached

    def callers_lead_to(self, function: FunctionId, ends: Callable[[FunctionId], bool],
                        allows: Callable[[FunctionId, CallSite], bool]) -> bool:
        """Every chain of callers up from ``function`` reaches a function ``ends`` accepts, through calls
        ``allows`` accepts (given the caller and the site): no module-level call, no call of it as a value
        (``map(f)``, whose caller is unseen; control flow's ``tf.while_loop(cond, body)`` runs ``body``
        then and there), and no function on the way that nothing calls."""
        seen: set[FunctionId] = set()
        stack = [function]
        while stack:
            current = stack.pop()
            if current in seen or ends(current):
                continue
            seen.add(current)
            callers = self.callers.get(current, [])
            if not callers or any(caller is None or (site.passed and not site.runs_now) or not allows(caller, site)
                                  for caller, site in callers):
                return False
            stack.extend(caller for caller, _ in callers)
        return True

    @cached_property
    def components(self) -> list[list[FunctionId]]:
        """The call graph's strongly connected components (recursion), callees first."""
        return strongly_connected_components(self.call_graph)


def strongly_connected_components(graph) -> list[list[FunctionId]]:
    """Tarjan's algorithm, iterative; components come out callees first."""
    index: dict[FunctionId, int] = {}
    low: dict[FunctionId, int] = {}
    on_stack: set[FunctionId] = set()
    stack: list[FunctionId] = []
    components: list[list[FunctionId]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter([t.function for _, ts in graph.get(start, []) for t in ts]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter([t.function for _, ts in graph.get(child, []) for t in ts])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
