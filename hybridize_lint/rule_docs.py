"""Rule documentation rendered from the rule data: `rule CODE`, docs pages, README table."""

from __future__ import annotations

from .registry import RuleSpec

FIX_LABELS = {"safe": "safe fix", "unsafe": "unsafe fix", "display-only": "suggestion"}


def rule_markdown(rule: RuleSpec) -> str:
    docs = rule.docs
    fix = FIX_LABELS.get(rule.fix.value, "no fix") if rule.fix else "no fix"
    sections = [
        f"# {rule.name} ({rule.code})",
        f"{rule.summary}. Fix: {fix}.",
        "## What it does\n" + docs["what"].strip(),
        "## Why is this bad?\n" + docs["why"].strip(),
        "## Example\n" + docs["example"].strip(),
        "## Use instead\n" + docs["use_instead"].strip(),
        "## Fix safety\n" + docs["fix_safety"].strip(),
    ]
    references = docs.get("references", [])
    if references:
        sections.append("## References\n" + "\n".join(f"- <{url}>" for url in references))
    return "\n\n".join(sections) + "\n"


def rule_table(rules: list[RuleSpec]) -> str:
    """The Markdown table of rules that the README embeds."""
    lines = ["| Code | Name | Summary | Fix |", "| --- | --- | --- | --- |"]
    for rule in rules:
        fix = FIX_LABELS.get(rule.fix.value, "–") if rule.fix else "–"
        lines.append(f"| {rule.code} | `{rule.name}` | {rule.summary} | {fix} |")
    return "\n".join(lines)
