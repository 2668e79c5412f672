"""The knobs every output format reads, kept apart so format modules can import
them without importing the package that dispatches to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportOptions:
    unsafe_fixes: bool = False  # whether unsafe fixes count as applicable
    fix_mode: bool = False  # --fix was given (summary wording changes)
    statistics: bool = False
    quiet: bool = False  # text: print diagnostics but no summary line
