"""The fix writer: a run's fixed files back to disk, each replaced without ever being left half-written.

``lint()`` computes fixes and writes nothing; the shells that fix (``check --fix``, ``--add-noqa``,
the pre-commit hooks through the CLI) hand its report to :func:`write_fixes`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .diagnostics import RunReport
from .notebook import NotebookError


class WriteError(Exception):
    """The fixed file could not be written; the original is untouched."""


TEMP_SUFFIX = ".hybridize-tmp"  # never ``.py``: a temporary file left by a killed run is not linted


def replace_file_atomically(path: Path, data: bytes, expected: bytes | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    The file keeps its permission bits (and owner, where allowed). A failure at
    any point, even an interrupt, leaves the original file as it was and no
    temporary file behind. A symlink is followed: the link survives, its target changes.
    With ``expected`` (the bytes the fixes were computed from), a file that was
    deleted or changed on disk in the meantime is left alone: the fixes would undo
    someone else's edits.
    """
    path = Path(os.path.realpath(path))
    try:
        info = os.stat(path)
        mode = stat.S_IMODE(info.st_mode)
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device: renaming over it would replace it
            raise WriteError("cannot write fixes: not a regular file")
        if not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied", str(path))
        if expected is not None:
            with open(path, "rb") as stream:
                if stream.read() != expected:
                    raise WriteError("cannot write fixes: the file changed on disk during the run")
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except FileNotFoundError as exc:
        raise WriteError("cannot write fixes: the file was deleted during the run") from exc
    except OSError as exc:
        raise WriteError(f"cannot write fixes: {(exc.strerror or str(exc)).lower()}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):  # keep the owner when we may (e.g. running as root)
            os.chown(temporary, info.st_uid, info.st_gid)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write fixes: {(exc.strerror or str(exc)).lower()}") from exc
        raise


def write_fixes(report: RunReport) -> None:
    """Write every file the run changed; a file that cannot be written gets an error in its report."""
    for file_report in report.files:
        original = file_report.original
        if not file_report.changed or original is None or file_report.fixed_text is None:
            continue
        if original.path.name == "-" or (original.data is None and not original.path.exists()):
            continue
        try:  # given the bytes it read, the writer refuses a file deleted or changed since
            replace_file_atomically(original.path, original.encode(file_report.fixed_text), expected=original.data)
        except (WriteError, UnicodeEncodeError, NotebookError) as error:
            file_report.errors.append(f"{original.path}: {error}")
            file_report.changed, file_report.fixed_count, file_report.changed_cells = False, 0, []
            file_report.diagnostics = file_report.unfixed_diagnostics  # what is still in the file on disk
