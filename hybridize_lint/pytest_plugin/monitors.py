"""The interpreter's hooks that watch a trace run without AutoGraph: ``sys.monitoring`` (3.12+) or ``sys.setprofile``."""

from __future__ import annotations

import sys
from types import FunctionType
from typing import Protocol


class CallListener(Protocol):
    """What the hooks report to (the ``Auditor``): calls of C functions and starts of Python ones."""

    def on_c_call(self, frame, callable_) -> None: ...

    def on_py_call(self, frame) -> None: ...


class ProfileMonitor:
    """``sys.setprofile`` while a trace runs (Python < 3.12)."""

    def __init__(self, auditor: CallListener):
        auditor_c_call, auditor_py_call = auditor.on_c_call, auditor.on_py_call

        def profile(frame, event, arg):
            if event == "c_call":
                auditor_c_call(frame, arg)
            elif event == "call":
                auditor_py_call(frame)

        self._profile = profile

    def start(self):
        previous = sys.getprofile()
        sys.setprofile(self._profile)
        return previous

    def stop(self, previous) -> None:
        sys.setprofile(previous)

    def pause(self) -> None:
        sys.setprofile(None)

    def resume(self) -> None:
        sys.setprofile(self._profile)


class MonitoringMonitor:
    """``sys.monitoring`` while a trace runs (Python 3.12+): CALL and PY_START events, off between traces."""

    def __init__(self, auditor: CallListener):
        self._auditor = auditor
        self._tool = None

    def start(self):
        monitoring = sys.monitoring
        for tool in (monitoring.PROFILER_ID, 3, 4):
            if monitoring.get_tool(tool) is None:
                self._tool = tool
                break
        else:
            return None
        monitoring.use_tool_id(self._tool, "hybridize-lint audit")
        auditor = self._auditor

        def on_call(code, offset, callable_, arg0):
            if not isinstance(callable_, FunctionType):
                auditor.on_c_call(sys._getframe(1), callable_)

        def on_start(code, offset):
            auditor.on_py_call(sys._getframe(1))

        monitoring.register_callback(self._tool, monitoring.events.CALL, on_call)
        monitoring.register_callback(self._tool, monitoring.events.PY_START, on_start)
        monitoring.set_events(self._tool, monitoring.events.CALL | monitoring.events.PY_START)
        return None

    def pause(self) -> None:
        if self._tool is not None:
            sys.monitoring.set_events(self._tool, 0)

    def resume(self) -> None:
        if self._tool is not None:
            sys.monitoring.set_events(self._tool, sys.monitoring.events.CALL | sys.monitoring.events.PY_START)

    def stop(self, previous) -> None:
        if self._tool is None:
            return
        monitoring = sys.monitoring
        monitoring.set_events(self._tool, 0)
        monitoring.register_callback(self._tool, monitoring.events.CALL, None)
        monitoring.register_callback(self._tool, monitoring.events.PY_START, None)
        monitoring.free_tool_id(self._tool)
        self._tool = None


def make_monitor(auditor: CallListener):
    return MonitoringMonitor(auditor) if sys.version_info >= (3, 12) else ProfileMonitor(auditor)
