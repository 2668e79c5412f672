"""HYB303: debug switches that turn graph execution off, left in code that is not a test.

``tf.config.run_functions_eagerly(True)`` makes every ``tf.function`` of the process run as
Python, ``tf.data.experimental.enable_debug_mode()`` does the same to every ``tf.data`` function,
and ``model.compile(..., run_eagerly=True)`` runs a model's steps eagerly. Which calls and
keywords these are, and which words mark a debug guard, is data (``rules/api/eager_switches.toml``).

A switch is reported only where it certainly turns graphs off: its argument is ``True`` (or a name
bound to nothing but ``True``), it is not under a debug guard (``if __debug__:``, ``if args.debug:``,
``if FLAGS.run_eagerly:``) nor inside a function named for debugging, it is not switched back off
later in the same body (a scoped toggle), its block does not warn about it (a deliberate switch
announced to users) nor a comment beside it explain it, it is not in a class's own ``compile``
(passing ``run_eagerly=True`` to its base's, or to the models it holds: eager steps by design), the project's code does not read ``run_eagerly`` itself
(it then runs otherwise by it: the switch is load-bearing), no model code of the project fails as a graph
(a Keras layer's ``call`` creating a ``tf.Variable``, a ``tf.function`` calling ``.numpy()``: the switch
is what lets it run, and removing it breaks the program), and it is not in test code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from ..analysis.policy import HybridizationPolicy
from ..analysis.summary import TF_FUNCTION, EffectKind
from ..analysis.syntax import place_key
from ..codemods import CodemodError, remove_argument, remove_statement
from ..config import relative_posix
from ..context import FileContext
from ..diagnostics import Diagnostic, Fix
from ..registry import RuleSpec

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class _Place:
    """Where a node is: the enclosing definitions (outermost first), the tests of enclosing ``if``s,
    and the statement list and statement it belongs to."""

    definitions: tuple[ast.AST, ...]
    tests: tuple[ast.expr, ...]
    block: list[ast.stmt]
    statement: ast.stmt
    module: list[ast.stmt]


def check(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    kb = ctx.knowledge
    policy = ctx.project.policy
    if not policy.hybridize_tests and HybridizationPolicy.is_test_path(relative_posix(ctx.source.path,
                                                                                      ctx.settings.root)):
        return
    for call, place in _calls(ctx.tree.body, (), (), ctx.tree.body):
        if not policy.hybridize_tests and _in_test_class(place):
            continue
        if _debug_guarded(place, kb.debug_guard_words) or _announced(ctx, place) or _explained(ctx, call):
            continue
        dotted = ctx.qualified_name(call.func)
        if dotted in kb.eager_switches_always or (
                dotted in kb.eager_switches_when_true and _first_argument_true(call, place)
                and not _switched_back(ctx, call, place, dotted)):
            if _graph_code_fails(ctx):
                continue
            what = f"`{_spelling(call)}`"
            effect = "runs every `tf.data` function eagerly, element by element" \
                if dotted in kb.eager_switches_always else "runs every `tf.function` of the process eagerly"
            yield ctx.diagnostic(rule, call, fix=_remove_call(ctx, rule, call, place), what=what, effect=effect)
            continue
        if isinstance(call.func, ast.Attribute) and call.func.attr in kb.eager_switch_keywords \
                and not _class_design(call, place):
            name = kb.eager_switch_keywords[call.func.attr]
            if ctx.project.self_attribute_readers.get(name) or ctx.project.attribute_readers.get(name):
                continue  # the project's own code reads `model.run_eagerly` and runs otherwise by it: load-bearing
            for keyword in call.keywords:
                if keyword.arg == name and _certainly_true(keyword.value, place) and not _graph_code_fails(ctx):
                    yield ctx.diagnostic(rule, keyword, fix=_remove_keyword(ctx, rule, keyword),
                                         what=f"`{name}={ast.unparse(keyword.value)}`",
                                         effect=f"makes `{call.func.attr}` run this model's steps eagerly")


def _class_design(call: ast.Call, place: _Place) -> bool:
    """``super().compile(..., run_eagerly=True)`` in a class's own ``compile`` (or the compile of a model
    it holds, ``self.critic.compile(...)``): every object of the class runs those steps eagerly by design
    (a step that needs ``.numpy()``), not a debug switch."""
    method = place.definitions[-1] if place.definitions else None
    return isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and len(place.definitions) > 1 \
        and isinstance(place.definitions[-2], ast.ClassDef) and method.name == call.func.attr

_GRAPH_ERRORS = (EffectKind.VARIABLE_CREATION, EffectKind.EAGER_ONLY_CALL)


def _graph_code_fails(ctx: FileContext) -> bool:
    """Code of the project that runs as a graph when graphs are on fails there (HYB501/HYB502): a
    ``tf.function``, or a Keras layer's or model's ``call`` or step, which ``fit`` traces. With graphs
    off it runs; the switch is load-bearing (imageai's YOLO loss layer makes a ``tf.Variable`` per call)."""
    project, compiled = ctx.project, ctx.knowledge.keras_compiled_methods
    for summary in project.summaries.values():
        for qualname, info in summary.functions.items():
            if not any(error.kind in _GRAPH_ERRORS for error in info.errors):
                continue
            function = (summary.module, qualname)
            root = project.graph_roots.get(function)
            if (root is not None and root.reason == TF_FUNCTION) or (
                    info.class_name and qualname.rsplit(".", 1)[-1] in compiled
                    and project.is_keras_class((summary.module, info.class_name))):
                return True
    return False


def _announced(ctx: FileContext, place: _Place) -> bool:
    """A switch its own block warns about (``warnings.warn("TF runs eagerly for PyTorch")``, or a
    logger's ``logger.warning("Running in eager mode")``): deliberate."""
    calls = [statement.value for statement in place.block
             if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)]
    return any(ctx.qualified_name(call.func) in ctx.knowledge.eager_switch_announcements
               or _warns_through_a_logger(ctx, call) for call in calls)


