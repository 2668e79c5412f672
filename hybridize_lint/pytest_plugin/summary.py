"""The audit report: its JSON document (schema in docs/pytest-plugin.md) and its terminal summary."""

from __future__ import annotations


from .static import Matcher

AUDIT_SCHEMA = "hybridize-lint-audit"
VERIFY_SCHEMA = "hybridize-lint-verify"
SCHEMA_VERSION = 1
TOP = 10

_PLURAL = {"python-value": "distinct {type}s", "shape": "distinct shapes", "dtype": "distinct dtypes",
           "structure": "distinct structures", "object-identity": "distinct objects", "type": "values of distinct types"}


def merge_functions(parts: list[list[dict]]) -> list[dict]:
    """Per-process function lists (xdist workers, forks) as one: traces add up, effects are unioned."""
    merged: dict[tuple, dict] = {}
    for functions in parts:
        for item in functions:
            key = (item["file"], item["line"], item["qualname"])
            if key not in merged:
                merged[key] = {**item, "retraces": list(item["retraces"]),
                               "trace_time_effects": list(item["trace_time_effects"])}
                continue
            into = merged[key]
            into["traces"] += item["traces"]
            into["retraces"] += item["retraces"]
            if item["traces"] and into["traces"] > item["traces"]:  # another process's first trace is a retrace here
                into["retraces"].append({"call_site": None, "changed": [], "test": None, "process": "another"})
            known = {(e["kind"], e["where"]) for e in into["trace_time_effects"]}
            into["trace_time_effects"] += [e for e in item["trace_time_effects"] if (e["kind"], e["where"]) not in known]
    return sorted(merged.values(), key=lambda item: (item["file"], item["line"]))


def audit_document(functions: list[dict], matcher: Matcher | None, errors: list[str]) -> dict:
    for function in functions:
        definition = f"{function['file']}:{function['line']}"
        for retrace in function["retraces"]:
            for change in retrace["changed"]:
                change["static"] = (matcher.retrace_cause(change, retrace["call_site"], definition)
                                    if matcher else {"status": "unknown", "codes": []})
        for effect in function["trace_time_effects"]:
            effect["static"] = matcher.effect(effect) if matcher else {"status": "unknown", "codes": []}
        function["causes"] = retrace_causes(function)
    not_observed = [{"code": f.code, "where": f"{f.file}:{f.line}", "message": f.message}
                    for f in (matcher.not_observed() if matcher else [])]
    return {"schema": AUDIT_SCHEMA, "version": SCHEMA_VERSION, "functions": functions,
            "static_not_observed": not_observed, "errors": errors}


def retrace_causes(function: dict) -> list[dict]:
    """Retraces grouped by argument, kind of change and call site, with the distinct values seen."""
    groups: dict[tuple, dict] = {}
    for retrace in function["retraces"]:
        for change in retrace["changed"]:
            key = (change["argument"], change["kind"], retrace["call_site"])
            group = groups.setdefault(key, {"argument": change["argument"], "kind": change["kind"],
                                            "call_site": retrace["call_site"], "retraces": 0, "values": [],
                                            "static": change.get("static")})
            group["retraces"] += 1
            for value in (change["before"], change["after"]):
                if value is not None and value not in group["values"]:
                    group["values"].append(value)
    return sorted(groups.values(), key=lambda group: -group["retraces"])


def describe_cause(cause: dict) -> str:
    where = f" at {cause['call_site']}" if cause["call_site"] else ""
    if cause["kind"] == "new-function":
        return f"a new tf.function object{where} ({cause['retraces']}×)"
    count = len(cause["values"])
    plural = _PLURAL.get(cause["kind"], "distinct values")
    if cause["kind"] == "python-value":
        kind = cause["values"][0].split()[1] if cause["values"] else "value"
        plural = plural.format(type=f"Python {kind}")
    return f"`{cause['argument']}` received {count} {plural}{where}"


def _static(static: dict | None) -> str:
    if not static:
        return ""
    if static["status"] == "confirmed":
        return f" [confirmed {', '.join(static['codes'])}]"
    return " [found only at run time]" if static["status"] == "runtime-only" else ""


def audit_lines(document: dict) -> list[str]:
    lines = []
    retraced = sorted((f for f in document["functions"] if f["traces"] > 1), key=lambda f: -f["traces"])
    if retraced:
        lines.append("most-retraced tf.functions:")
        for function in retraced[:TOP]:
            causes = [describe_cause(cause) + _static(cause["static"]) for cause in function["causes"]] or [
                "same arguments: TensorFlow traced again (variables created on the first call)"]
            lines.append(f"  {function['file']}:{function['line']} {function['qualname']}: "
                         f"{function['traces']} traces; " + "; ".join(causes))
    effects = [(effect, function) for function in document["functions"] for effect in function["trace_time_effects"]]
    if effects:
        lines.append("Python effects run while tracing (they will not run on later calls):")
        effects.sort(key=lambda pair: (pair[0]["static"]["status"] != "runtime-only", pair[0]["where"]))
        for effect, function in effects:
            via = f" (reached from {effect['via']})" if effect.get("via") else ""
            lines.append(f"  {effect['where']} {effect['kind']}: {effect['detail']} while tracing "
                         f"{function['qualname']}{via}{_static(effect['static'])}")
    if not retraced and not effects:
        traced = sum(f["traces"] for f in document["functions"])
        lines.append(f"{len(document['functions'])} tf.functions traced {traced} times: no retrace, "
                     "no Python effect while tracing")
    if document["static_not_observed"]:
        shown = ", ".join(f"{item['where']} {item['code']}" for item in document["static_not_observed"][:TOP])
        more = len(document["static_not_observed"]) - TOP
        lines.append(f"not observed (static findings no test exercised): {shown}"
                     + (f" and {more} more" if more > 0 else ""))
    return lines


def verify_lines(document: dict) -> list[str]:
    lines = []
    order = {"refuted": 0, "confirmed": 1, "not-exercised": 2}
    for proposal in sorted(document["proposals"], key=lambda p: (order.get(p["status"], 3), p["file"], p["line"])):
        evidence = proposal["evidence"]
        if proposal["status"] == "refuted":
            detail = f"{evidence['test']} fails: {evidence['error']}"
        elif proposal["status"] == "confirmed":
            detail = f"{len(evidence['tests'])} test(s) pass"
            if evidence.get("traces") is not None:
                detail += f", {evidence['traces']} trace(s)"
            if evidence.get("speedup"):
                detail += f", {evidence['speedup']:.1f}× faster per call (eager {evidence['eager_ms']:.3g} ms, " \
                          f"graph {evidence['graph_ms']:.3g} ms)"
        else:
            detail = "no test runs it"
        lines.append(f"  {proposal['file']}:{proposal['line']} {proposal['code']} {proposal['qualname']}: "
                     f"{proposal['status']} ({detail})")
    if not document["proposals"]:
        lines.append("  no hybridization proposal (HYB301/HYB302/HYB401/HYB402) in the current settings")
    return lines
