"""Where each code cell's ``source`` value sits in a notebook's JSON text, so fixes can be spliced in."""

from __future__ import annotations

import json
import re
from json.decoder import scanstring

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def locate_sources(text: str) -> list[tuple[bool, tuple[int, int], list[int]]]:
    """For each cell of the notebook: whether its ``source`` is a list, the value's span in ``text``
    and the offset of each of its strings.  Only the path ``cells[i].source`` is walked by hand;
    every other value is skipped with the json module's decoder."""
    decoder = json.JSONDecoder()
    found: list[tuple[bool, tuple[int, int], list[int]]] = []

    def skip_value(start: int) -> int:
        return decoder.raw_decode(text, start)[1]

    def cell(start: int) -> int:
        entry: list = [False, (start, start), []]

        def member(key: str, value_start: int) -> int:
            end = skip_value(value_start)
            if key == "source":
                list_form = text[value_start] == "["
                offsets = _string_offsets(text, value_start, end) if list_form else [value_start]
                entry[:] = [list_form, (value_start, end), offsets]
            return end

        end = _walk(_members(text, start), member)
        found.append(tuple(entry))
        return end

    def top(key: str, start: int) -> int:
        if key != "cells" or text[start:start + 1] != "[":
            return skip_value(start)
        found.clear()
        index = _skip(text, start + 1)
        if text[index:index + 1] == "]":
            return index + 1
        while True:
            index = _skip(text, cell(index))
            if text[index:index + 1] == ",":
                index = _skip(text, index + 1)
            elif text[index:index + 1] == "]":
                return index + 1
            else:
                raise ValueError(f"expected ',' or ']' at offset {index}")

    _walk(_members(text, 0), top)
    return found


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


def _members(text: str, index: int):
    """Yield (key, value start) for each member of the object at ``index``; returns its end."""
    index = _skip(text, index)
    if text[index:index + 1] != "{":
        raise ValueError(f"expected an object at offset {index}")
    index = _skip(text, index + 1)
    if text[index:index + 1] == "}":
        return index + 1
    while True:
        if text[index:index + 1] != '"':
            raise ValueError(f"expected a key at offset {index}")
        key, index = scanstring(text, index + 1)
        index = _skip(text, index)
        if text[index:index + 1] != ":":
            raise ValueError(f"expected ':' at offset {index}")
        index = _skip(text, index + 1)
        index = yield key, index
        index = _skip(text, index)
        if text[index:index + 1] == ",":
            index = _skip(text, index + 1)
        elif text[index:index + 1] == "}":
            return index + 1
        else:
            raise ValueError(f"expected ',' or '}}' at offset {index}")


def _walk(generator, handle) -> int:
    """Drive ``_members``: ``handle(key, value start)`` returns where the value ends; returns the object's end."""
    try:
        key, start = next(generator)
        while True:
            key, start = generator.send(handle(key, start))
    except StopIteration as stop:
        return stop.value


def _string_offsets(text: str, start: int, end: int) -> list[int]:
    """Offsets of the strings of the JSON list of strings ``text[start:end]``."""
    offsets, index = [], start + 1
    while index < end:
        index = _WHITESPACE.match(text, index).end()
        if text[index:index + 1] == '"':
            offsets.append(index)
            _, index = scanstring(text, index + 1)
        else:
            index += 1
    return offsets
