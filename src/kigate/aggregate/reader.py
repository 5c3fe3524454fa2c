"""JSON reports (format v1) in, ``RepoRow`` out, validated against the shipped schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from kigate import _json, i18n, safeio, shipped
from kigate.aggregate import documents
from kigate.aggregate.links import web_link
from kigate.aggregate.model import (
    MAX_FINDINGS,
    OVERDUE_RULE,
    ComponentRef,
    FindingRow,
    RepoRow,
    risk_rank,
)
from kigate.aggregate.validate import SchemaMismatch, Validator
from kigate.model import Text

REPORT_FORMAT = "kigate-report"
REPORT_VERSION = 1
MAX_REPORT_BYTES = 64 << 20  # ~150,000 findings; parsing it takes about 6x its size in memory


class ReportProblem(Exception):
    """The file is not a usable report; ``text`` says why, in both languages."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


@cache
def report_validator() -> Validator:
    schema = (shipped.package_folder("schemas") / "report-v1.schema.json").read_text("utf-8")
    return Validator(json.loads(schema))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def load(path: Path) -> dict[str, Any]:
    """The report at ``path`` as validated data, or ReportProblem with one clear sentence."""
    try:
        data = safeio.read_bytes(path, MAX_REPORT_BYTES)
    except safeio.Refused as exc:
        if exc.reason == "not_regular":
            raise ReportProblem(i18n.t("aggregate.not_a_file")) from None
        if exc.reason == "too_large":
            limit = MAX_REPORT_BYTES >> 20
            raise ReportProblem(i18n.t("aggregate.too_large", limit=limit)) from None
        raise ReportProblem(i18n.t("aggregate.unreadable", reason=exc.text.en)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportProblem(i18n.t("aggregate.not_utf8")) from None
    del data  # a gigantic report should not be held three times (bytes, text, objects)
    try:
        document = _json.loads(text)
    except _json.TooComplex as exc:
        too_deep = exc.kind == "depth"
        raise ReportProblem(i18n.t("aggregate.too_deep") if too_deep else exc.text) from None
    except json.JSONDecodeError as exc:
        raise ReportProblem(
            i18n.t("aggregate.invalid_json", line=exc.lineno, column=exc.colno, detail=exc.msg)
        ) from None
    except RecursionError:
        raise ReportProblem(i18n.t("aggregate.too_deep")) from None
    except ValueError as exc:
        raise ReportProblem(i18n.t("aggregate.invalid_json_plain", detail=str(exc))) from None
    return validated(document)


def validated(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or "format" not in document:
        raise ReportProblem(i18n.t("aggregate.not_a_report"))
    if document["format"] == documents.FORMAT:
        try:
            return documents.validated(document)
        except documents.DocumentProblem as exc:
            raise ReportProblem(exc.text) from None
    if document["format"] != REPORT_FORMAT:
        raise ReportProblem(i18n.t("aggregate.other_format", found=str(document["format"])[:80]))
    version = document.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > REPORT_VERSION:
        raise ReportProblem(
            i18n.t("aggregate.newer_version", found=version, supported=REPORT_VERSION)
        )
    try:
        report_validator().validate(document)
    except SchemaMismatch as exc:
        raise ReportProblem(
            i18n.t("aggregate.schema_mismatch", where=exc.where, detail=exc.detail)
        ) from None
    return document


def _finding(item: dict[str, Any]) -> FindingRow:
    return FindingRow(
        rule=item["rule"],
        severity=item["severity"],
        message=item["message"],
        path=item["path"],
        line=None if item["line"] is None else int(item["line"]),
        waived=item["waived"],
    )


def project_path(shown: str) -> str | None:
    """The project directory inside its repository, when the report names one.

    ``kigate check services/billing`` run at the top of a monorepo (as CI does) names the
    project; ``.`` or an absolute or outside path says nothing about it.
    """
    path = PurePosixPath(shown.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or str(path) == "." or ":" in shown:
        return None
    return path.as_posix()


def _joined(values: list[str | None]) -> str | None:
    """Several manifests (a monorepo project) may name several systems or owners."""
    distinct = list(dict.fromkeys(v for v in values if v))
    return "; ".join(distinct) if distinct else None


def _who(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(manifests, key=lambda m: (m["path"].count("/"), m["path"]))
    risks = [m.get("risk_class") for m in ordered if m.get("risk_class")]
    return {
        "system_name": _joined([m["system_name"] for m in ordered]),
        "owner": _joined([m["owner"] for m in ordered]),
        # the highest class any manifest states is the one that governs the whole
        "risk_class": min(risks, key=risk_rank) if risks else None,
    }


def _components(items: list[dict[str, Any]]) -> tuple[ComponentRef, ...]:
    refs = {ComponentRef(c["id"], c["category"], c["scope"]) for c in items}
    return tuple(sorted(refs, key=lambda c: (c.id, c.scope, c.category)))


def row(document: dict[str, Any], source: str, kind: str, inner: str | None = None) -> RepoRow:
    """The governance row of a validated report; ``inner`` is the project's directory
    inside its repository (a monorepo holds several projects with their own rows)."""
    repo = document["repository"]
    name, identity = repo["root_name"], repo["remote_url"] or repo["root_name"]
    if inner:
        name, identity = f"{name}/{inner}", f"{identity}//{inner}"
    summary = document["summary"]
    findings = document["findings"]
    reviewed = [m["last_reviewed"] for m in document["manifests"] if m["last_reviewed"]]
    overdue = any(f["rule"] == OVERDUE_RULE and not f["waived"] for f in findings)
    return RepoRow(
        source=source,
        kind=kind,
        name=name,
        repository=identity,
        branch=repo["branch"],
        commit=repo["commit"],
        generated_at=document["generated_at"],
        policy_id=document["policy"]["id"],
        ai_detected=summary["ai_detected"],
        components=int(summary["components"]),
        manifests=int(summary["manifests"]),
        errors=int(summary["errors"]),
        warnings=int(summary["warnings"]),
        notes=int(summary["notes"]),
        aspects_total=int(summary["aspects_total"]),
        aspects_covered=int(summary["aspects_covered"]),
        score=int(summary["score"]),
        aspects=tuple((a["id"], a["status"]) for a in document["aspects"]),
        last_reviewed=min(reviewed) if reviewed else None,
        overdue=overdue,
        findings=tuple(_finding(f) for f in findings[:MAX_FINDINGS]),
        findings_total=len(findings),
        policy_version=document["policy"]["version"],
        link=web_link(repo["remote_url"]),
        component_refs=_components(document["components"]),
        **_who(document["manifests"]),
    )


def titles(document: dict[str, Any]) -> dict[str, str]:
    return {a["id"]: a["title"] for a in document["aspects"]}