_COMMENT_REACH = 3  # lines above a switch where a comment still speaks of it


def _explained(ctx: FileContext, call: ast.Call) -> bool:
    """A comment by the switch says why it is there ("run eagerly to fetch the numpy min/max"): a design
    its authors stand by, not a debug switch left on; unless the comment marks it as one ("debug", "TODO")."""
    kb, comments = ctx.knowledge, ctx.source.comments
    rows = range(max(1, call.lineno - _COMMENT_REACH), call.lineno + 1)
    texts = [comments[row].lower() for row in rows if row in comments]
    return any(subject in text for text in texts for subject in kb.eager_switch_comment_subjects) \
        and not any(mark in text for text in texts for mark in kb.eager_switch_leftover_marks)


def _warns_through_a_logger(ctx: FileContext, call: ast.Call) -> bool:
    """``logger.warning(...)`` (or worse) on what a logger factory made: ``logging.getLogger(...)``
    in place, or a name or attribute the module binds to one."""
    kb = ctx.knowledge
    method = call.func
    if not isinstance(method, ast.Attribute) or method.attr not in kb.diagnostic_levels:
        return False
    receiver = place_key(method.value)
    made = [node.value for node in ctx.nodes(ast.Assign) if any(place_key(t) == receiver for t in node.targets)]
    if isinstance(method.value, ast.Call):
        made.append(method.value)
    return any(isinstance(value, ast.Call) and ctx.qualified_name(value.func) in kb.logger_factories
               for value in made)


def _calls(body: list[ast.stmt], definitions: tuple, tests: tuple,
           module: list[ast.stmt]) -> Iterator[tuple[ast.Call, _Place]]:
    """Every call in ``body`` with its place, descending into definitions and blocks."""
    for statement in body:
        place = _Place(definitions, tests, body, statement, module)
        if isinstance(statement, _SCOPES):
            for decorator in statement.decorator_list:
                yield from _calls_in(decorator, place)
            yield from _calls(statement.body, (*definitions, statement), tests, module)
            continue
        if isinstance(statement, ast.If):
            yield from _calls_in(statement.test, place)
            yield from _calls(statement.body, definitions, (*tests, statement.test), module)
            yield from _calls(statement.orelse, definitions, (*tests, statement.test), module)
            continue
        blocks = [getattr(statement, name) for name in ("body", "orelse", "finalbody") if
                  isinstance(getattr(statement, name, None), list)]
        blocks += [handler.body for handler in getattr(statement, "handlers", [])]
        blocks += [case.body for case in getattr(statement, "cases", [])]
        for child in ast.iter_child_nodes(statement):
            if isinstance(child, ast.expr):
                yield from _calls_in(child, place)
            elif isinstance(child, ast.withitem):
                yield from _calls_in(child.context_expr, place)
        for block in blocks:
            yield from _calls(block, definitions, tests, module)


