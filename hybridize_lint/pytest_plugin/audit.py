"""``--hybridize-audit``: count the traces of every ``tf.function`` the tests create, say why each retrace
happened, and catch the Python effects that ran while tracing (and so will not run on later calls).

Every ``tf.function`` is a ``polymorphic_function.Function``, whatever the spelling (decorator,
``tf.function(f)``, an alias, a framework's wrapper); its constructor is patched so that a Python function
of the project is handed to TensorFlow inside a thin wrapper. TensorFlow calls that wrapper once per trace
and never on a call that reuses a trace, so the non-tracing path pays nothing.

While a trace runs, effects are seen where the project's code makes its calls. Code that AutoGraph
converted (the default) calls everything through AutoGraph's ``converted_call``, and ``print`` directly:
both are watched during traces, which costs nothing elsewhere. A trace without AutoGraph
(``autograph=False``) is watched by the interpreter's hooks, ``sys.monitoring`` on 3.12+ and
``sys.setprofile`` before, paused while TensorFlow converts code or builds ops. An audit hook sees file,
network and process I/O. Writes to globals, nonlocals, attributes and existing containers are found by
comparing them before and after the trace, and located in the bytecode that ran.
"""

from __future__ import annotations

import builtins
import functools
import logging
import random
import sys
import threading
import time
from types import CodeType, FunctionType

from .arguments import bind, change_kind, describe
from .bytecode import code_objects, def_line, find_store, find_subscript_store
from .frames import GENERATED, TRANSPARENT, USER, FrameClassifier, Where
from .monitors import make_monitor
from .records import ActiveTrace, Effect, FunctionRecord, Trace

