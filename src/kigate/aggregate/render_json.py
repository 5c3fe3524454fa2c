"""The aggregate document, format version 2 (schema: ``kigate schema aggregate``).

Version 2 adds who answers for each repository (system, owner, risk class), the policy
version, a link, the components, and the organisation's component inventory."""

from __future__ import annotations

from typing import Any

from kigate.aggregate.model import Aggregate, RepoRow
from kigate.formats.json import dumps

FORMAT = "kigate-aggregate"
FORMAT_VERSION = 2


def _repository(row: RepoRow, duplicate_of: str | None) -> dict[str, Any]:
    return {
        "duplicate_of": duplicate_of,
        "source": row.source,
        "kind": row.kind,
        "name": row.name,
        "repository": row.repository,
        "branch": row.branch,
        "commit": row.commit,
        "generated_at": row.generated_at,
        "policy": row.policy_id,
        "policy_version": row.policy_version,
        "system_name": row.system_name,
        "owner": row.owner,
        "risk_class": row.risk_class,
        "link": row.link,
        "component_list": [
            {"id": c.id, "category": c.category, "scope": c.scope} for c in row.component_refs
        ],
        "ai_detected": row.ai_detected,
        "components": row.components,
        "manifests": row.manifests,
        "errors": row.errors,
        "warnings": row.warnings,
        "notes": row.notes,
        "aspects_total": row.aspects_total,
        "aspects_covered": row.aspects_covered,
        "score": row.score,
        "last_reviewed": row.last_reviewed,
        "review_overdue": row.overdue,
        "aspects": dict(row.aspects),
    }


def to_dict(aggregate: Aggregate, lang: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": aggregate.tool_version,
        "generated_at": aggregate.generated_at,
        "lang": lang,
        "repositories": [_repository(r, aggregate.duplicate_of(r)) for r in aggregate.rows],
        "errors": [
            {"source": e.source, "kind": e.kind, "reason": e.reason(lang)} for e in aggregate.errors
        ],
        "duplicates": [{"source": d.source, "kept": d.kept} for d in aggregate.duplicates],
        "aspects": [
            {
                "id": c.id,
                "title": c.title(lang),
                "repositories": c.total,
                "coverage_percent": c.percent,
                **dict(c.counts),
            }
            for c in aggregate.coverage()
        ],
        "inventory": [
            {
                "id": entry.id,
                "category": entry.category,
                "repositories": [
                    {"name": name, "scope": scope, "link": link} for name, scope, link in entry.uses
                ],
            }
            for entry in aggregate.inventory()
        ],
        "totals": {
            "repositories": len(aggregate.counted),
            "ai_detected": len(aggregate.with_ai),
            "without_ai": len(aggregate.without_ai),
            "with_manifest": len(aggregate.with_manifest),
            "without_manifest": len(aggregate.without_manifest),
            "review_overdue": len(aggregate.overdue),
            "errors": sum(r.errors for r in aggregate.counted),
            "warnings": sum(r.warnings for r in aggregate.counted),
            "duplicates": len(aggregate.duplicates),
            "unreadable_sources": len(aggregate.errors),
            "mean_score": aggregate.mean_score,
            "coverage_percent": aggregate.coverage_percent,
        },
    }


def render(aggregate: Aggregate, lang: str) -> str:
    return dumps(to_dict(aggregate, lang), ("format", "format_version", "tool_version"))
