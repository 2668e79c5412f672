"""Process parallelism for the two per-file phases of a run: summarising modules, checking files.

Workers are forked once the parent holds everything they need (knowledge base, rules, and for
checking the project model with its whole-project analyses computed), so nothing big is pickled:
file texts go in, summaries and diagnostics come out.  Cross-file precision is unchanged because
the project-wide analyses run once, in the parent, between the two phases.  Where ``fork`` is
unavailable (Windows; macOS, where forking is unsafe) or a worker dies, the caller runs serially.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items, starting processes costs more than it saves.
MIN_ITEMS_PER_RUN = 8

_shared: dict[str, Any] = {}


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def shared(name: str) -> Any:
    """What the parent shared with the workers it forked (see :func:`map_in_workers`)."""
    return _shared[name]


def map_in_workers(function: Callable[[Item], Result], items: Sequence[Item], jobs: int,
                   **state: Any) -> list[Result] | None:
    """``[function(item) for item in items]`` in ``jobs`` forked processes, in order.

    ``state`` is visible to ``function`` through :func:`shared` in the workers without being
    pickled.  Returns None when parallelism is pointless or impossible: the caller then does the
    work itself, so a run never fails for want of processes.
    """
    jobs = min(jobs, len(items))
    if jobs < 2 or len(items) < MIN_ITEMS_PER_RUN or not can_fork():
        return None
    _shared.clear()
    _shared.update(state)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            chunk = max(1, len(items) // (jobs * 16))
            return list(pool.map(function, items, chunksize=chunk))
    except (BrokenProcessPool, OSError):
        return None
    finally:
        _shared.clear()
