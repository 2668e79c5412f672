"""Rewrite Python/NumPy randomness and clock reads in graph code into TensorFlow ops (HYB106).

``np.random.normal(m, s, size)`` → ``tf.random.normal(size, m, s)``, ``random.random()`` →
``tf.random.uniform([])``, ``time.time()`` → ``tf.timestamp()``: ops that run on every call of the
graph instead of a value computed once while tracing. The distribution and its parameters are
kept; the stream is TensorFlow's, not NumPy's. Only calls whose arguments map one to one are
rewritten (a ``size`` TensorFlow cannot take as a shape, ``out=``, a NumPy ``Generator`` method:
no rewrite, and the dehybridize fix stays).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..codemods import CodemodError, module_spelling, replace_ast
from ..context import FileContext
from ..diagnostics import Fix
from ..registry import RuleSpec

_CLOCKS = frozenset({"time.time", "time.perf_counter", "time.monotonic"})
_SEEDS = frozenset({"numpy.random.seed", "random.seed", "numpy.random.default_rng", "numpy.random.RandomState",
                    "tensorflow.random.set_seed"})


@dataclass(frozen=True)
class _Distribution:
    """How one Python/NumPy sampler maps to a ``tf.random`` op."""

    op: str  # normal | uniform
    params: tuple[str, ...]  # the sampler's parameters, in order, ``size`` included when it has one
    renames: dict  # sampler parameter → the op's (mean/stddev, minval/maxval)
    defaults: dict  # the sampler's defaults, written out when a later parameter needs them
    integer: bool = False
    inclusive_high: bool = False  # Python's randint(a, b) includes b
    dims: bool = False  # rand(d0, d1, ...): the arguments are the shape


_NUMPY = "numpy.random."
_DISTRIBUTIONS: dict[str, _Distribution] = {
    _NUMPY + "normal": _Distribution("normal", ("loc", "scale", "size"), {"loc": "mean", "scale": "stddev"},
                                     {"loc": "0.0", "scale": "1.0"}),
    _NUMPY + "standard_normal": _Distribution("normal", ("size",), {}, {}),
    _NUMPY + "randn": _Distribution("normal", (), {}, {}, dims=True),
    _NUMPY + "uniform": _Distribution("uniform", ("low", "high", "size"), {"low": "minval", "high": "maxval"},
                                      {"low": "0.0", "high": "1.0"}),
    _NUMPY + "rand": _Distribution("uniform", (), {}, {}, dims=True),
    _NUMPY + "random": _Distribution("uniform", ("size",), {}, {}),
    _NUMPY + "random_sample": _Distribution("uniform", ("size",), {}, {}),
    _NUMPY + "randint": _Distribution("uniform", ("low", "high", "size"), {"low": "minval", "high": "maxval"},
                                      {}, integer=True),
    "random.random": _Distribution("uniform", (), {}, {}),
    "random.uniform": _Distribution("uniform", ("a", "b"), {"a": "minval", "b": "maxval"}, {}),
    "random.randint": _Distribution("uniform", ("a", "b"), {"a": "minval", "b": "maxval"}, {}, integer=True,
                                    inclusive_high=True),
    "random.gauss": _Distribution("normal", ("mu", "sigma"), {"mu": "mean", "sigma": "stddev"},
                                  {"mu": "0.0", "sigma": "1.0"}),
    "random.normalvariate": _Distribution("normal", ("mu", "sigma"), {"mu": "mean", "sigma": "stddev"},
                                          {"mu": "0.0", "sigma": "1.0"}),
}


def rewrite(ctx: FileContext, rule: RuleSpec, what: str, call: ast.Call, function: ast.AST | None) -> Fix | None:
    """The graph-safe replacement of the sampler or clock call ``call`` (``what`` is its dotted name)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    try:
        spelling, import_edits = module_spelling(ctx.source, ctx.bindings, "tensorflow", alias="tf")
    except CodemodError:
        return None
    if what in _CLOCKS:
        if call.args or call.keywords:
            return None
        return _fix(ctx, rule, call, f"{spelling}.timestamp()", import_edits,
                    f"Replace `{_short(what)}()` with `tf.timestamp()` (a float64 tensor of seconds, read on every call)")
    distribution = _DISTRIBUTIONS.get(what)
    if distribution is None:
        return None
    text = _sampler_text(ctx, spelling, distribution, call, function)
    if text is None:
        return None
    seeded = "; the program seeds its random numbers: a `tf.random.Generator.from_seed(...)` is the " \
             "reproducible choice" if _seeds(ctx) else ""
    title = f"Replace `{_short(what)}` with `tf.random.{distribution.op}` (drawn on every call){seeded}"
    return _fix(ctx, rule, call, text, import_edits, title)


