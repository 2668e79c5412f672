"""Symbol resolution and the class hierarchy: what a name or reference of the summaries names in the project.

Resolves dotted names and the references module summaries record: imports (absolute, relative,
aliased, wildcard, re-exported through ``__init__``), class members, module-level instances;
and orders each class's bases (its MRO) to look methods and attribute types up along it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..knowledge import KnowledgeBase
from .policy import HybridizationPolicy
from .refs import AttrRef, FunctionRef, NameRef, name_of, parse
from .summary import ClassSummary, FunctionSummary, ModuleSummary

FunctionId = tuple[str, str]  # (module, qualname)
ClassId = tuple[str, str]


def nested_in(inner: tuple[str, str], outer: tuple[str, str]) -> bool:
    """``inner`` (a function or class id) is defined inside ``outer``: same module, qualname under it."""
    return inner[0] == outer[0] and inner[1].startswith(outer[1] + ".")

_MAX_DEPTH = 25


@dataclass(frozen=True)
class Symbol:
    # function | method (a function reached through an instance: the call binds its first parameter)
    # | class | instance | module | external | result (what calling a function returns)
    kind: str
    module: str = ""
    qualname: str = ""
    dotted: str = ""  # for external symbols and instances of external classes


@dataclass
class SymbolTable:
    """The project's module summaries, and what their names and class hierarchies resolve to."""

    knowledge: KnowledgeBase
    summaries: dict[str, ModuleSummary] = field(default_factory=dict)
    policy: HybridizationPolicy = field(default_factory=HybridizationPolicy)

    def add(self, *summaries: ModuleSummary) -> None:
        """Add or replace module summaries; derived analyses are dropped once, however many."""
        for summary in summaries:
            self.summaries[summary.module] = summary
        for klass in type(self).__mro__:  # every derived fact, of every layer of the model, so none is forgotten
            for name, member in vars(klass).items():
                if isinstance(member, cached_property):
                    self.__dict__.pop(name, None)

    # -- symbols ----------------------------------------------------------

    def module_paths(self) -> dict[str, str]:
        """Module name → file path relative to the project root, for messages."""
        return {module: summary.path for module, summary in self.summaries.items() if summary.path}

    def place(self, module: str, line: int) -> str:
        """``path:line`` of a line of a module, for messages (the module's name when it has no path)."""
        summary = self.summaries.get(module)
        return f"{(summary.path if summary else '') or module}:{line}"

    def in_test_module(self, module: str) -> bool:
        """A test file, unless the policy asks to treat tests like other code (``hybridize-tests``)."""
        summary = self.summaries.get(module)
        return (not self.policy.hybridize_tests and summary is not None
                and self.policy.is_test_path(summary.path or module.replace(".", "/") + ".py"))

    def in_test_code(self, function: FunctionId | None) -> bool:
        """Test code (a test file, or a method of a test class), unless the policy asks to include it.

        Tests call functions once per case, with the literal values a case needs: what they do is no
        evidence of how often a function runs, or with which values, in the program."""
        return function is not None and not self.policy.hybridize_tests and (
            self.in_test_module(function[0]) or self.policy.is_test_function(function[1]))

    def function(self, function: FunctionId) -> FunctionSummary | None:
        summary = self.summaries.get(function[0])
        return summary.functions.get(function[1]) if summary else None

    def class_info(self, cls: ClassId) -> ClassSummary | None:
        summary = self.summaries.get(cls[0])
        return summary.classes.get(cls[1]) if summary else None

    def decorator_names(self, info: ClassSummary) -> list[str | None]:
        """What a class's decorators resolve to (``dataclasses.dataclass``); None where one cannot be named, ""
        for one of the project's own."""
        return [symbol.dotted if (name := name_of(ref)) is not None and (symbol := self.resolve_symbol(name))
                else None for ref in info.decorators]

    def resolve_symbol(self, dotted: str, depth: int = 0) -> Symbol | None:
        if depth > _MAX_DEPTH:
            return None
        if depth == 0:  # memoised: the analyses ask for the same names hundreds of thousands of times
            memo = self._resolved_symbols
            if dotted not in memo:
                memo[dotted] = self._resolve_symbol(dotted, 0)
            return memo[dotted]
        return self._resolve_symbol(dotted, depth)

    @cached_property
    def _resolved_symbols(self) -> dict[str, Symbol | None]:
        return {}

    def _resolve_symbol(self, dotted: str, depth: int) -> Symbol | None:
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.summaries:
                return self._resolve_in_module(module, parts[cut:], depth)
        return Symbol("external", dotted=self.knowledge.canonical(dotted))

    def _resolve_in_module(self, module: str, rest: list[str], depth: int) -> Symbol | None:
        if not rest:
            return Symbol("module", module)
        if depth > _MAX_DEPTH:
            return None
        summary = self.summaries[module]
        name, tail = rest[0], rest[1:]
        if name in summary.functions:
            return Symbol("function", module, name) if not tail else None
        if name in summary.classes:
            return self._member(Symbol("class", module, name), tail, depth)
        if name in summary.aliases:
            return self._member(self._symbol_of_ref(summary.aliases[name], depth + 1), tail, depth)
        if name in summary.instances:
            return self._member(self.instance_of(summary.instances[name], depth + 1), tail, depth)
        if name in summary.bindings:
            target = summary.bindings[name]
            if target != f"{module}.{name}":
                return self.resolve_symbol(".".join([target, *tail]), depth + 1)
        if f"{module}.{name}" in self.summaries:
            return self._resolve_in_module(f"{module}.{name}", tail, depth)
        for star in summary.star_imports:
            exported = self.summaries.get(star)
            if exported is None:
                continue
            if exported.all_names is not None:
                if name in exported.all_names:
                    return self._resolve_in_module(star, rest, depth + 1)
                continue
            # Without __all__, every public name of the module's namespace, including what it got
            # from its own wildcard imports.
            if not name.startswith("_"):
                found = self._resolve_in_module(star, rest, depth + 1)
                if found is not None:
                    return found
        return None

    def _member(self, symbol: Symbol | None, tail: list[str], depth: int) -> Symbol | None:
        """``Class.method``, ``Class.Nested``, ``instance.method``."""
        if symbol is None or not tail:
            return symbol
        if symbol.kind == "class":
            nested = f"{symbol.qualname}.{tail[0]}"
            if nested in self.summaries[symbol.module].classes:
                return self._member(Symbol("class", symbol.module, nested), tail[1:], depth)
            method = self.lookup_method((symbol.module, symbol.qualname), tail[0])
            return Symbol("function", *method) if method and len(tail) == 1 else None
        if symbol.kind == "instance" and symbol.qualname:
            method = self.instance_method((symbol.module, symbol.qualname), tail[0])
            return Symbol("method", *method) if method and len(tail) == 1 else None
        if symbol.kind in ("external",):
            return Symbol("external", dotted=".".join([symbol.dotted, *tail]))
        return None

    def _symbol_of_ref(self, ref: str, depth: int) -> Symbol | None:
        parsed = parse(ref)
        if isinstance(parsed, FunctionRef):
            return Symbol("function", parsed.module, parsed.qualname)
        if isinstance(parsed, NameRef):
            return self.resolve_symbol(parsed.dotted, depth)
        return None

    def instance_of(self, typeref: str, depth: int) -> Symbol | None:
        """What calling the symbol ``typeref`` refers to produces."""
        symbol = self._symbol_of_ref(typeref, depth)
        if symbol is None:
            return None
        if symbol.kind == "class":
            return Symbol("instance", symbol.module, symbol.qualname)
        if symbol.kind == "external":
            return Symbol("instance", dotted=symbol.dotted)
        if symbol.kind in ("function", "method"):  # a factory: its result is what it returns
            return Symbol("result", symbol.module, symbol.qualname)
        return None

    def class_of_typeref(self, typeref: str, depth: int = 0) -> ClassId | None:
        """The project class a TYPEREF (or ``attr:MODULE:CLASS:ATTR``, the type of ``self.ATTR``) names."""
        parsed = parse(typeref)
        if isinstance(parsed, AttrRef) and parsed.method is None:
            inner = self.attribute_type(parsed.owner, parsed.attribute)
            return self.class_of_typeref(inner, depth + 1) if inner and depth < _MAX_DEPTH else None
        symbol = self._symbol_of_ref(typeref, 0)
        return (symbol.module, symbol.qualname) if symbol and symbol.kind == "class" else None

    # -- classes ----------------------------------------------------------

    def bases(self, cls: ClassId) -> list[ClassId | str]:
        """Direct bases: project classes as ids, external ones as dotted names."""
        info = self.class_info(cls)
        result: list[ClassId | str] = []
        for ref in info.bases if info else []:
            symbol = self._symbol_of_ref(ref, 0)
            if symbol is None:
                continue
            if symbol.kind == "class":
                result.append((symbol.module, symbol.qualname))
            elif symbol.kind == "external":
                result.append(symbol.dotted)
        return result

    def mro(self, cls: ClassId) -> list[ClassId | str]:
        """C3 linearisation; external bases end their branch."""
        found = self._mros.get(cls)
        if found is None:
            found = self._mros[cls] = tuple(self._mro(cls, ()))
        return list(found)

    @cached_property
    def _mros(self) -> dict[ClassId, tuple[ClassId | str, ...]]:
        return {}

    def _mro(self, cls: ClassId | str, seen: tuple) -> list[ClassId | str]:
        if isinstance(cls, str) or cls in seen:
            return [cls]
        sequences = [self._mro(base, (*seen, cls)) for base in self.bases(cls)]
        sequences.append(list(self.bases(cls)))
        result: list[ClassId | str] = [cls]
        while any(sequences):
            for sequence in sequences:
                if not sequence:
                    continue
                head = sequence[0]
                if not any(head in other[1:] for other in sequences):
                    break
            else:  # inconsistent hierarchy: fall back to depth-first order
                head = next(sequence[0] for sequence in sequences if sequence)
            result.append(head)
            sequences = [[c for c in sequence if c != head] for sequence in sequences]
        return result

    def lookup_method(self, cls: ClassId, name: str, after: ClassId | None = None) -> FunctionId | None:
        order = self.mro(cls)
        if after is not None and after in order:
            order = order[order.index(after) + 1:]
        for klass in order:
            if isinstance(klass, str):
                continue
            info = self.class_info(klass)
            if info and name in info.methods:
                return (klass[0], f"{klass[1]}.{name}")
        return None

    @cached_property
    def subclasses(self) -> dict[ClassId, list[ClassId]]:
        """Every project class → the project classes whose MRO contains it (itself included), sorted."""
        index: dict[ClassId, list[ClassId]] = {}
        for summary in self.summaries.values():
            for qualname in summary.classes:
                sub = (summary.module, qualname)
                for klass in self.mro(sub):
                    if not isinstance(klass, str):
                        index.setdefault(klass, []).append(sub)
        return {cls: sorted(set(subs)) for cls, subs in index.items()}

    def is_keras_class(self, cls: ClassId) -> bool:
        return any(isinstance(k, str) and k in self.knowledge.keras_layer_bases for k in self.mro(cls))

    def is_keras_model(self, cls: ClassId) -> bool:
        return any(isinstance(k, str) and k in self.knowledge.keras_model_bases for k in self.mro(cls))

    def call_method(self, cls: ClassId, name: str) -> FunctionId | None:
        """What ``obj.name(...)`` runs; calling a Keras layer runs its ``call``."""
        if name == "__call__":
            defined = self.lookup_method(cls, "__call__")
            if defined is not None:
                return defined
            return self.instance_method(cls, "call") if self.is_keras_class(cls) else None
        return self.instance_method(cls, name)

    def instance_method(self, cls: ClassId, name: str) -> FunctionId | None:
        """The class's function ``obj.name`` runs, unless each object gets its own in ``__new__``/``__init__``
        (then what runs is the per-object wrapper, unknown here)."""
        for klass in self.mro(cls):
            info = self.class_info(klass) if not isinstance(klass, str) else None
            if info is not None and name in info.replaced_methods:
                return None
        return self.lookup_method(cls, name)

    def attribute_type(self, cls: ClassId, attribute: str) -> str | None:
        for klass in self.mro(cls):
            if isinstance(klass, str):
                continue
            info = self.class_info(klass)
            if info and attribute in info.attribute_types:
                return info.attribute_types[attribute]
        return None

    def related_classes(self, one: ClassId, other: ClassId) -> bool:
        """Whether one class is the other or derives from it (so they share ``self`` attributes)."""
        return one == other or other in self.mro(one) or one in self.mro(other)
