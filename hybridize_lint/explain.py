"""``hybridize-lint explain``: the verdict for each function, and why, in the paper's terms.

The answer to "why is my function not flagged?": tensor parameters (with the
call site that shows it), literal parameters, side effects (with the chain),
recursion, tensor computation, eager-only constructs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .analysis.hybridization import DEHYBRIDIZE_BARREN, DEHYBRIDIZE_RETRACING, HYBRIDIZE, Verdict
from .analysis.project import FunctionId, ProjectModel
from .analysis.session import AnalysisSession
from .analysis.summary import ITERPARAM, PARAM, Locality
from .analysis.side_effects import Witness
from . import verdicts
from .engine import Linter, project_anchor
from .diagnostics import Position
from .source import SourceFile

ACTIONS = {
    HYBRIDIZE: ("add @tf.function", "HYB301"),
    DEHYBRIDIZE_BARREN: ("remove tf.function", "HYB401"),
    DEHYBRIDIZE_RETRACING: ("remove tf.function", "HYB402"),
}


@dataclass(frozen=True)
class Target:
    path: Path
    qualname: str | None

    @classmethod
    def parse(cls, text: str) -> "Target":
        path, separator, qualname = text.partition("::")
        return cls(Path(path), qualname if separator else None)


def explain(linter: Linter, targets: list[Target]) -> list[dict]:
    explanations = []
    for target in targets:
        session, module = linter.project_session(target.path)
        model = session.model
        stored = verdicts.load(linter.resolver.for_path(target.path, fallback_root=project_anchor(target.path)).root)
        text = target.path.read_text(encoding="utf-8", errors="replace") if stored else ""
        summary = model.summaries.get(module)
        if summary is None:
            raise LookupError(f"{target.path}: not a Python module of the project")
        names = [target.qualname] if target.qualname else list(summary.functions)
        source = SourceFile.read(target.path) if target.path.suffix.lower() == ".ipynb" else None
        for qualname in names:
            if qualname not in summary.functions:
                raise LookupError(f"{target.path}: no function {qualname!r}")
            verdict = session.hybridization.verdict((module, qualname))
            item = _explanation(session, target.path, summary.functions[qualname].lineno, verdict)
            tested = stored.get((item["code"], verdicts.function_key(text, item["line"]))) if stored else None
            item["tests"] = tested.describe() if tested else None
            if source is not None and source.notebook is not None:
                item = _in_cells(item, source)
            explanations.append(item)
    return explanations


def _in_cells(explanation: dict, source: SourceFile) -> dict:
    """A notebook's explanation with cell-relative lines, in the position and in every cited line."""
    notebook, text = source.notebook, source.text
    where = notebook.locate(text, Position(explanation["line"], 1))
    cite = lambda value: notebook.cite(text, source.path.name, value) if isinstance(value, str) else value  # noqa: E731

    def walk(value):
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return cite(value)

    located = walk(explanation)
    if where is not None:
        located["cell"], located["line"] = where.cell, where.row
    return located


def _explanation(session: AnalysisSession, path: Path, line: int, verdict: Verdict) -> dict:
    model = session.model
    paths = model.module_paths()
    action, code = ACTIONS.get(verdict.action, ("none", None))
    if verdict.speculative:
        code = "HYB302"
    return {
        "file": str(path),
        "function": verdict.function[1],
        "line": line,
        "hybrid": verdict.hybrid,
        "action": action,
        "code": code,
        "reasons": verdict.reasons,
        "tensor_parameters": {param: e.render(paths) for param, e in verdict.tensor_params.items()},
        "array_parameters": {param: e.render(paths) for param, e in verdict.array_params.items()},
        "input_signature": [{"dtype": dtype, "rank": rank} for dtype, rank in verdict.input_signature] or None,
        "literal_parameters": {param: [e.render(paths) for e in evidences]
                               for param, evidences in verdict.literal_params.items()},
        "side_effects": side_effects(session, verdict.function) if verdict.side_effect else [],
        "recursive": verdict.recursive,
        "traced": _traced(model, verdict),
        "tensor_computation": verdict.tensor_computation,
        "eager_only": _eager_only(verdict),
        "boundary": {"repetition": verdict.boundary.repetition.render(paths),
                     "tensor_operations": verdict.boundary.tensor_ops,
                     "covers": [helper[1] for helper in verdict.boundary.covers]} if verdict.boundary else None,
        "covered_by": covered[1] if (covered := session.hybridization.boundaries.covered.get(verdict.function))
        and not verdict.hybrid else None,
    }


