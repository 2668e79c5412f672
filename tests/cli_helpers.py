"""The command line in process, for the CLI, config, bad-input, reliability, notebook and first-hour
tests: one ``write`` and one ``check`` instead of a copy in each module, and their shared inputs."""

from __future__ import annotations

import os
from pathlib import Path

from hybridize_lint.cli import main

TRAIN = """\
import tensorflow as tf


@tf.function(experimental_relax_shapes=True)
def train_step(x, y):
    loss = x + y
    print("loss:", loss)
    return loss
"""
SAFE_FIXED = TRAIN.replace("experimental_relax_shapes", "reduce_retracing")
RUFF_JSON_KEYS = {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row", "url"}


def write(path: Path, data: str | bytes, *, mtime_ns: int | None = None) -> Path:
    """``data`` into ``path`` (text as UTF-8, bytes as they are; no newline translation), its
    directories made; with ``mtime_ns``, the file's times are set to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def check(capsys, *args, cache: bool = False) -> tuple[int, str, str]:
    """``hybridize-lint check ARGS`` in process (``--no-cache`` unless ``cache``): the exit code,
    stdout and stderr. Whatever the input, no traceback may reach the user."""
    code = main(["check", *([] if cache else ["--no-cache"]), *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def codes_in(out: str) -> list[str]:
    """The rule codes of the text report's finding lines, in order."""
    return [line.split()[1] for line in out.splitlines() if ": HYB" in line]
