"""Per-module summaries: the facts other modules need, without the AST.

A summary is small, JSON-serialisable and keyed by the module's content
hash, so the project-level analyses can be rebuilt from an on-disk cache by
every flake8 worker or pre-commit run without re-parsing the project.

Callees are recorded as *references*, resolved later against the whole project because a module
cannot know what another module defines; summaries store their string form, which only
:mod:`.refs` writes and reads.
"""

from __future__ import annotations

import ast
import enum
import hashlib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterator

Loc = tuple[int, int, int, int]  # ast lineno, col_offset, end_lineno, end_col_offset

# Localities of a value a call site passes or a function touches: made in the function, or a module
# global (captured); besides these, a parameter's, an enclosing function's variable's, or a
# parameter's that ``next()`` advances (stored as "param:NAME", "closure:NAME", "iterparam:NAME").
LOCAL, CAPTURED = "local", "captured"
PARAM, CLOSURE, ITERPARAM = "param", "closure", "iterparam"


@dataclass(frozen=True)
class Locality:
    """A locality as a value. Summaries store its string form; only this class writes or reads it."""

    kind: str  # LOCAL | CAPTURED | PARAM | CLOSURE | ITERPARAM
    name: str = ""  # the parameter or variable, for the kinds that have one

    @classmethod
    def parse(cls, text: str) -> "Locality":
        kind, _, name = text.partition(":")
        return cls(kind, name)

    @classmethod
    def of_param(cls, name: str) -> str:
        return f"{PARAM}:{name}"

    @classmethod
    def of_closure(cls, name: str) -> str:
        return f"{CLOSURE}:{name}"

    @classmethod
    def of_iterparam(cls, name: str) -> str:
        return f"{ITERPARAM}:{name}"


FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class EffectKind(str, enum.Enum):
    """What a Python side effect (or graph-mode error) is. Rules name the kind they report
    (``effect`` in their TOML); the analyses never name rules."""

    PRINT = "print"
    IO = "io"
    GLOBAL_WRITE = "global-write"
    ATTRIBUTE_WRITE = "attribute-write"
    CONTAINER_MUTATION = "container-mutation"
    NONDETERMINISM = "nondeterminism"
    PYTHON_ITERATOR = "python-iterator"
    EAGER_ONLY_CALL = "eager-only-call"
    VARIABLE_CREATION = "variable-creation"

    __str__ = str.__str__  # the stored form, in the cache and in messages alike
    __format__ = str.__format__


@dataclass
class Effect:
    """A Python side effect (or graph-mode error) a function performs itself."""

    kind: str  # an EffectKind (stored as its value)
    what: str
    loc: Loc
    # None: always; "param:NAME" / "closure:NAME": only if that object is not local to the caller;
    # "iterparam:NAME": only if a caller passes a Python iterator as NAME.
    target: str | None = None
    # A mutation known only by the method's name (the receiver's type is unknown): no side effect
    # when a project class or a TensorFlow/Keras type has a method of that name.
    by_name: str | None = None
    # A log line with no tensor in it (see ``log_calls`` in rules/api/python.toml): in a helper, it tells
    # about trace-time facts, and logging it once per trace loses nothing.
    log_line: bool = False
    # A log line that is a diagnostic wherever it is: at warning level or under a Python condition.
    diagnostic: bool = False
    # ``self.ATTR = ...`` before any read of ``self.ATTR`` in the function: the attribute's name when
    # the value may be scratch state for the rest of the call (see ``SideEffectAnalysis``).
    scratch_attribute: str | None = None
    # The branches and loop bodies the write runs in (``statement_walk.block_path``; none: every call writes).
    # A later call in the same arms runs only after it, whatever the condition; code after the ``if`` need not
    # see this call's value (under a tensor condition every trace writes what only some calls would).
    blocks: list[list[int]] = field(default_factory=list)
    # ``self.state = PARAM`` in a setter: the parameter whose argument the write stores. A caller that
    # passes a tensor of its trace parks it on the object for the rest of the trace (the graph
    # computes it on every call), as it would park ``self.state = tf.zeros(...)``.
    stored_param: str | None = None
    # ``self.has_weights = weights is not None``, ``self.keys = sorted(x.keys())``, ``self.ready = True``: a
    # value fixed for one trace (a constant, or the structure of the inputs, which a new trace follows).
    fixed_per_trace: bool = False
    # Of those, a fact of the inputs' structure (``x.shape[1]``, ``len(x)``), not a constant (a mode flag
    # such as ``self.training = True``, which users may set back between calls).
    structure_fact: bool = False
    # ``self.ATTR = <a Python value>`` in a method: ATTR, so a graph of another method that reads it
    # can be known to keep a stale value.
    self_attribute: str | None = None
    # Runs only when this parameter of the function is true (``if verbose:``, ``do = memo and x``; ``if do:``):
    # a call passing a false constant does not run it, nor one leaving it out when its default is false.
    enabled_by: list[str] = field(default_factory=list)  # every such flag, outermost first


