"""The code a trace ran, read back: the ``def`` line of a function, its nested code, where a name was stored."""

from __future__ import annotations

import dis
import linecache
from types import CodeType

from .frames import GENERATED, FrameClassifier, Where


def def_line(code: CodeType) -> int:
    """The line of the ``def`` keyword (``co_firstlineno`` is the first decorator's), where the linter reports."""
    for line in range(code.co_firstlineno, code.co_firstlineno + 50):
        text = linecache.getline(code.co_filename, line).lstrip()
        if text.startswith(("def ", "async def ")):
            return line
        if not text:
            break
    return code.co_firstlineno


def code_objects(code: CodeType):
    """``code`` and the code of the functions, lambdas and comprehensions defined in it."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from code_objects(constant)


def _lines(classifier: FrameClassifier, code: CodeType):
    for instruction in dis.get_instructions(code):
        line = instruction.positions.lineno if instruction.positions else None
        yield instruction, line


def _map(classifier: FrameClassifier, code: CodeType, line: int | None) -> Where | None:
    if line is None:
        return None
    if classifier.kind(code) == GENERATED:
        return classifier.generated_where(code, line)
    relative = classifier.relative(code.co_filename)
    return Where(relative, line) if relative else None


def find_store(classifier: FrameClassifier, executed: set[CodeType], opnames: tuple[str, ...], name: str):
    for code in sorted(executed, key=lambda c: (c.co_filename, c.co_firstlineno)):
        for instruction, line in _lines(classifier, code):
            if instruction.opname in opnames and instruction.argval == name:
                where = _map(classifier, code, line)
                if where is not None:
                    return where
    return None


def find_subscript_store(classifier: FrameClassifier, executed: set[CodeType], name: str):
    for code in sorted(executed, key=lambda c: (c.co_filename, c.co_firstlineno)):
        loaded = None
        for instruction, line in _lines(classifier, code):
            if instruction.opname.startswith("LOAD_") and instruction.argval == name:
                loaded = line
            elif instruction.opname in ("STORE_SUBSCR", "DELETE_SUBSCR") and loaded is not None and loaded == line:
                where = _map(classifier, code, line)
                if where is not None:
                    return where
    return None