def _fix(ctx, rule, call, text, import_edits, title) -> Fix | None:
    try:
        edit = replace_ast(ctx.source, call, text)
    except CodemodError:
        return None
    return ctx.fix(rule, [edit, *import_edits], title)


def _short(what: str) -> str:
    return what.replace("numpy.", "np.", 1) if what.startswith("numpy.") else what


def _sampler_text(ctx: FileContext, tf: str, distribution: _Distribution, call: ast.Call,
                  function: ast.AST | None) -> str | None:
    source = ctx.source

    def text(node: ast.expr) -> str:
        span = source.span_of(node)
        return source.text[span.start:span.end]

    if distribution.dims:
        if call.keywords:
            return None
        shape = "[" + ", ".join(text(a) for a in call.args) + "]"
        bound: dict[str, str] = {}
    else:
        if len(call.args) > len(distribution.params):
            return None
        bound = {name: text(value) for name, value in zip(distribution.params, call.args)}
        for keyword in call.keywords:
            if keyword.arg not in distribution.params or keyword.arg in bound:
                return None
            bound[keyword.arg] = text(keyword.value)
        size_node = _argument(call, distribution.params, "size")
        if "size" in bound and size_node is not None:
            shape = _shape(ctx, tf, size_node)
            if shape is None:
                return None
            del bound["size"]
        else:
            shape = "[]"
    if distribution.integer:
        low, high = (bound.get(p) for p in distribution.params[:2])
        if distribution.params[0] == "low" and high is None:
            low, high = "0", low  # np.random.randint(5): [0, 5)
        if low is None or high is None:
            return None
        if distribution.inclusive_high:
            high = f"{high} + 1"
        dtype = "int64" if _mentions(source, function, "int64") else "int32"
        return f"{tf}.random.uniform({shape}, {low}, {high}, dtype={tf}.{dtype})"
    arguments = [shape]
    renamed = [(distribution.renames[p], bound.get(p), distribution.defaults.get(p))
               for p in distribution.params if p in distribution.renames]
    last = max((i for i, (_, value, _) in enumerate(renamed) if value is not None), default=-1)
    for _, value, default in renamed[:last + 1]:
        arguments.append(value if value is not None else default)
    if _mentions(source, function, "float64"):
        arguments.append(f"dtype={tf}.float64")
    return f"{tf}.random.{distribution.op}({', '.join(arguments)})"


def _argument(call: ast.Call, params: tuple[str, ...], name: str) -> ast.expr | None:
    if name in params and params.index(name) < len(call.args):
        return call.args[params.index(name)]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _shape(ctx: FileContext, tf: str, size: ast.expr) -> str | None:
    """``size`` as a ``tf.random`` shape: a literal int becomes ``[n]``, a tuple or list stays, and
    ``x.shape`` becomes ``tf.shape(x)`` (its dimensions may be unknown while tracing). Anything else
    may be an int or a sequence, which TensorFlow takes differently: no rewrite."""
    source = ctx.source

    def text(node: ast.expr) -> str:
        span = source.span_of(node)
        return source.text[span.start:span.end]

    if isinstance(size, ast.Constant) and type(size.value) is int:
        return f"[{size.value}]"
    if isinstance(size, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in size.elts):
        return text(size)
    if isinstance(size, ast.Attribute) and size.attr == "shape":
        return f"{tf}.shape({text(size.value)})"
    return None


def _mentions(source, function: ast.AST | None, dtype: str) -> bool:
    """Whether the function around the call works in ``dtype`` (``tf.float64``, ``np.int64``, "int64")."""
    if function is None:
        return False
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr == dtype:
            return True
        if isinstance(node, ast.Constant) and node.value == dtype:
            return True
    return False


def _seeds(ctx: FileContext) -> bool:
    """Whether the module seeds Python's, NumPy's or TensorFlow's random numbers."""
    for node in ctx.nodes(ast.Call):
        name = ctx.bindings.qualified_name(node.func)
        if name and ctx.knowledge.canonical(name) in _SEEDS and (node.args or node.keywords):
            return True
    return False