def _calls_in(expr: ast.expr, place: _Place) -> Iterator[tuple[ast.Call, _Place]]:
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            yield node, place


def _in_test_class(place: _Place) -> bool:
    names = ".".join(definition.name for definition in place.definitions)
    return HybridizationPolicy.is_test_function(names + ".x") if names else False


def _debug_guarded(place: _Place, words: tuple[str, ...]) -> bool:
    """Under ``if`` on a debug flag (either branch: ``if not args.debug`` is as deliberate), or in a
    function whose name says it is for debugging."""
    for test in place.tests:
        for node in ast.walk(test):
            text = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else \
                node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if any(word in text.lower() for word in words):
                return True
    return any(isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
               and any(word in definition.name.lower() for word in words) for definition in place.definitions)


def _first_argument_true(call: ast.Call, place: _Place) -> bool:
    argument = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg), None)
    return argument is not None and _certainly_true(argument, place)


def _certainly_true(value: ast.expr, place: _Place) -> bool:
    """``True``, or a name its scope binds to ``True`` and to nothing else (not a parameter)."""
    if isinstance(value, ast.Constant):
        return value.value is True
    if not isinstance(value, ast.Name):
        return False
    scope = next((d for d in reversed(place.definitions) if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))),
                 None)
    if scope is not None:
        arguments = scope.args
        parameters = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                      arguments.vararg, arguments.kwarg) if a is not None}
        if value.id in parameters:
            return False
    values = _bound_values(scope.body, value.id) if scope is not None else []
    if not values:  # not bound in the function: the module's
        values = _bound_values(place.module, value.id)
    return bool(values) and all(isinstance(v, ast.Constant) and v.value is True for v in values)


def _bound_values(body: list[ast.stmt], name: str) -> list[ast.expr | None]:
    """What ``body`` binds ``name`` to (None for a binding that is not an assignment)."""
    found: list[ast.expr | None] = []
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
                found.append(None)  # its value is decided elsewhere
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        found.append(node.value)
                    elif any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(target)):
                        found.append(None)
            elif isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, (ast.Store, ast.Del)):
                if not any(node is t for t in _assign_targets(statement)):
                    found.append(None)
            elif isinstance(node, ast.alias) and (node.asname or node.name.split(".")[0]) == name:
                found.append(None)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                found.append(None)
    return found


def _assign_targets(statement: ast.stmt) -> list[ast.expr]:
    return [target for node in ast.walk(statement) if isinstance(node, ast.Assign) for target in node.targets]


def _switched_back(ctx: FileContext, call: ast.Call, place: _Place, dotted: str) -> bool:
    """The same body turns the switch off again after it (a scoped toggle, often in ``finally``)."""
    scope = next((d for d in reversed(place.definitions) if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))),
                 None)
    body = scope.body if scope is not None else place.module
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and node is not call and (node.lineno, node.col_offset) > (
                    call.lineno, call.col_offset) and ctx.qualified_name(node.func) == dotted:
                argument = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg), None)
                if isinstance(argument, ast.Constant) and argument.value is False:
                    return True
    return False


def _spelling(call: ast.Call) -> str:
    text = ast.unparse(call)
    return text if len(text) <= 60 else ast.unparse(call.func) + "(...)"


def _remove_call(ctx: FileContext, rule: RuleSpec, call: ast.Call, place: _Place) -> Fix | None:
    statement = place.statement
    if not (isinstance(statement, ast.Expr) and statement.value is call):
        return None  # its value is used
    try:
        return ctx.fix(rule, [remove_statement(ctx.source, statement, place.block)], "Remove the call")
    except CodemodError:
        return None


def _remove_keyword(ctx: FileContext, rule: RuleSpec, keyword: ast.keyword) -> Fix | None:
    try:
        return ctx.fix(rule, [remove_argument(ctx.source, keyword)])
    except CodemodError:
        return None
