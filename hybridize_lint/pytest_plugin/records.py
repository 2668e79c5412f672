"""What the audit records for each tf.function: its traces, what changed between them, the effects seen while tracing."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import CodeType, FunctionType

from .arguments import Described
from .frames import Where


@dataclass
class Effect:
    kind: str  # print, logging, io, random, time, global-write, nonlocal-write, attribute-write, container-mutation
    where: Where
    detail: str
    via: Where | None  # the line of the traced function's own body that led there, when elsewhere
    test: str | None

    def to_json(self) -> dict:
        return {"kind": self.kind, "where": self.where.render(), "detail": self.detail,
                "via": self.via.render() if self.via else None, "test": self.test}


@dataclass
class Trace:
    call_site: Where | None
    arguments: dict[str, Described]
    changed: list[dict]
    test: str | None
    function_object: int  # which tf.function object traced (a new one per call for tf.function in a loop)


@dataclass
class FunctionRecord:
    qualname: str
    file: str
    line: int
    last_line: int
    traces: list[Trace] = field(default_factory=list)
    effects: dict[tuple[str, Where], Effect] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "qualname": self.qualname, "file": self.file, "line": self.line, "traces": len(self.traces),
            "retraces": [{"call_site": trace.call_site.render() if trace.call_site else None,
                          "changed": trace.changed, "test": trace.test} for trace in self.traces[1:]],
            "trace_time_effects": [effect.to_json() for effect in sorted(self.effects.values(),
                                                                         key=lambda e: (e.where, e.kind))],
        }


@dataclass
class ActiveTrace:
    """A trace running now: the state before it, to compare with after, and the code it ran."""

    record: FunctionRecord
    function: FunctionType
    globals_before: dict[str, dict[str, object]]
    containers: dict[int, tuple[object, str, tuple]]
    cells: dict[str, object]
    attributes: dict[int, tuple[object, str, dict]]
    executed: set[CodeType] = field(default_factory=set)
    mutated: set[int] = field(default_factory=set)
    watched: bool = False  # the interpreter's hooks run for this trace
