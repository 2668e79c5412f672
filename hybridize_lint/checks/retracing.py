"""HYB201–HYB205: calls and constructions that make a tf.function trace again and again."""

from __future__ import annotations

import ast
from typing import Iterator

from ..analysis.hybridization import DEHYBRIDIZE_RETRACING
from ..analysis.project import FunctionId, Target, call_arguments
from ..analysis.summary import ONE_OBJECT, TF_FUNCTION, CallSite, FunctionSummary, loc_of
from ..analysis.values import CONTAINER, LITERAL, VARYING_SHAPE
from ..codemods import CodemodError, module_spelling, replace_ast
from ..context import FileContext
from ..diagnostics import Diagnostic, Edit, Fix
from ..fixes.dehybridize import with_dehybridization
from ..registry import RuleSpec, rules_by_code
from .hoisting import hoist_fix, hoistable_wrappers

REDUCE_RETRACING_SINCE = (2, 9)
_RETRACING_KEYWORDS = ("input_signature", "reduce_retracing", "experimental_relax_shapes")


def _hybrid_call_sites(ctx: FileContext, signature_converts: bool = False
                       ) -> Iterator[tuple[CallSite, Target, FunctionSummary]]:
    """Call sites in this file whose callee is a ``tf.function``.

    ``signature_converts``: leave out callees whose Python arguments are no retracing hazard: those
    with an ``input_signature``, which converts Python scalars and containers to the tensors it
    describes, and ``jit_compile=True`` ones, whose Python arguments are compile-time constants of
    the XLA program on purpose (sizes, flags).
    """
    project = ctx.project
    sites = [(qualname, site) for qualname, function in ctx.summary.functions.items() for site in function.calls]
    sites += [(None, site) for site in ctx.summary.module_calls]
    for caller, site in sites:
        if site.passed or project.in_test_code((ctx.module, caller or "<module>")):
            continue  # a test calls with the values its case needs: one trace per case, by design
        if caller is not None and ((ctx.module, caller) in project.graph_roots
                                   or project.runs_only_in_graphs((ctx.module, caller))):
            continue  # runs only while a graph traces: a new value traces the callee only then
        for ref in site.callees:
            for target in project.resolve_ref(ref):
                root = project.graph_roots.get(target.function)
                info = project.function(target.function)
                if info is not None and info.nested and not _made_by(target.function, ctx.module, caller):
                    continue  # a factory makes a new tf.function per call: other sites call other objects
                through_wrapper = root is not None and root.reason == ONE_OBJECT and ref in project.hybrid_wrappers
                if root is not None and (root.reason == TF_FUNCTION or through_wrapper) and info is not None \
                        and not root.only_by_tests and not (  # a test's tf.function(f): the program calls f
                            signature_converts and (root.signature or "jit_compile" in info.hybrid_keywords)):
                    yield site, target, info


def _made_by(function: FunctionId, module: str, caller: str | None) -> bool:
    """Whether ``caller`` (in ``module``) is the function ``function`` is defined in: its calls there
    reach the one tf.function object that call of the enclosing function made."""
    return caller is not None and function == (module, f"{caller}.{function[1].rsplit('.', 1)[-1]}")


def _bound_arguments(site: CallSite, target: Target, info: FunctionSummary):
    """(parameter, position or keyword, abstract value) for every argument of a call site."""
    for param, where, atoms in call_arguments(info, target, site):
        yield param, where, set(atoms)


def _argument_node(call: ast.Call, where: int | str) -> ast.expr | None:
    if isinstance(where, int):
        return call.args[where] if where < len(call.args) else None
    return next((k.value for k in call.keywords if k.arg == where), None)