@dataclass
class Blocker:
    """Something that would fail or change behaviour if the function ran as a graph."""

    reason: str
    loc: Loc
    # The blocker applies only if one of these is a tensor; or, for a condition atom (``keras-method:``,
    # ``object:``, ``summaries-only``), if the condition holds (see ``HybridizationAnalysis``).
    # Markers: ``as-entry`` (only the decorated function itself breaks, e.g. by what it returns: graph
    # code calling it is fine, so callers are not blocked), ``python-str`` (it returns a Python
    # ``str``, a string tensor once traced), ``numpy-call`` (NumPy run on the atoms' values: also applies,
    # where the boundary is chosen, to a parameter nothing is known of; traced, it gets a tensor).
    atoms: list[str] = field(default_factory=list)


@dataclass
class CallSite:
    loc: Loc
    callees: list[str]
    args: list[str] = field(default_factory=list)  # locality of each positional argument
    keywords: dict[str, str] = field(default_factory=dict)
    receiver: str | None = None  # locality of the object a method is called on
    receiver_name: str = ""  # that object's name when it is a bare one (``memory`` in ``memory.clear()``)
    passed: bool = False  # the callee is passed as a value (map, partial, lambda), not called here
    iterator_args: list[int] = field(default_factory=list)  # positions bound to Python iterators
    arg_values: list[list[str]] = field(default_factory=list)  # abstract value of each positional argument
    keyword_values: dict[str, list[str]] = field(default_factory=dict)
    arg_names: list[str] = field(default_factory=list)  # each positional argument's name, "" if not a bare name
    keyword_names: dict[str, str] = field(default_factory=dict)  # keyword → the bare name passed, if one
    # Arguments (positions, keywords) the same at every execution of the site that steer Python code: a
    # string constant (a mode, an op name) or the object's own state (`len(self.tokenizer)`). One trace
    # per site, not per call. (Numbers written at calls are not here: sites that disagree retrace.)
    steady_args: list[int | str] = field(default_factory=list)
    # Arguments written out as constants at the call (`256`, `(128, 128, 128)`): the same at every
    # execution of the site, so one trace per site; sites that pass different constants trace once each.
    constant_args: list[int | str] = field(default_factory=list)
    constant_texts: list[str] = field(default_factory=list)  # the source of each of constant_args, in order
    # Arguments that are a name bound by unpacking a structure: their value holds every element's atoms.
    unpacked_args: list[int | str] = field(default_factory=list)
    in_loop: bool = False
    # under an `if` inside the loop body (`if step % display_step == 0: ...`): not every iteration
    occasional: bool = False
    conditional: bool = False  # under an `if` anywhere in its function: not on every call of it
    blocks: list[list[int]] = field(default_factory=list)  # its branches and loop bodies (statement_walk.block_path)
    runs_now: bool = False  # a function passed to control flow (`tf.while_loop(cond, body)`): run by this call
    # `chain.set_ls(x)` on an object of no known type (a loop variable, an element of a list): the method's name,
    # which only the project's classes of that name can tell about
    untyped_method: str = ""
    loop_trips: int | None = None  # how often its loops run it, when they are `range`s of known integers
    # Its innermost loop walks a Python sequence (a list or tuple literal, a slice, `zip` of such,
    # a structure's flattened parts, a dict's items): a few different Python values, not a stream of data.
    over_python_sequence: bool = False
    # Its innermost loop walks the parts of one structure (`nest.flatten(x)`, a dict's items) or a list
    # written out: a few values of their own shapes, not a step repeated over data.
    over_structure_parts: bool = False
    # Under a guard that makes the callee's Python side effects no per-trace hazard: a block that runs
    # once ever (`if self.w is None: ...`), only eagerly (`if tf.executing_eagerly(): ...`) or only while
    # someone debugs (`if logger.isEnabledFor(logging.DEBUG): ...`).
    guarded: bool = False
    # A call named like a logging method (`tf_logging.warning(...)`, a project's wrapper of logging) that
    # would be a diagnostic as a log call: warning level or a Python-only condition, no tensor logged.
    diagnostic_log: bool = False
    splats: bool = False  # passes ``*args`` or ``**kwargs``: which parameters it fills is unknown
    # Arguments (positions, keywords) that make a new function object at every run of the site: a ``lambda``
    # or ``functools.partial(...)`` written at the call. A tf.function traces again for each new one.
    made_functions: list[int | str] = field(default_factory=list)
    # Names it passes of lists the loop around it grows from `[]`, by its result or by appending (loop_carried).
    grown_lists: list[str] = field(default_factory=list)
    # Flag parameters of the caller the site needs true (``if verbose:``, after ``if not kwargs: return``).
    enabled_by: list[str] = field(default_factory=list)

    def constant_text(self, where: int | str) -> str | None:
        """The source of the constant written for an argument (a position or a keyword), if it is one."""
        return self.constant_texts[self.constant_args.index(where)] if where in self.constant_args else None


