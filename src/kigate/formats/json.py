"""The JSON report, format version 1: the file governance tooling (``aggregate``) reads.

Its schema ships as ``kigate/schemas/report-v1.schema.json`` (``kigate schema report``).
"""

from __future__ import annotations

import json
from typing import Any

from kigate.formats.base import RenderOptions
from kigate.model import Component, Finding, Report, Severity

FORMAT = "kigate-report"
FORMAT_VERSION = 1


def _finding(f: Finding, lang: str) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message(lang),
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "aspect": f.aspect,
        "component": f.component,
        "waived": f.waived,
        "introduced": f.introduced,
        "fingerprint": f.fingerprint,
    }


def _component(c: Component) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "ecosystem": c.ecosystem,
        "category": c.category,
        "scope": c.scope.value,
        **({"usage": c.usage} if c.usage else {}),  # optional: v1 only grows
        "evidence": [
            {"path": e.path, "line": e.line, "match": e.match, "family": e.family}
            for e in c.evidence
        ],
    }


def to_dict(report: Report, lang: str = "en") -> dict[str, Any]:
    """The report as plain data; key order is applied by ``render``."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": report.tool_version,
        "generated_at": report.generated_at,
        "lang": lang,
        "mode": report.mode,
        "base": report.base,
        "repository": _repository(report),
        "policy": {"id": report.policy_id, "version": report.policy_version},
        "components": [_component(c) for c in report.components],
        "manifests": [
            {
                "path": m.path,
                "system_name": m.system_name,
                "owner": m.owner,
                "last_reviewed": m.last_reviewed.isoformat() if m.last_reviewed else None,
                # optional key (report v1 grows only by those): present when the manifest says
                **({"risk_class": m.risk_class} if m.risk_class else {}),
                "aspects": [{"id": a.id, "status": a.status.value} for a in m.aspects],
            }
            for m in report.manifests
        ],
        "aspects": [
            {
                "id": a.id,
                "title": a.title(lang),
                "status": a.status.value,
                "findings": [f.fingerprint for f in report.findings if f.aspect == a.id],
            }
            for a in report.aspects
        ],
        "findings": [_finding(f, lang) for f in report.findings],
        "unchecked": [{"rule": u.rule, "reason": u.reason(lang)} for u in report.unchecked],
        "summary": {
            "ai_detected": bool(report.components),
            "components": len(report.components),
            "manifests": len(report.manifests),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "notes": report.count(Severity.INFO),
            "waived": sum(1 for f in report.findings if f.waived),
            "aspects_total": len(report.aspects),
            "aspects_covered": report.aspects_covered,
            "score": report.score,
        },
    }


def _repository(report: Report) -> dict[str, Any]:
    repo = report.repo
    return {
        "root_name": repo.root_name,
        "path": repo.path,
        "git": repo.git,
        "remote_url": repo.remote_url,
        "commit": repo.commit,
        "branch": repo.branch,
        "dirty": repo.dirty,
        "subdir": repo.subdir,
    }


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def dumps(data: dict[str, Any], first: tuple[str, ...]) -> str:
    """Keys sorted at every level, except that ``first`` keys lead the top level."""
    ordered = {k: _sorted(data[k]) for k in first if k in data}
    ordered.update({k: _sorted(data[k]) for k in sorted(data) if k not in ordered})
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    return dumps(to_dict(report, options.lang), ("format", "format_version", "tool_version"))


def render_inventory(report: Report, options: RenderOptions) -> str:
    """The AI inventory of ``kigate scan``: components with evidence, nothing judged."""
    data = {
        "format": "kigate-inventory",
        "format_version": FORMAT_VERSION,
        "tool_version": report.tool_version,
        "generated_at": report.generated_at,
        "repository": _repository(report),
        "policy": {"id": report.policy_id, "version": report.policy_version},
        "components": [_component(c) for c in report.components],
        "problems": [_finding(f, options.lang) for f in report.findings],
    }
    return dumps(data, ("format", "format_version", "tool_version"))
