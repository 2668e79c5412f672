"""Calls that weigh nothing in the benefit estimate of a graph, whatever object they are made on.

A call the analysis cannot follow counts as a few tensor operations (it may be a model or a layer).
Not a method only Python strings, containers and regex matches have (``"{}/{}".format(scope, name)``,
``space.flatten().items()``), nor a call of the class ``type(x)`` returns (``type(space)(shape=...)``):
those build Python values, and counted they made a builder of names or metadata look like a step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .refs import AttrRef, InstanceRef, MethodRef, ParamRef, name_of, parse

if TYPE_CHECKING:  # pragma: no cover
    from ..knowledge import KnowledgeBase


def python_work(kb: "KnowledgeBase", ref: str | None, method: str | None = None) -> bool:
    """Whether a call of ``ref`` (or of a method named ``method``) is Python work, not a tensor operation."""
    parsed = parse(ref) if ref else None
    if method is None and isinstance(parsed, (InstanceRef, AttrRef, ParamRef)):
        method = parsed.method
    elif method is None and isinstance(parsed, MethodRef):
        method = parsed.name
    if method in kb.python_value_methods:
        return True
    return isinstance(parsed, InstanceRef) and parsed.method == "__call__" \
        and name_of(parsed.typeref) in kb.class_results