@dataclass
class WrapperCall:
    """``return CALLEE(..., PARAM, ...)`` in a function: it wraps PARAM if CALLEE wraps that argument."""

    callee: str  # a reference; ``name:tensorflow.function`` for tf.function itself
    param: str  # the function's parameter passed on; ``*args`` for its variadic parameter
    argument: str  # where CALLEE receives it: a position ("0") or a keyword
    autograph: bool | None = None  # the call passes autograph=True/False (None: not said)


@dataclass
class FunctionSummary:
    qualname: str
    lineno: int
    hybrid: bool
    params: list[str] = field(default_factory=list)
    class_name: str | None = None
    decorators: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    errors: list[Effect] = field(default_factory=list)  # graph-mode errors (HYB5xx), not side effects
    # ``self.x = <a tensor of the trace>``: no side effect (the graph computes it on every call), but a
    # write that the call's later reads of ``self.x`` see, as they see an effect's.
    tensor_parks: list[Effect] = field(default_factory=list)
    calls: list[CallSite] = field(default_factory=list)
    local_localities: dict[str, str] = field(default_factory=dict)
    returned_functions: list[str] = field(default_factory=list)
    is_generator: bool = False
    is_async: bool = False
    stub: bool = False  # body is only a docstring, `pass`, `...` or `raise NotImplementedError`
    nested: bool = False  # defined inside another function
    never_defined: bool = False  # nested after a statement that always raises NameError: it never runs
    defaults: list[str] = field(default_factory=list)  # parameters with default values
    flag_params: list[str] = field(default_factory=list)  # those whose default is a false constant (None, False, 0)
    keywords_param: str | None = None  # the ``**kwargs`` parameter: a flag too, empty (false) unless a call fills it
    called_params: list[str] = field(default_factory=list)  # parameters the body calls (``fn(x)``): callbacks
    variadic: bool = False  # has *args, **kwargs or keyword-only parameters
    tensor_hints: list[str] = field(default_factory=list)  # annotated as tensors / input_signature
    returns: list[str] = field(default_factory=list)  # abstract value of what it returns
    direct_tensor_work: bool = False
    # Operations in the body that may be tensor ops (TensorFlow calls, arithmetic on non-literals),
    # a gradient or an optimizer step weighing more: the benefit estimate of running it as a graph.
    tensor_ops: int = 0
    # Of those, the ones its loop bodies run once per iteration (every loop of the body together): what a
    # function's loop does besides calling project functions (``tape.gradient``, a model call).
    loop_tensor_ops: int = 0
    global_reads: list[str] = field(default_factory=list)  # module-level variables the body reads
    attribute_loads: list[str] = field(default_factory=list)  # attributes the body reads, but its own
    self_attribute_loads: list[str] = field(default_factory=list)  # a method's reads of `self.NAME`
    loop_bound: list[str] = field(default_factory=list)  # locals bound anew in a loop (its targets included)
    reads_variable_lists: bool = False  # reads `.trainable_variables` or the like
    tensor_work: list[list[str]] = field(default_factory=list)  # operands: a tensor among them = computation
    blockers: list[Blocker] = field(default_factory=list)
    hybrid_keywords: list[str] = field(default_factory=list)  # keywords of its tf.function decorator
    autograph: bool = True  # False: its tf.function decorator passes autograph=False
    # Calls it returns that apply a callee to one of its parameters (``return tf.function(fn, ...)``):
    # the evidence, resolved by the project, that it is a wrapper of tf.function.
    wrapper_calls: list[WrapperCall] = field(default_factory=list)
    # What NumPy-array parameters would meet in a graph: for a parameter that is an operand of
    # arithmetic, the other operands' values; how often it is read; attributes read from it.
    operand_partners: dict[str, list[list[str]]] = field(default_factory=dict)
    param_loads: dict[str, int] = field(default_factory=dict)  # reads of each parameter but self/cls
    param_attributes: dict[str, list[str]] = field(default_factory=dict)  # other than dtype
    # Parameters the body needs as Python values, arguments of `math`/`scipy` (`math.factorial(n)`):
    # a tensor there fails, so each value is its own trace by design.
    python_params: list[str] = field(default_factory=list)
    # "instance" | "class" (@classmethod) | "static" (@staticmethod) | "property" (read as an attribute)
    method_kind: str = "instance"

    def receiverless_params(self) -> list[str]:
        """The parameters callers' arguments fill: all but a method's ``self``/``cls``."""
        return self.params[1:] if self.class_name is not None and self.method_kind != "static" else list(self.params)