MUTATORS = {
    list: {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "__setitem__",
           "__delitem__", "__iadd__"},
    dict: {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"},
    set: {"add", "update", "discard", "remove", "pop", "clear", "__ior__"},
    bytearray: {"append", "extend", "insert", "pop", "remove", "clear"},
}
IO_EVENTS = ("open", "socket.", "urllib.Request", "http.client.", "subprocess.Popen", "os.system", "os.remove",
             "os.rename", "os.mkdir", "os.rmdir", "os.unlink", "shutil.", "os.truncate", "os.chmod")
LOG_METHODS = ("debug", "info", "warning", "warn", "error", "exception", "critical", "log")
TIME_FUNCTIONS = (time.time, time.time_ns, time.perf_counter, time.monotonic, time.process_time)


class Auditor:
    """Owns the records; installs itself into TensorFlow once (``install``)."""

    def __init__(self, root: str):
        self.classifier = FrameClassifier(root)
        self.records: dict[CodeType, FunctionRecord] = {}
        self.current_test: str | None = None
        self.errors: list[str] = []
        self._stack: list[ActiveTrace] = []
        self._owner = threading.get_ident()
        self._previous_profile = None
        self._in_hook = False
        self._paused = False
        self._watching = False  # the interpreter's hooks are on (a trace without AutoGraph)
        self._monitor = make_monitor(self)
        self._log_codes = {getattr(logging.Logger, name).__code__: "logging" for name in LOG_METHODS}
        self._log_codes.update({getattr(logging, name).__code__: "logging" for name in LOG_METHODS
                                if name != "warn" and hasattr(logging, name)})
        self._random_file = random.__file__
        self._modules: list = []
        self._module_count = -1
        self.on_function = None  # verify mode: called with (function object, python function) for each tf.function
        self.wrapped = 0

    # -- installation -------------------------------------------------------------------------------------

    def install(self) -> None:
        from tensorflow.python.autograph.core import config as autograph_config
        from tensorflow.python.autograph.core import config_lib
        from tensorflow.python.eager.polymorphic_function import polymorphic_function

        # AutoGraph converts the wrapper (it stands where the user's function was) and so every call in
        # it; this plugin's own functions must run as they are.
        # ``logging`` too: AutoGraph would otherwise run a converted copy of it, hiding its calls.
        autograph_config.CONVERSION_RULES = (config_lib.DoNotConvert("hybridize_lint"),
                                             config_lib.DoNotConvert("logging"),
                                             *autograph_config.CONVERSION_RULES)
        import tensorflow as tf

        autograph_restore = self._watch_autograph()
        self._inside_function = tf.inside_function
        function_restore = self._wrap_functions(polymorphic_function.Function)
        op_restore = self._unwatch_op_creation()
        self._restore = [*op_restore, *autograph_restore, *function_restore,
                         (autograph_config, "CONVERSION_RULES", autograph_config.CONVERSION_RULES[2:])]
        sys.addaudithook(self._audit_hook)  # cannot be removed: inert outside a trace

    def _watch_autograph(self) -> list[tuple]:
        """Patch AutoGraph's conversion (to map its code back) and ``converted_call``; returns how to undo it."""
        from tensorflow.python.autograph.impl import api as autograph_api

        auditor = self
        original_convert = autograph_api._convert_actual
        classifier = self.classifier

        @functools.wraps(original_convert)
        def _convert_actual(entity, program_ctx):
            converted = auditor.unwatched(original_convert, entity, program_ctx)
            try:
                classifier.register_source_map(converted.ag_source_map)
                if auditor._stack:  # AutoGraph converts (or fetches from its cache) each function the trace runs
                    auditor._stack[-1].executed.update(code_objects(converted.__code__))
            except Exception as error:
                auditor.fail(error)
            return converted

        autograph_api._convert_actual = _convert_actual

        # Converted code calls everything through `ag__.converted_call`: the one place to see the
        # callables (print, list.append, random.random, …) the project's code calls while tracing.
        original_converted_call = autograph_api.converted_call
        generated_namespace = autograph_api._TRANSPILER.get_extra_locals()["ag__"]

        @functools.wraps(original_converted_call)
        def converted_call(f, args, kwargs, caller_fn_scope=None, options=None):
            if auditor._stack and not auditor._paused:
                auditor.on_call(sys._getframe(1), f)
            return original_converted_call(f, args, kwargs, caller_fn_scope, options)

        autograph_api.converted_call = converted_call
        generated_namespace.converted_call = converted_call
        return [(autograph_api, "converted_call", original_converted_call),
                (generated_namespace, "converted_call", original_converted_call),
                (autograph_api, "_convert_actual", original_convert)]

    def _wrap_functions(self, function_class: type) -> list[tuple]:
        """Patch ``tf.function``'s constructor to wrap the project's functions; returns how to undo it."""
        auditor = self
        original_init = function_class.__init__

        @functools.wraps(original_init)
        def __init__(function_object, python_function, *args, **kwargs):
            try:
                if type(python_function) is FunctionType and auditor.classifier.is_user_function(python_function):
                    python_function = auditor.wrap(python_function)
            except Exception as error:  # never stand between the tests and TensorFlow
                auditor.fail(error)
            original_init(function_object, python_function, *args, **kwargs)
            if auditor.on_function is not None:
                try:
                    auditor.on_function(function_object)
                except Exception as error:
                    auditor.fail(error)

        function_class.__init__ = __init__
        return [(function_class, "__init__", original_init)]

    def _unwatch_op_creation(self) -> list[tuple]:
        """Building a graph op runs no project code, only TensorFlow's: not watching it keeps tracing fast."""
        from tensorflow.python.framework import func_graph

        auditor = self
        original_create_op = func_graph.FuncGraph._create_op_internal

        @functools.wraps(original_create_op)
        def _create_op_internal(*args, **kwargs):
            return auditor.unwatched(original_create_op, *args, **kwargs)

        func_graph.FuncGraph._create_op_internal = _create_op_internal
        return [(func_graph.FuncGraph, "_create_op_internal", original_create_op)]

    def uninstall(self) -> None:
        """Undo ``install`` (a pytester run in the same process must not leave TensorFlow patched)."""
        for owner, name, value in reversed(getattr(self, "_restore", [])):
            setattr(owner, name, value)
        self._restore = []
        self._stack.clear()
        builtins.print = _PRINT

    def unwatched(self, function, *args, **kwargs):
        """Call TensorFlow's own machinery (AutoGraph's conversion, op creation) with the hooks paused."""
        if not self._watching or self._paused:
            return function(*args, **kwargs)
        self._paused = True
        self._monitor.pause()
        try:
            return function(*args, **kwargs)
        finally:
            self._monitor.resume()
            self._paused = False

    def fail(self, error: BaseException) -> None:
        message = f"{type(error).__name__}: {error}"
        if message not in self.errors:
            self.errors.append(message)

    # -- the wrapper: one call per trace ------------------------------------------------------------------

    def wrap(self, function: FunctionType):
        auditor = self

        @functools.wraps(function)
        def traced(*args, **kwargs):
            token = auditor.begin(traced, function, args, kwargs)
            try:
                return function(*args, **kwargs)
            finally:
                auditor.end(token)

        traced.__hybridize_audited__ = function
        self.wrapped += 1
        return traced

    def record_for(self, function: FunctionType) -> FunctionRecord:
        code = function.__code__
        record = self.records.get(code)
        if record is None:
            lines = [line for _, _, line in code.co_lines() if line is not None]
            record = self.records[code] = FunctionRecord(function.__qualname__,
                                                         self.classifier.relative(code.co_filename) or "?",
                                                         def_line(code), max(lines, default=code.co_firstlineno))
        return record

    def begin(self, wrapper, function: FunctionType, args: tuple, kwargs: dict):
        try:
            if threading.get_ident() != self._owner or not self._inside_function():
                return None  # run eagerly (run_functions_eagerly, a py_function, another thread): not a trace
            record = self.record_for(function)
            arguments = {name: describe(value) for name, value in bind(function, args, kwargs).items()}
            call_site = self.classifier.outer_where(sys._getframe(2))
            changed = []
            if record.traces:
                previous = record.traces[-1]
                if previous.function_object != id(wrapper):
                    changed.append({"argument": "<tf.function>", "before": "another tf.function object",
                                    "after": "a new tf.function object", "kind": "new-function"})
                for name in [*arguments, *(name for name in previous.arguments if name not in arguments)]:
                    before, after = previous.arguments.get(name), arguments.get(name)
                    if before != after:
                        changed.append({"argument": name, "before": before.text if before else None,
                                        "after": after.text if after else None,
                                        "kind": change_kind(before, after) if before and after else "structure"})
            record.traces.append(Trace(call_site, arguments, changed, self.current_test, id(wrapper)))
            active = self._snapshot(record, function, args, kwargs)
            # Converted by AutoGraph (the default), every call the project's code makes goes through
            # AutoGraph's converted_call, watched below at no cost elsewhere. Without AutoGraph the
            # interpreter's hooks watch the trace.
            if not self._stack:  # AutoGraph calls `print` directly, not through converted_call
                builtins.print = self._print
            converted = self._called_from_generated_code(sys._getframe(1))
            if not converted and not any(other.watched for other in self._stack):
                self._previous_profile = self._monitor.start()
                active.watched = self._watching = True
            self._stack.append(active)
            return active
        except Exception as error:
            self.fail(error)
            return None

    def _print(self, *args, **kwargs):
        if self._stack and not self._paused and threading.get_ident() == self._owner:
            try:
                self._effect("print", sys._getframe(1), "print()")
            except Exception as error:
                self.fail(error)
        return _PRINT(*args, **kwargs)

    def _called_from_generated_code(self, frame) -> bool:
        """Whether the wrapper runs converted by AutoGraph (this plugin's and AutoGraph's frames skipped)."""
        while frame is not None and (frame.f_code.co_filename == __file__
                                     or self.classifier.kind(frame.f_code) == TRANSPARENT):
            frame = frame.f_back
        return frame is not None and self.classifier.kind(frame.f_code) == GENERATED

    def end(self, active) -> None:
        if active is None:
            return
        try:
            if self._stack and self._stack[-1] is active:
                self._stack.pop()
            elif active in self._stack:  # an exception skipped inner ends
                del self._stack[self._stack.index(active):]
            if active.watched:
                self._monitor.stop(self._previous_profile)
                self._watching = False
            if not self._stack:
                builtins.print = _PRINT
            self._compare(active)
            if self._stack:
                self._stack[-1].executed |= active.executed
        except Exception as error:
            self.fail(error)

    # -- state before and after a trace -------------------------------------------------------------------

    def _user_modules(self) -> list:
        if len(sys.modules) != self._module_count:
            self._module_count = len(sys.modules)
            self._modules = [module for module in list(sys.modules.values())
                             if isinstance(getattr(module, "__file__", None), str)
                             and self.classifier.relative(module.__file__) is not None]
        return self._modules

    def _snapshot(self, record: FunctionRecord, function: FunctionType, args: tuple, kwargs: dict) -> ActiveTrace:
        globals_before: dict[str, dict[str, object]] = {}
        containers: dict[int, tuple[object, str, tuple]] = {}
        for module in self._user_modules():
            namespace = module.__dict__
            globals_before[module.__name__] = dict(namespace)
            for name, value in namespace.items():
                if type(value) in MUTATORS:
                    containers[id(value)] = (value, name, _fingerprint(value))
        cells = {}
        for name, cell in zip(function.__code__.co_freevars, function.__closure__ or ()):
            try:
                cells[name] = cell.cell_contents
            except ValueError:
                cells[name] = _EMPTY
            if type(cells[name]) in MUTATORS:
                containers[id(cells[name])] = (cells[name], name, _fingerprint(cells[name]))
        attributes = {}
        for value in (*args, *kwargs.values()):
            namespace = getattr(value, "__dict__", None)
            if isinstance(namespace, dict) and not isinstance(value, type) and not _is_tensor(value):
                attributes[id(value)] = (value, type(value).__qualname__, dict(namespace))
                for name, item in namespace.items():
                    if type(item) in MUTATORS:
                        containers[id(item)] = (item, f"{name}", _fingerprint(item))
            elif type(value) in MUTATORS:
                containers[id(value)] = (value, "argument", _fingerprint(value))
        return ActiveTrace(record, function, globals_before, containers, cells, attributes, set(code_objects(function.__code__)))

    def _compare(self, active: ActiveTrace) -> None:
        executed = active.executed
        for module in self._user_modules():
            before = active.globals_before.get(module.__name__)
            if before is None:
                continue
            for name, value in list(module.__dict__.items()):
                if name not in before or before[name] is not value:
                    where = find_store(self.classifier, executed, ("STORE_GLOBAL", "STORE_NAME"), name)
                    if where is not None:
                        self._add(active, "global-write", where, f"global `{name}` assigned", None)
        for name, old in active.cells.items():
            index = active.function.__code__.co_freevars.index(name)
            try:
                new = active.function.__closure__[index].cell_contents
            except ValueError:
                new = _EMPTY
            if new is not old:
                where = find_store(self.classifier, executed, ("STORE_DEREF",), name)
                if where is not None:
                    self._add(active, "nonlocal-write", where, f"nonlocal `{name}` assigned", None)
        for value, owner, namespace in active.attributes.values():
            for name, item in list(vars(value).items()):
                if name not in namespace or namespace[name] is not item:
                    where = find_store(self.classifier, executed, ("STORE_ATTR",), name)
                    if where is not None:
                        self._add(active, "attribute-write", where, f"attribute `{name}` of a `{owner}` assigned",
                                  None)
        for key, (container, name, fingerprint) in active.containers.items():
            if key in active.mutated or _fingerprint(container) == fingerprint:
                continue
            where = find_subscript_store(self.classifier, executed, name)
            if where is not None:
                self._add(active, "container-mutation", where, f"`{name}` item assigned", None)

    # -- events while tracing -----------------------------------------------------------------------------

    def on_call(self, frame, callable_) -> None:
        """A call made by converted project code: a builtin or C function, or a Python one."""
        try:
            module = getattr(callable_, "__module__", None)
            if module == "logging" or isinstance(getattr(callable_, "__self__", None), logging.Logger):
                if getattr(callable_, "__name__", "") in LOG_METHODS:
                    self._effect("logging", frame, f"logging.{callable_.__name__}()")
                return
            if module == "random" and isinstance(callable_, FunctionType):
                self._effect("random", frame, f"random.{callable_.__name__}()")
                return
            self.on_c_call(frame, callable_)
        except Exception as error:
            self.fail(error)

    def on_c_call(self, frame, callable_) -> None:
        if not self._stack:
            return
        if callable_ is _PRINT or callable_ is print:
            self._effect("print", frame, "print()")
            return
        owner = getattr(callable_, "__self__", None)
        owner_type = type(owner)
        if owner_type in MUTATORS:
            if callable_.__name__ in MUTATORS[owner_type]:
                active = self._stack[-1]
                entry = active.containers.get(id(owner))
                if entry is not None and entry[0] is owner:
                    if self._effect("container-mutation", frame, f"`{entry[1]}.{callable_.__name__}()`"):
                        active.mutated.add(id(owner))
            return
        module = owner_type.__module__
        if module == "random" or module.startswith("numpy.random"):
            self._effect("random", frame, f"{module}.{getattr(callable_, '__name__', '?')}()")
        elif callable_ in TIME_FUNCTIONS:
            self._effect("time", frame, f"time.{callable_.__name__}()")

    def on_py_call(self, frame) -> None:
        if not self._stack:
            return
        code = frame.f_code
        kind = self.classifier.kind(code)
        if kind == USER or kind == GENERATED:
            self._stack[-1].executed.add(code)
        elif code in self._log_codes:
            self._effect("logging", frame.f_back, f"logging.{code.co_name}()")
        elif code.co_filename == self._random_file and frame.f_back is not None \
                and frame.f_back.f_code.co_filename != self._random_file:
            self._effect("random", frame.f_back, f"random.{code.co_name}()")

    def _audit_hook(self, event: str, args: tuple) -> None:
        if not self._stack or self._in_hook or self._paused or not event.startswith(IO_EVENTS):
            return
        self._in_hook = True
        try:
            if threading.get_ident() == self._owner:
                detail = f"{event}({args[0]!r})" if args and isinstance(args[0], (str, bytes)) else event
                self._effect("io", sys._getframe(1), detail)
        except Exception as error:
            self.fail(error)
        finally:
            self._in_hook = False

    def _effect(self, kind: str, frame, detail: str) -> bool:
        where = self.classifier.where(frame)
        if where is None:
            return False
        active = self._stack[-1]
        via = None
        record = active.record
        if not (where.file == record.file and record.line <= where.line <= record.last_line):
            outer = frame
            while outer is not None:
                found = self.classifier.where(outer) if self.classifier.kind(outer.f_code) in (USER, GENERATED) else None
                if found and found.file == record.file and record.line <= found.line <= record.last_line:
                    via = found
                    break
                outer = outer.f_back
        self._add(active, kind, where, detail, via)
        return True

    def _add(self, active: ActiveTrace, kind: str, where: Where, detail: str, via: Where | None) -> None:
        key = (kind, where)
        if key not in active.record.effects:
            active.record.effects[key] = Effect(kind, where, detail, via, self.current_test)

    def report(self) -> list[dict]:
        return [record.to_json() for record in sorted(self.records.values(), key=lambda r: (r.file, r.line))]


_EMPTY = object()
_PRINT = builtins.print


def _is_tensor(value) -> bool:
    return type(value).__module__.startswith("tensorflow") and hasattr(value, "dtype")


def _fingerprint(container) -> tuple:
    if len(container) > 10_000:
        return (len(container),)
    if isinstance(container, dict):
        return tuple((id(key), id(value)) for key, value in container.items())
    if isinstance(container, set):
        return (len(container), frozenset(map(id, container)))
    return tuple(map(id, container))