def varying_scalars(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB201: Python scalars that vary between calls; each new value is a new trace."""
    analysis = ctx.analyses.hybridization
    for site, target, info in _hybrid_call_sites(ctx, signature_converts=True):
        call = ctx.node_at(site.loc, ast.Call)
        if not isinstance(call, ast.Call):
            continue
        for param, where, atoms in _bound_arguments(site, target, info):
            if LITERAL not in atoms or CONTAINER in atoms or param in info.python_params \
                    or not _varies(ctx, target.function, param, site, call, where):
                continue  # a Python-only use (`math.factorial(n)`) needs the Python value: a trace per value is the design
            verdict = analysis.verdict(target.function)
            if _reported_as_retracing(ctx, verdict, param):
                continue  # one cause, one finding: HYB402 on the definition says it and removes the tf.function
            argument = _argument_node(call, where)
            fix = None
            if verdict is None or verdict.action != DEHYBRIDIZE_RETRACING:
                fix = _tensor_argument_fix(ctx, rule, argument)
            yield ctx.diagnostic(rule, argument if argument is not None else site.loc, fix=fix,
                                 function=target.function[1], param=param)


def _reported_as_retracing(ctx: FileContext, verdict, param: str) -> bool:
    if verdict is None or verdict.action != DEHYBRIDIZE_RETRACING or param not in verdict.retracing_params:
        return False
    retracing = rules_by_code().get("HYB402")
    return retracing is not None and ctx.settings.is_enabled(retracing.code, retracing.default_enabled) \
        and not ctx.settings.ignored_for_path(retracing.code, ctx.source.path)


def _varies(ctx: FileContext, function: FunctionId, param: str, site: CallSite, call: ast.Call,
            where: int | str) -> bool:
    """A loop variable or computed scalar varies; numeric constants vary when call sites disagree.
    Not: the object's own state read afresh (``len(self.tokenizer)``, the same at every call), nor a
    string constant (a mode or an op name that steers Python code: as many traces as the program
    spells names, and a tensor would break the Python that tests it)."""
    argument = _argument_node(call, where)
    if where in site.steady_args or (where in site.constant_args and not ctx.project.policy.every_function
                                     and ctx.analyses.hybridization.obstacle_analysis.constants_trace_once(
                                         function, param)):
        return False
    constants = _module_constants(ctx)
    if argument is not None and _constant_text(argument, constants) is None:
        return True
    facts = ctx.analyses.hybridization.tensors.of(function)
    evidences = facts.literals.get(param, [])
    return len({(e.module, e.line) for e in evidences}) > 1 \
        and len(_constant_texts(ctx, function, evidences, param, constants)) != 1


def _constant_texts(ctx: FileContext, function: FunctionId, evidences, param: str,
                    constants: dict[str, str]) -> set[str]:
    """The constant values passed for ``param`` at the call sites in this file; a computed value, or
    a call in another file, counts as a value of its own."""
    texts: set[str] = set()
    for evidence in evidences:
        call = ctx.node_at(evidence.site.loc, ast.Call) \
            if evidence.module == ctx.module and evidence.site is not None else None
        argument = _bound_node(ctx, function, evidence.site, call, param) if isinstance(call, ast.Call) else None
        text = _constant_text(argument, constants) if argument is not None else None
        texts.add(text if text is not None else f"{evidence.module}:{evidence.line}")
    return texts


def _bound_node(ctx: FileContext, function: FunctionId, site: CallSite, call: ast.Call,
                param: str) -> ast.expr | None:
    """The argument expression of ``call`` bound to ``param`` of ``function``."""
    info = ctx.project.function(function)
    for target in (t for ref in site.callees for t in ctx.project.resolve_ref(ref) if t.function == function):
        for name, where, _ in call_arguments(info, target, site) if info else ():
            if name == param:
                return _argument_node(call, where)
    return None


def _constant_text(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The text of a value that is the same at every evaluation, with module-level constants
    (assigned once, never rebound through ``global``) spelled out; None for anything else."""
    if _is_constant(node):
        return ast.unparse(node)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
        elements = [*node.keys, *node.values] if isinstance(node, ast.Dict) else node.elts
        parts = [_constant_text(element, constants) if element is not None else None for element in elements]
        return f"{type(node).__name__}({', '.join(parts)})" if None not in parts else None
    return None


def _module_constants(ctx: FileContext) -> dict[str, str]:
    """Module-level names bound once to a literal value and never declared ``global``: name → value text."""
    assigned: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    for statement in ctx.tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                    assigned[name] = assigned.get(name, 0) + 1
                    if isinstance(statement, ast.Assign) and isinstance(target, ast.Name) \
                            and _is_literal_value(statement.value):
                        values[name] = statement.value
    rebound = {name for node in ctx.nodes(ast.Global) for name in node.names}
    constants: dict[str, str] = {}
    for name, value in values.items():
        if assigned[name] == 1 and name not in rebound:
            constants[name] = _constant_text(value, {}) or ast.unparse(value)
    return constants


def _is_literal_value(node: ast.expr | None) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _is_constant(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant)


def _tensor_argument_fix(ctx: FileContext, rule: RuleSpec, argument: ast.expr | None) -> Fix | None:
    """``0.5`` → ``tf.constant(0.5)``: only for floats, whose tensor dtype (float32) is the usual one."""
    if argument is None or not _is_constant(argument):
        return None
    value = argument.operand.value if isinstance(argument, ast.UnaryOp) else argument.value
    if not isinstance(value, float):
        return None
    try:
        module, edits = module_spelling(ctx.source, ctx.bindings, "tensorflow", alias="tf")
        text = ast.unparse(argument)
        edits.append(replace_ast(ctx.source, argument, f"{module}.constant({text})"))
    except CodemodError:
        return None
    return ctx.fix(rule, edits)


def created_per_call(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB202: ``tf.function(...)`` in a loop body, or created and called on the spot inside a function.

    Not reported:
    - inside graph code: a loop there runs while tracing (one function per device or per layer,
      built once per trace and inlined into the enclosing graph), not on every call;
    - in a loop, around a function the loop changes (``tf.function(fn)`` for each ``fn`` of a list,
      or a ``def`` closing over the loop variable or taking it as a default): each iteration makes a
      different function, and
      one made before the loop would compute something else;
    - a function the loop only hands to a dataset (``ds.map(fn)``), which traces it once either way;
    - in test code, which calls what it creates once per test case.
    """
    if not ctx.hybridizer_calls and not any(info.hybrid for info in ctx.summary.functions.values()):
        return  # nothing is hybridized here: no need to walk the tree with loop context
    reported: set[int] = set()
    hoists = hoistable_wrappers(ctx)
    qualnames = {id(node): qualname for qualname, node in ctx.functions.items()}
    traced = {id(node) for qualname, node in ctx.functions.items()
              if (ctx.module, qualname) in ctx.project.graph_roots}
    for node, loop, function in _walk_with_context(ctx.tree):
        in_function = function is not None
        if id(node) in reported or id(function) in traced:
            continue
        if ctx.project.in_test_code((ctx.module, qualnames.get(id(function), "<module>"))):
            continue
        if isinstance(node, ast.Call) and ctx.is_hybridizer_call(node.func) and node.func.args and in_function:
            reported.add(id(node.func))
            yield ctx.diagnostic(rule, node.func, place="and called on the spot, on every call of the enclosing function")
        elif isinstance(node, ast.Assign) and in_function and loop is None \
                and (name := _called_where_made(ctx, node, function, qualnames.get(id(function)))):
            reported.add(id(node.value))
            yield ctx.diagnostic(rule, node.value, place=f"on every call of the enclosing function, bound to `{name}` "
                                 "and called there")
        elif isinstance(node, ast.Call) and ctx.is_hybridizer_call(node) and loop is not None:
            if node.args and _reads_loop_state(node.args[0], loop, _wrapper_names(ctx, loop)):
                continue
            hoist = hoists.get(id(node))
            fix = hoist_fix(ctx, rule, *hoist) if hoist else None
            yield ctx.diagnostic(rule, node, fix=fix, place="inside a loop, once per iteration")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and loop is not None:
            if _reads_loop_state(node, loop) or _only_given_to_datasets(ctx, node.name, loop):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ctx.knowledge.is_hybridizer(ctx.bindings.qualified_name(target)):
                    yield ctx.diagnostic(rule, decorator, place="inside a loop, once per iteration")


# What runs its body more than once per run of the enclosing function, or later: a use there is no single call.
_REPEATING = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.For, ast.AsyncFor, ast.While,
              ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _called_where_made(ctx: FileContext, assign: ast.Assign, function: ast.AST, qualname: str | None) -> str | None:
    """``sample = tf.function(self.sample)`` then ``sample(x)`` in the same function, outside its loops, with no
    other use of ``sample`` (not returned, stored, passed on, closed over, nor asked for a concrete function):
    each call of the function makes a tf.function, traces it, runs it once and drops it (the name, if so).
    Not in graph code (made while tracing, once per trace), a framework's hook or a def in one (a layer's
    ``call``, a trainer's ``train_step``: run in the graphs the framework traces), nor a function only
    module-level code calls (a script's ``main``, run once)."""
    if len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name) \
            or not (ctx.is_hybridizer_call(assign.value) and assign.value.args) or qualname is None:
        return None
    name, project, key = assign.targets[0].id, ctx.project, (ctx.module, qualname)
    callers = project.callers.get(key, [])
    if key in project.graph_functions or (callers and all(caller is None for caller, _ in callers)) \
            or _in_a_framework_hook(ctx, qualname):
        return None
    uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    called = {id(n.func) for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    inner = {id(n) for scope in ast.walk(function) if scope is not function and isinstance(scope, _REPEATING)
             for n in ast.walk(scope)}
    declared = any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in ast.walk(function))
    if not uses or declared or any(id(use) not in called or id(use) in inner for use in uses):
        return None
    return name


def _in_a_framework_hook(ctx: FileContext, qualname: str) -> bool:
    """``qualname`` is a method frameworks call from their own graphs (``framework_hooks``: a layer's ``call``, a
    trainer's ``train_step``), or a def inside one; ``__call__`` only on a Keras class (on others it is the
    call operator users run)."""
    parts = qualname.split(".")
    for end in range(2, len(parts) + 1):
        info = ctx.project.function((ctx.module, ".".join(parts[:end])))
        name = parts[end - 1]
        if info is not None and info.class_name is not None and name in ctx.knowledge.framework_hooks and (
                name != "__call__" or ctx.project.is_keras_class((ctx.module, info.class_name))):
            return True
    return False


def _only_given_to_datasets(ctx: FileContext, name: str, loop: ast.stmt) -> bool:
    """``ds.map(fn)`` is the only use the loop makes of the ``fn`` it defines: a dataset traces the function
    it is given once, when the pipeline is built, decorated or not, so the decoration adds no trace."""
    uses = [node for statement in loop.body for node in ast.walk(statement)
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)]
    given = {id(argument) for statement in loop.body for call in ast.walk(statement)
             if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
             and call.func.attr in ctx.knowledge.graph_entry_methods for argument in call.args}
    return bool(uses) and all(id(use) in given for use in uses)


def _reads_loop_state(wrapped: ast.AST, loop: ast.stmt, wrappers: frozenset[str] = frozenset()) -> bool:
    """Whether ``wrapped`` (the function a loop hybridizes) reads a name the loop binds: then every
    iteration wraps, or closes over, something else. Names the loop binds only to tf.functions
    (``step = tf.function(step)``) do not count: that re-wraps the same computation."""
    stored = _loop_bindings(loop) - wrappers
    if isinstance(wrapped, (ast.FunctionDef, ast.AsyncFunctionDef)):
        local = {n.id for n in ast.walk(wrapped) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {a.arg for a in ast.walk(wrapped.args) if isinstance(a, ast.arg)}
        stored -= local | {wrapped.name}
        defaults = [*wrapped.args.defaults, *(d for d in wrapped.args.kw_defaults if d is not None)]
        parts = [*wrapped.body, *wrapped.decorator_list, *defaults]  # `def run(network=network)` binds it too
    else:
        parts = [wrapped]
    return any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in stored
               for part in parts for n in ast.walk(part))


def _wrapper_names(ctx: FileContext, loop: ast.stmt) -> frozenset[str]:
    return frozenset(statement.targets[0].id for statement in loop.body
                     if isinstance(statement, ast.Assign) and len(statement.targets) == 1
                     and isinstance(statement.targets[0], ast.Name) and ctx.is_hybridizer_call(statement.value))


def _loop_bindings(loop: ast.stmt) -> set[str]:
    """Names a loop binds in its target and its body (not in functions defined there)."""
    found: set[str] = set()
    stack: list[ast.AST] = [loop.target] if isinstance(loop, (ast.For, ast.AsyncFor)) else []
    stack += loop.body
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _walk_with_context(tree: ast.AST):
    """Every node with the innermost loop whose body it is in (None outside loops) and the function
    it is in (lambdas excluded)."""
    stack: list[tuple[ast.AST, ast.stmt | None, ast.AST | None]] = [(child, None, None) for child in reversed(tree.body)]
    while stack:
        node, in_loop, function = stack.pop()
        yield node, in_loop, function
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            children = [(child, None, node) for child in node.body]
            children += [(d, in_loop, function) for d in node.decorator_list]
        elif isinstance(node, ast.ClassDef):
            children = [(child, None, None) for child in node.body]
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            children = [(child, node, function) for child in node.body]
            children += [(child, in_loop, function) for child in node.orelse]
            children.append((node.iter if not isinstance(node, ast.While) else node.test, in_loop, function))
        else:
            children = [(child, in_loop, function) for child in ast.iter_child_nodes(node)]
        stack.extend(reversed(children))


def varying_shapes(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB203: batches of changing shape (no ``drop_remainder``) into a tf.function without relaxation."""
    for site, target, info in _hybrid_call_sites(ctx):
        if any(keyword in info.hybrid_keywords for keyword in _RETRACING_KEYWORDS):
            continue
        for param, where, atoms in _bound_arguments(site, target, info):
            if VARYING_SHAPE in atoms:
                yield ctx.diagnostic(rule, site.loc, fix=_relax_fix(ctx, rule, target.function),
                                     function=target.function[1], param=param)
                break


def _relax_fix(ctx: FileContext, rule: RuleSpec, function: FunctionId) -> Fix | None:
    if function[0] != ctx.module or not ctx.settings.tensorflow_at_least(REDUCE_RETRACING_SINCE):
        return None
    node = ctx.functions.get(function[1])
    if node is None:
        return None
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not ctx.knowledge.is_hybridizer(ctx.bindings.qualified_name(target)):
            continue
        try:
            if isinstance(decorator, ast.Call):
                edit = _append_keyword(ctx, decorator, "reduce_retracing=True")
            else:
                edit = replace_ast(ctx.source, decorator, f"{ast.unparse(decorator)}(reduce_retracing=True)")
        except CodemodError:
            return None
        return ctx.fix(rule, [edit])
    return None


def _append_keyword(ctx: FileContext, call: ast.Call, keyword: str) -> Edit:
    text = ctx.source.text
    span = ctx.span(call)
    inner = text[span.start:span.end]
    closing = inner.rstrip().rfind(")")
    before = inner[:closing].rstrip()
    separator = "" if before.endswith("(") else (" " if before.endswith(",") else ", ")
    return replace_ast(ctx.source, call, f"{before}{separator}{keyword}{inner[closing:]}")


def python_objects(ctx: FileContext, rule: RuleSpec) -> Iterator[Diagnostic]:
    """HYB205: containers of Python scalars and new objects as arguments, where they change between
    calls: every new value or identity retraces. A constant tuple passed at every call, or the same
    module-level object, is one trace (TF 2.21), and ops may need those Python values
    (``tf.image.extract_patches`` sizes)."""
    project = ctx.project
    constants = _module_constants(ctx)
    sites = {tuple(site.loc): site for site in _own_call_sites(ctx) if not site.passed}
    arguments = []
    for site, target, info in _hybrid_call_sites(ctx, signature_converts=True):
        call = ctx.node_at(site.loc, ast.Call)
        if isinstance(call, ast.Call):
            for param, where, atoms in _bound_arguments(site, target, info):
                arguments.append((site, target, param, atoms, _argument_node(call, where), call))
    texts: dict[tuple, set[str | None]] = {}
    for site, target, param, atoms, argument, _ in arguments:
        texts.setdefault((target.function, param), set()).add(
            _constant_text(argument, constants) if argument is not None else None)
    for site, target, param, atoms, argument, call in arguments:
        kind = None
        text = _constant_text(argument, constants) if argument is not None else None
        varies = text is None or len(texts[(target.function, param)]) > 1  # computed, or sites disagree
        if CONTAINER in atoms and LITERAL in atoms and varies:
            kind = "a Python container of Python values"
        elif site.in_loop and any(t.binding == "constructor" for fresh in _fresh_calls(ctx, call, argument)
                                  for ref in getattr(sites.get(loc_of(fresh)), "callees", [])
                                  for t in project.resolve_ref(ref)):
            kind = "a new Python object"
        if kind is not None:
            diagnostic = ctx.diagnostic(rule, argument if argument is not None else site.loc,
                                        function=target.function[1], param=param, kind=kind)
            yield with_dehybridization(ctx, rule, diagnostic, target.function)


def _fresh_calls(ctx: FileContext, call: ast.Call, argument: ast.expr | None) -> list[ast.Call]:
    """The calls that make the argument anew for this call: the argument itself, or the calls the
    enclosing loop binds its name to on each iteration (not an object made once before the loop).
    Only what these return is new: ``target = target.reshape(...)`` makes a new array, not a new
    instance of the class whose items the loop walks (arrays and nests of them key a trace by
    structure, dtype and shape)."""
    if isinstance(argument, ast.Call):
        return [argument]
    if not isinstance(argument, ast.Name):
        return []
    loops = [loop for kind in (ast.For, ast.AsyncFor, ast.While) for loop in ctx.nodes(kind)
             if _within(call, loop)]
    if not loops:
        return []
    innermost = max(loops, key=lambda loop: (loop.lineno, loop.col_offset))
    return [node.value for statement in innermost.body for node in ast.walk(statement)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            and any(isinstance(t, ast.Name) and t.id == argument.id for t in node.targets)]


def _own_call_sites(ctx: FileContext) -> Iterator[CallSite]:
    for function in ctx.summary.functions.values():
        yield from function.calls
    yield from ctx.summary.module_calls


def _within(node: ast.AST, loop: ast.AST) -> bool:
    start, end = (loop.lineno, loop.col_offset), (loop.end_lineno, loop.end_col_offset)
    return start < (node.lineno, node.col_offset) and (node.end_lineno, node.end_col_offset) <= end