@dataclass
class ClassSummary:
    qualname: str
    lineno: int
    bases: list[str] = field(default_factory=list)  # refs
    methods: list[str] = field(default_factory=list)
    attribute_types: dict[str, str] = field(default_factory=dict)  # self.ATTR = TYPEREF(...)
    decorators: list[str] = field(default_factory=list)  # refs ("?" when unnamed)
    unnamed_bases: bool = False  # a base the summary cannot name (``namedtuple(...)``)
    # methods ``__new__``/``__init__`` replace on each object (``obj.update_state = MethodType(wrapper, obj)``):
    # calls through an instance run what was bound there, not the class's function
    replaced_methods: list[str] = field(default_factory=list)
    # its own ``compile`` passes ``run_eagerly=True`` to the base's: Keras runs every object's steps
    # eagerly by design (``train_step`` calls ``.numpy()``), so ``fit`` traces none of them
    eager_steps: bool = False


# Why a function is a graph root (GraphRoot.reason, GraphEntry.via).
TF_FUNCTION = "tf.function"  # decorated with, or wrapped in, tf.function (or a wrapper of it)
KERAS_FIT = "Keras fit"  # a Keras model's call/train_step run by fit/evaluate/predict
ONE_OBJECT = "tf.function of one object"  # GraphEntry.via: wraps a bound method, not the class's function
# GraphEntry.via: called by a lambda a tf.function wraps (``tf.function(lambda t: init(t))``): traced
# as part of that lambda's graph, but no tf.function object itself; its other calls are eager calls.
IN_TF_FUNCTION_LAMBDA = "called by a tf.function lambda"
# GraphEntry.via: given to a class that calls it once to build a TF1 graph (an Estimator's model_fn):
# graph code, but with no per-call behaviour for a trace to skip.
BUILDS_A_GRAPH = "builds an Estimator graph"
# GraphEntry.via, followed by the method (``tf.data map``): tf.data traces it and runs it in its own graph.
TF_DATA = "tf.data"


@dataclass
class GraphEntry:
    """A function traced as graph code because of how it is used here."""

    ref: str
    loc: Loc
    via: str  # e.g. "tf.function", "tf.data map", "fit"
    signature: bool = False  # tf.function(f, input_signature=...)
    # via == "wrapper": ``W(f)``/``@W`` with W maybe a project or framework wrapper of tf.function,
    # decided by the project; ``argument`` is where W receives f (a position or a keyword), or "@" for
    # ``@W(...)``/``W(...)(f)``: f is the first argument of what ``W(...)`` returns
    wrapper: str = ""
    argument: str = "0"
    autograph: bool | None = None  # the use passes autograph=True/False (None: not said)
    # ``ds.map(lambda p: read(p, return_numpy=False))``: the lambda's call of ``ref``, its positional count and
    # its keywords, each mapped to whether it passes a false constant (None: not through a lambda).
    lambda_positional: int | None = None
    lambda_keywords: dict[str, bool] = field(default_factory=dict)


