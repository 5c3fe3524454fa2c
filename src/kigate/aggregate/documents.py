"""Aggregate documents as sources: a department's ``kigate aggregate --format json`` output
(format version 1 or 2) joins an organisation's view like the reports it was made from.

Version 1 documents carry no owners, risk classes or components; their rows simply show
none. The findings themselves stay in the department's reports: rows keep the counts.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from kigate import i18n, shipped
from kigate.aggregate.links import web_link
from kigate.aggregate.model import ComponentRef, RepoRow
from kigate.aggregate.validate import SchemaMismatch, Validator

FORMAT = "kigate-aggregate"
VERSIONS = (1, 2)


class DocumentProblem(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.text = i18n.t(key, **params)


@cache
def validator(version: int) -> Validator:
    name = f"aggregate-v{version}.schema.json"
    return Validator(json.loads((shipped.package_folder("schemas") / name).read_text("utf-8")))


def validated(document: dict[str, Any]) -> dict[str, Any]:
    version = document.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > max(VERSIONS):
        raise DocumentProblem("governance.newer_aggregate", found=version, supported=max(VERSIONS))
    if version not in VERSIONS:
        raise DocumentProblem("governance.aggregate_mismatch", where="/format_version",
                              detail="expected 1 or 2")  # fmt: skip
    try:
        validator(int(version)).validate(document)
    except SchemaMismatch as exc:
        raise DocumentProblem(
            "governance.aggregate_mismatch", where=exc.where, detail=exc.detail
        ) from None
    return document


def _row(entry: dict[str, Any], source: str) -> RepoRow:
    components = entry.get("component_list", [])
    return RepoRow(
        source=f"{source}#{entry['source']}",
        kind="report",
        name=entry["name"],
        repository=entry["repository"],
        branch=entry["branch"],
        commit=entry["commit"],
        generated_at=entry["generated_at"],
        policy_id=entry["policy"],
        ai_detected=entry["ai_detected"],
        components=int(entry["components"]),
        manifests=int(entry["manifests"]),
        errors=int(entry["errors"]),
        warnings=int(entry["warnings"]),
        notes=int(entry["notes"]),
        aspects_total=int(entry["aspects_total"]),
        aspects_covered=int(entry["aspects_covered"]),
        score=int(entry["score"]),
        aspects=tuple(entry["aspects"].items()),
        last_reviewed=entry["last_reviewed"],
        overdue=entry["review_overdue"],
        findings=(),
        findings_total=0,
        system_name=entry.get("system_name"),
        owner=entry.get("owner"),
        risk_class=entry.get("risk_class"),
        policy_version=entry.get("policy_version", ""),
        # recomputed, not copied: a link only ever comes from our own rule
        link=web_link(entry["link"]) if entry.get("link") else None,
        component_refs=tuple(ComponentRef(c["id"], c["category"], c["scope"]) for c in components),
    )


def rows(document: dict[str, Any], source: str) -> tuple[list[RepoRow], dict[str, str]]:
    """The counted rows of a validated aggregate document, and its aspect titles."""
    counted = [e for e in document["repositories"] if e["duplicate_of"] is None]
    titles = {a["id"]: a["title"] for a in document["aspects"]}
    return [_row(entry, source) for entry in counted], titles
