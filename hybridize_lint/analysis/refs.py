"""References: what a call site calls (or a decorator, a wrapper, a type names), as typed values.

A module cannot know what another module defines, so summaries record callees as references,
resolved against the whole project later. Summaries (and the analysis cache) store a reference's
string form; only this module writes (``str()``) or reads (:func:`parse`) it:

- ``fn:MODULE:QUALNAME``            :class:`FunctionRef`, a function defined in a module
- ``name:DOTTED``                   :class:`NameRef`, a dotted name (import, global) to resolve
- ``method:MODULE:CLASS:NAME``      :class:`MethodRef`, ``self.NAME`` / ``cls.NAME``, looked up along the
                                    MRO of CLASS and of each project subclass (an override there may run)
- ``super:MODULE:CLASS:NAME``       :class:`SuperRef`, ``super().NAME``: the MRO after CLASS, of CLASS and
                                    of each subclass
- ``attr:MODULE:CLASS:ATTR:NAME``   :class:`AttrRef`, method NAME of the object stored in ``self.ATTR``
                                    (without ``:NAME``, as a type: the type of ``self.ATTR``)
- ``inst:TYPEREF|NAME``             :class:`InstanceRef`, method NAME of an instance of the class TYPEREF
                                    refers to (or, for ``__call__`` of a factory function, the functions it
                                    returns)
- ``param:PARAM|NAME``              :class:`ParamRef`, method NAME of whatever callers pass as PARAM
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class FunctionRef:
    module: str
    qualname: str

    def __str__(self) -> str:
        return f"fn:{self.module}:{self.qualname}"

    @property
    def function(self) -> tuple[str, str]:
        return (self.module, self.qualname)


@dataclass(frozen=True)
class NameRef:
    dotted: str

    def __str__(self) -> str:
        return f"name:{self.dotted}"

    def attribute(self, name: str) -> "NameRef":
        return NameRef(f"{self.dotted}.{name}")


@dataclass(frozen=True)
class MethodRef:
    module: str
    cls: str
    name: str

    def __str__(self) -> str:
        return f"method:{self.module}:{self.cls}:{self.name}"

    @property
    def owner(self) -> tuple[str, str]:
        return (self.module, self.cls)


@dataclass(frozen=True)
class SuperRef:
    module: str
    cls: str
    name: str

    def __str__(self) -> str:
        return f"super:{self.module}:{self.cls}:{self.name}"

    @property
    def owner(self) -> tuple[str, str]:
        return (self.module, self.cls)


@dataclass(frozen=True)
class AttrRef:
    module: str
    cls: str
    attribute: str
    method: str | None = None  # None: the type of ``self.ATTR`` itself

    def __str__(self) -> str:
        own = f"attr:{self.module}:{self.cls}:{self.attribute}"
        return own if self.method is None else f"{own}:{self.method}"

    @property
    def owner(self) -> tuple[str, str]:
        return (self.module, self.cls)


@dataclass(frozen=True)
class InstanceRef:
    typeref: str  # a reference's string form
    method: str

    def __str__(self) -> str:
        return f"inst:{self.typeref}|{self.method}"


@dataclass(frozen=True)
class ParamRef:
    param: str
    method: str

    def __str__(self) -> str:
        return f"param:{self.param}|{self.method}"


Reference = FunctionRef | NameRef | MethodRef | SuperRef | AttrRef | InstanceRef | ParamRef
SELF_CALLS = (MethodRef, SuperRef)  # what runs depends on the receiver's class


@lru_cache(maxsize=None)
def parse(text: str) -> Reference | None:
    """The reference ``text`` spells; None for anything else."""
    kind, _, rest = text.partition(":")
    if kind == "fn":
        module, sep, qualname = rest.partition(":")
        return FunctionRef(module, qualname) if sep else None
    if kind == "name":
        return NameRef(rest)
    if kind in ("method", "super", "attr"):
        parts = rest.split(":", 3 if kind == "attr" else 2)
        if kind == "attr" and len(parts) in (3, 4):
            return AttrRef(*parts)
        if kind != "attr" and len(parts) == 3:
            return MethodRef(*parts) if kind == "method" else SuperRef(*parts)
        return None
    if kind == "inst":
        typeref, sep, method = rest.rpartition("|")
        return InstanceRef(typeref, method) if sep else None
    if kind == "param":
        param, sep, method = rest.partition("|")
        return ParamRef(param, method) if sep else None
    return None


def name_of(text: str | None) -> str | None:
    """The dotted name a ``name:`` reference names, else None."""
    ref = parse(text) if text else None
    return ref.dotted if isinstance(ref, NameRef) else None


def is_a(text: str | None, *kinds: type) -> bool:
    """Whether ``text`` spells a reference of one of ``kinds``."""
    return bool(text) and isinstance(parse(text), kinds)


def display(text: str) -> str:
    """A reference as the user spelled it, for messages."""
    ref = parse(text)
    if isinstance(ref, InstanceRef):
        return display(ref.typeref) + "(...)"
    if isinstance(ref, FunctionRef):
        return f"{ref.module}.{ref.qualname}"
    if isinstance(ref, NameRef):
        return ref.dotted
    if isinstance(ref, (MethodRef, SuperRef)):
        return ref.name
    if isinstance(ref, AttrRef):
        return ref.attribute if ref.method is None else ref.method
    if isinstance(ref, ParamRef):
        return f"{ref.param}|{ref.method}"
    return text.partition(":")[2].rpartition(":")[2]