@dataclass
class ModuleSummary:
    module: str
    content_hash: str
    is_package: bool = False
    path: str = ""  # relative to the project root, for messages
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    bindings: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    star_bindings: dict[str, str] = field(default_factory=dict)  # imports the star imports bring (names.star_bindings)
    all_names: list[str] | None = None
    instances: dict[str, str] = field(default_factory=dict)  # module-level NAME = TYPEREF(...)
    aliases: dict[str, str] = field(default_factory=dict)  # module-level NAME = ref (f = g, f = tf.function(g))
    graph_entries: list[GraphEntry] = field(default_factory=list)
    eager_entries: list[str] = field(default_factory=list)  # passed to tf.py_function: run eagerly
    # [TYPEREF (or ``attr:MODULE:CLASS:ATTR``, the type of ``self.ATTR``), METHOD] for ``obj.fit(...)`` & co.,
    # plus "super" for ``super().fit(...)``: Keras compiles ``call`` only if its own METHOD runs, not an override
    compiled_calls: list[list[str]] = field(default_factory=list)
    module_calls: list[CallSite] = field(default_factory=list)  # calls at module top level
    values: dict[str, list[str]] = field(default_factory=dict)  # abstract values of module-level names
    tensor_dtypes: dict[str, str] = field(default_factory=dict)  # module-level NAME = tf.Variable(0.5): float32
    hybrid_object_uses: list[str] = field(default_factory=list)  # refs of f in f.get_concrete_function()
    # Refs of functions stored on an object or in a structure (`self.fn = f`, `fns = (init, update)`,
    # `Model(metrics_fns=(init, update))`): called by code the analysis cannot follow.
    stored_functions: list[str] = field(default_factory=list)
    attribute_loads: list[str] = field(default_factory=list)  # attributes read outside functions
    # Module-level variables rebound while the program runs (in a module-level loop, or by a function
    # through `global`), with the line: a graph traced before keeps the old value.
    rebound_globals: dict[str, int] = field(default_factory=dict)
    trainable_toggles: list[int] = field(default_factory=list)  # `x.trainable = ...` while the program runs
    # `fast = tf.function(model)`, `self.fn = tf.function(self.step)`: a tf.function of one object's
    # method. Calls through the wrapper (ref as call sites spell it: `name:M.fast`,
    # `method:M:C:fn`) are graph calls of the wrapped ref; calls of the method on its own are eager.
    hybrid_wrappers: dict[str, str] = field(default_factory=dict)
    graph_mode_tf1: bool = False  # written for TF1 sessions/placeholders
    keras_without_tensorflow: bool = False  # Keras 3 code not bound to TensorFlow
    other_framework: bool = False  # imports PyTorch/JAX and not TensorFlow: not TF code
    without_tensorflow: bool = False  # imports nothing of the TensorFlow family, not even through `*`

    def to_json(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ModuleSummary":
        def function(raw: dict[str, Any]) -> FunctionSummary:
            raw = dict(raw)
            raw["effects"] = [_effect(e) for e in raw.get("effects", ())]
            raw["errors"] = [_effect(e) for e in raw.get("errors", ())]
            raw["tensor_parks"] = [_effect(e) for e in raw.get("tensor_parks", ())]
            raw["calls"] = [_call(c) for c in raw.get("calls", ())]
            raw["blockers"] = [Blocker(b["reason"], tuple(b["loc"]), b.get("atoms", []))
                               for b in raw.get("blockers", ())]
            raw["wrapper_calls"] = [WrapperCall(**w) for w in raw.get("wrapper_calls", ())]
            return FunctionSummary(**raw)

        data = dict(data)
        data["functions"] = {name: function(raw) for name, raw in data.get("functions", {}).items()}
        data["classes"] = {name: ClassSummary(**raw) for name, raw in data.get("classes", {}).items()}
        data["graph_entries"] = [GraphEntry(**{**raw, "loc": tuple(raw["loc"])}) for raw in data.get("graph_entries", ())]
        data["module_calls"] = [_call(c) for c in data.get("module_calls", ())]
        return cls(**data)


def _plain(value: Any) -> Any:
    """Like ``dataclasses.asdict`` without its deep copies, and without fields at their defaults.

    Summaries are written and read on every run; most call sites have no keywords, literals or
    iterators, and leaving those out makes the cache about half the size and twice as fast to load.
    """
    if hasattr(value, "__dataclass_fields__"):
        defaults = _defaults(type(value))
        return {key: _plain(item) for key, item in value.__dict__.items()
                if key not in defaults or item != defaults[key]}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(cls: type) -> dict[str, Any]:
    """Field name → default value, for the fields of a dataclass that have one."""
    found = _DEFAULTS.get(cls)
    if found is None:
        found = _DEFAULTS[cls] = {}
        for spec in fields(cls):
            if spec.default is not MISSING:
                found[spec.name] = spec.default
            elif spec.default_factory is not MISSING:
                found[spec.name] = spec.default_factory()
    return found


def _effect(raw: dict[str, Any]) -> Effect:
    return Effect(**{**raw, "loc": tuple(raw["loc"])})  # every field, so a new one is never dropped


def _call(raw: dict[str, Any]) -> CallSite:
    raw = dict(raw)
    raw["loc"] = tuple(raw["loc"])
    return CallSite(**raw)


def loc_of(node: ast.AST) -> Loc:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)