def side_effects(session: AnalysisSession, function: FunctionId) -> list[str]:
    """Every Python side effect of ``function`` once, each with the call chain that reaches it.

    The analysis keeps one witness per function (enough to decide); this walks the call graph again to
    list them all: the function's own effects, then those of each callee whose call has an effect.
    """
    model, analysis = session.model, session.side_effects
    found: dict[str, None] = {}

    def own(current: FunctionId) -> list[Witness]:
        info = model.function(current)
        constructor_self = info.params[0] if info and info.class_name and current[1].endswith(".__init__") \
            and info.params else None
        witnesses = []
        for effect in info.effects if info else []:
            target = effect.target or ""
            where = Locality.parse(target)
            if not analysis.counts(effect) or where == Locality(PARAM, constructor_self or ""):
                continue
            if where.kind == ITERPARAM and not analysis.receives_python_iterator(current, where.name):
                continue
            witnesses.append(Witness((), effect))
        return witnesses

    paths = model.module_paths()

    def walk(current: FunctionId, chain: tuple[str, ...], active: frozenset[FunctionId]) -> None:
        where = paths.get(current[0], current[0])
        for witness in own(current):
            found.setdefault(f"{' → '.join((*chain, witness.describe()))} at {where}:{witness.effect.loc[0]}", None)
        for site, targets in model.call_graph.get(current, []):
            for target in targets:
                if target.function in active:
                    continue
                if analysis.call_effect(current, site, [target], lambda *_: True) is not None:
                    walk(target.function, (*chain, target.function[1]), active | {target.function})

    walk(function, (function[1],), frozenset({function}))
    return list(found)


def _eager_only(verdict: Verdict) -> list[str]:
    """Each eager-only construct once: two analyses may flag the same call (`.numpy()`)."""
    by_place: dict[tuple, str] = {}
    for blocker in verdict.blockers:
        by_place.setdefault(tuple(blocker.loc), f"{blocker.reason} (line {blocker.loc[0]})")
    return list(by_place.values())


def _traced(model: ProjectModel, verdict: Verdict) -> dict | None:
    """Why the function is traced on its own (a graph root): tf.function, a wrapper of it, Keras, tf.data…"""
    root = model.graph_roots.get(verdict.function)
    if root is None:
        return None
    return {"reason": root.reason, "wrapper": root.wrapper or None, "autograph": root.autograph}


def render_text(explanations: list[dict]) -> str:
    blocks = []
    for item in explanations:
        kind = "hybrid" if item["hybrid"] else "eager"
        verdict = f"{item['action']} ({item['code']})" if item["code"] else "no change"
        cell = f"cell {item['cell']}:" if item.get("cell") is not None else ""
        lines = [f"{item['file']}:{cell}{item['line']}: {item['function']} [{kind}] → {verdict}"]
        lines.append("  tensor parameters: " + (", ".join(f"`{p}` {e}" for p, e in item["tensor_parameters"].items())
                                              or "none"))
        if item["array_parameters"]:
            lines.append("  NumPy array parameters: " + ", ".join(
                f"`{p}` {e}" for p, e in item["array_parameters"].items()))
        if item["input_signature"]:
            lines.append("  input_signature: " + ", ".join(f"{spec['dtype']} of rank {spec['rank']}"
                                                       for spec in item["input_signature"]))
        lines.append("  literal parameters: " + (", ".join(f"`{p}` {es[0]}" + (f" (+{len(es) - 1} more)" if len(es) > 1 else "")
                                                            for p, es in item["literal_parameters"].items()) or "none"))
        lines.append("  Python side effects: " + ("none" if not item["side_effects"] else "; ".join(item["side_effects"])))
        lines.append(f"  recursive: {'yes' if item['recursive'] else 'no'}")
        if item["traced"]:
            traced = item["traced"]
            lines.append(f"  traced: {traced['reason']}" + (f" via {traced['wrapper']}" if traced["wrapper"] else "")
                         + ("" if traced["autograph"] else ", autograph off"))
        lines.append(f"  tensor computation: {'yes' if item['tensor_computation'] else 'no'}")
        lines.append("  eager-only constructs: " + ("; ".join(item["eager_only"]) or "none"))
        if item["boundary"]:
            boundary = item["boundary"]
            covers = ", ".join(f"`{name}`" for name in boundary["covers"]) or "no other function"
            lines.append(f"  boundary: {boundary['repetition']}, about {boundary['tensor_operations']} tensor "
                         f"operations per call; covers {covers}")
        if item["covered_by"]:
            lines.append(f"  covered by: `{item['covered_by']}` (runs inside its graph)")
        if item["reasons"]:
            lines.append("  why: " + "; ".join(item["reasons"]))
        if item.get("tests"):
            lines.append(f"  tests: {item['tests']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def render_json(explanations: list[dict]) -> str:
    return json.dumps(explanations, indent=2, ensure_ascii=False) + "\n"
