"""Replacing a user's file without ever leaving it half-written."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class WriteError(Exception):
    """The fixed file could not be written; the original is untouched."""


def replace_file_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    The file keeps its permission bits. A failure at any point leaves the
    original file as it was.
    """
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied", str(path))
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".hybridize-tmp")
    except OSError as exc:
        raise WriteError(f"cannot write fixes: {(exc.strerror or str(exc)).lower()}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write fixes: {(exc.strerror or str(exc)).lower()}") from exc