def summary_schema() -> dict[str, list[str]]:
    """The stored fields of every summary type: part of the cache key, so a summary written
    before a field was added is never read back with that field silently defaulted."""
    return {cls.__name__: [f.name for f in fields(cls)]
            for cls in (Effect, Blocker, CallSite, WrapperCall, FunctionSummary, ClassSummary, GraphEntry, ModuleSummary)}


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def module_name_for(path: Path, root: Path) -> tuple[str, bool]:
    """Dotted module name of ``path`` inside the project at ``root``, and whether it is a package."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        relative = Path(path.name)
    parts = list(relative.with_suffix("").parts)
    if len(parts) > 1 and parts[0] == "src" and not (root / "src" / "__init__.py").exists():
        parts = parts[1:]
    is_package = bool(parts) and parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def iter_functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, FunctionNode]]:
    """Every function with its qualified name (``Class.method``, ``outer.inner``; see :func:`definition_names`).

    Only statements are visited: a ``def`` cannot hide inside an expression.
    """
    definitions = list(_scope_definitions(tree))
    for node, name in zip(definitions, definition_names(definitions)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualname = f"{prefix}{name}"
            yield qualname, node
            yield from iter_functions(node, qualname + ".")
        else:
            yield from iter_functions(node, f"{prefix}{name}.")


def definition_names(definitions: list[ast.AST]) -> list[str]:
    """The names of one scope's defs and classes in qualnames: ``NAME``, or ``NAME@LINE`` for a
    definition a later one of the same name replaces (``def f`` under ``if`` and again under ``else``,
    or redefined further down). Each is analysed on its own; references to ``NAME`` mean the last."""
    last: dict[tuple[bool, str], tuple[int, int]] = {}
    for node in definitions:
        key = (isinstance(node, ast.ClassDef), node.name)
        last[key] = max(last.get(key, (0, 0)), (node.lineno, node.col_offset))
    return [node.name if last[(isinstance(node, ast.ClassDef), node.name)] == (node.lineno, node.col_offset)
            else f"{node.name}@{node.lineno}" for node in definitions]


def _scope_definitions(node: ast.AST) -> Iterator[ast.AST]:
    """The defs and classes of ``node``'s own scope, also inside its if/try/with/match blocks."""
    for child in _child_statements(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield child
        else:
            yield from _scope_definitions(child)


_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _child_statements(node: ast.AST) -> Iterator[ast.AST]:
    """Statements directly in ``node``'s blocks (and its ``except``/``case`` clauses, whose bodies hold more)."""
    for name in _BLOCK_FIELDS:
        block = getattr(node, name, None)
        if isinstance(block, list):
            yield from block
