"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning reads it as uploaded).

Every kigate rule is listed in ``tool.driver.rules``, so a dashboard can explain a rule even
when this run did not trigger it. Paths are repository-relative URIs against ``%SRCROOT%``,
and every result names a real file with a line (``place``), as GitHub code scanning requires.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from kigate import i18n, rules
from kigate.formats._common import unchecked_line
from kigate.formats._links import repo_path
from kigate.formats._text import original_bytes
from kigate.formats.base import HOMEPAGE, RULES_URI, RenderOptions
from kigate.model import Finding, Report, Severity

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "kigate/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_LANGUAGE = {"en": "en-US", "de": "de-DE"}


def artifact_uri(path: str) -> str:
    """A repository-relative path as a URI reference: spaces and non-ASCII percent-encoded."""
    # A file name that is not UTF-8 is encoded as its original bytes.
    return quote(original_bytes(path), safe="/")


def _rule(rule: rules.Rule, lang: str) -> dict[str, Any]:
    why, fix = rule.why(lang), rule.fix(lang)
    why_label, fix_label = i18n.t("explain.why")(lang), i18n.t("explain.fix")(lang)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title(lang)},
        "fullDescription": {"text": why},
        "help": {
            "text": f"{why}\n\n{fix_label}: {fix}",
            "markdown": f"**{why_label}**\n\n{why}\n\n**{fix_label}**\n\n{fix}",
        },
        "helpUri": RULES_URI,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"family": rule.family, "tags": ["ai-governance", rule.family]},
    }


# What a result names when nothing else is known: the manifest the rules ask for, at the
# root of the checked directory, where the finding is to be mended.
DEFAULT_MANIFEST = "ai-values.toml"


def _real_file(path: str) -> bool:
    return path not in ("", ".") and not path.endswith("/")


def _manifest_for(report: Report) -> str:
    """The manifest covering the checked directory as a whole (the one nearest its root)."""
    paths = [m.path for m in report.manifests]
    root_level = [p for p in paths if "/" not in p or p.startswith("../")]
    if root_level:
        return min(root_level, key=lambda p: (not p.startswith("../"), len(p)))
    return DEFAULT_MANIFEST


def place(report: Report, finding: Finding) -> tuple[str, int | None]:
    """A real file for every result, and its line: GitHub code scanning rejects a whole
    upload over a result without a location or with a directory URI. The finding's own
    file; else the file that triggered it (its component's evidence); else the manifest
    covering the checked directory (or the one the rules ask for there)."""
    own = finding.path
    if own is not None and _real_file(own):
        return own, finding.line
    if finding.component is not None:
        comp = next((c for c in report.components if c.id == finding.component), None)
        hit = next((e for e in (comp.evidence if comp else ()) if _real_file(e.path)), None)
        if hit is not None:
            return hit.path, hit.line
    return _manifest_for(report), None


def _location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": max(line or 1, 1)}
    if line is not None and column is not None and column >= 1:
        region["startColumn"] = column
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SRCROOT},
        "region": region,
    }
    return {"physicalLocation": physical}


def _result(report: Report, finding: Finding, index: dict[str, int], lang: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message(lang)},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    result["ruleIndex"] = index[finding.rule]
    path, line = place(report, finding)
    column = finding.column if path == finding.path else None
    result["locations"] = [_location(repo_path(report, path), line, column)]
    # The file is where to look, not what the finding is about: it concerns the repository.
    repository_level = path != finding.path
    if finding.introduced is not None:
        result["baselineState"] = "new" if finding.introduced else "unchanged"
    if finding.waived:
        # The waiver lives in the manifest, inside the repository.
        result["suppressions"] = [{"kind": "inSource", "status": "accepted"}]
    props: dict[str, Any] = {"aspect": finding.aspect, "component": finding.component}
    if repository_level:
        props["repositoryLevel"] = True
    if any(props.values()):
        result["properties"] = {k: v for k, v in props.items() if v is not None}
    return result


def _provenance(report: Report) -> list[dict[str, Any]]:
    url = report.repo.remote_url
    # scp-like remotes (git@host:org/repo) are not URIs; SARIF requires one here.
    if not url or "://" not in url:
        return []
    entry: dict[str, Any] = {"repositoryUri": url}
    if report.repo.commit:
        entry["revisionId"] = report.repo.commit
    if report.repo.branch:
        entry["branch"] = report.repo.branch
    return [entry]


def _invocation(report: Report, lang: str) -> dict[str, Any]:
    notes = [
        {
            "descriptor": {"id": item.rule},
            "level": "warning",
            "message": {"text": unchecked_line(item, lang)},
        }
        for item in report.unchecked
    ]
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "endTimeUtc": report.generated_at,
    }
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def to_dict(report: Report, lang: str = "en") -> dict[str, Any]:
    known = list(rules.RULES.values())
    index = {rule.id: i for i, rule in enumerate(known)}
    described = [_rule(rule, lang) for rule in known]
    # A rule id the registry does not know (e.g. a waiver's typo) is still described:
    # GitHub rejects a result whose ruleId is missing from tool.driver.rules.
    for finding in report.findings:
        if finding.rule not in index:
            index[finding.rule] = len(described)
            described.append({"id": finding.rule, "helpUri": RULES_URI})
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "kigate",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": HOMEPAGE,
                "rules": described,
            }
        },
        "language": _LANGUAGE.get(lang, "en-US"),
        "columnKind": "unicodeCodePoints",
        "invocations": [_invocation(report, lang)],
        "results": [_result(report, f, index, lang) for f in report.findings],
        "properties": {
            "policy": {"id": report.policy_id, "version": report.policy_version},
            "score": report.score,
            "aspects": [{"id": a.id, "status": a.status.value} for a in report.aspects],
        },
    }
    # GitHub keeps one analysis per category and commit: each checked directory of a
    # monorepo gets its own, so uploading one package does not close another's alerts.
    subdir = report.repo.subdir
    run["automationDetails"] = {"id": f"kigate/{subdir}/" if subdir else "kigate/"}
    provenance = _provenance(report)
    if provenance:
        run["versionControlProvenance"] = provenance
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(to_dict(report, options.lang), indent=2, ensure_ascii=False) + "\n"
