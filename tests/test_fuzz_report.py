"""Property tests for the report JSON: any Report renders to JSON that validates against the
shipped schema, encodes as UTF-8 and parses back to the same figures."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from kigate.formats import RenderOptions, renderer
from kigate.model import (
    AspectResult,
    AspectStatus,
    Component,
    Evidence,
    Finding,
    ManifestSummary,
    RepoInfo,
    Report,
    Scope,
    Severity,
    Text,
    Unchecked,
)
from kigate.rules import RULES

SCHEMA = json.loads(
    (resources.files("kigate") / "schemas" / "report-v1.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
MESSAGE = st.builds(Text, en=TEXT.filter(bool), de=TEXT.filter(bool))
RELPATH = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0")
    ).filter(lambda part: part not in ("", ".", "..") and ":" not in part[:2]),
    min_size=1,
    max_size=3,
).map("/".join)
LINE = st.none() | st.integers(1, 10**6)
ASPECT_ID = st.from_regex(r"\A[a-z][a-z0-9_]{0,15}\Z")
EVIDENCE = st.builds(
    Evidence, path=RELPATH, line=LINE, match=TEXT, family=st.sampled_from(["dependency", "import"])
)
COMPONENT = st.builds(
    Component,
    id=st.from_regex(r"\A[a-z0-9-]{1,8}:[a-z0-9._-]{1,20}\Z"),
    name=TEXT,
    ecosystem=TEXT,
    category=TEXT,
    scope=st.sampled_from(Scope),
    evidence=st.lists(EVIDENCE, max_size=3).map(tuple),
)
FINDING = st.builds(
    Finding,
    rule=st.sampled_from(sorted(RULES)),
    severity=st.sampled_from(Severity),
    message=MESSAGE,
    path=st.none() | RELPATH,
    line=LINE,
    column=LINE,
    aspect=st.none() | ASPECT_ID,
    component=st.none() | TEXT,
    waived=st.booleans(),
    introduced=st.none() | st.booleans(),
)
ASPECT = st.builds(AspectResult, id=ASPECT_ID, title=MESSAGE, status=st.sampled_from(AspectStatus))
MANIFEST = st.builds(
    ManifestSummary,
    path=RELPATH,
    system_name=st.none() | TEXT,
    owner=st.none() | TEXT,
    last_reviewed=st.none() | st.dates(),
    aspects=st.lists(ASPECT, max_size=3).map(tuple),
)
REPO = st.builds(
    RepoInfo,
    root_name=TEXT,
    path=TEXT,
    git=st.booleans(),
    remote_url=st.none() | st.just("https://example.org/x.git"),
    commit=st.none() | st.from_regex(r"\A[0-9a-f]{40}\Z"),
    branch=st.none() | TEXT,
    dirty=st.none() | st.booleans(),
)
REPORTS = st.builds(
    Report,
    tool_version=TEXT.filter(bool),
    repo=REPO,
    policy_id=TEXT,
    policy_version=TEXT,
    generated_at=st.datetimes(
        min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2999, 12, 31)
    ).map(lambda d: d.replace(microsecond=0).isoformat() + "Z"),
    components=st.lists(COMPONENT, max_size=4).map(tuple),
    manifests=st.lists(MANIFEST, max_size=2).map(tuple),
    aspects=st.lists(ASPECT, max_size=8).map(tuple),
    findings=st.lists(FINDING, max_size=8).map(tuple),
    unchecked=st.lists(
        st.builds(Unchecked, rule=st.sampled_from(sorted(RULES)), reason=MESSAGE), max_size=2
    ).map(tuple),
    base=st.none() | TEXT,
    mode=st.sampled_from(["worktree", "staged"]),
)


def render(report: Report, name: str, lang: str) -> str:
    return renderer(name)(report, RenderOptions(lang=lang))


@given(REPORTS, st.sampled_from(["en", "de"]))
def test_report_json_round_trips_to_the_same_figures(report: Report, lang: str) -> None:
    text = render(report, "json", lang)
    text.encode("utf-8")  # no lone surrogate reaches a file
    data: dict[str, Any] = json.loads(text)
    VALIDATOR.validate(data)
    assert data["summary"] == {
        "ai_detected": bool(report.components),
        "components": len(report.components),
        "manifests": len(report.manifests),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "notes": report.count(Severity.INFO),
        "waived": sum(f.waived for f in report.findings),
        "aspects_total": len(report.aspects),
        "aspects_covered": report.aspects_covered,
        "score": report.score,
    }
    assert [
        (f["rule"], f["severity"], f["path"], f["line"], f["waived"], f["fingerprint"])
        for f in data["findings"]
    ] == [
        (f.rule, f.severity.value, f.path, f.line, f.waived, f.fingerprint) for f in report.findings
    ]
    assert [f["message"] for f in data["findings"]] == [f.message(lang) for f in report.findings]
    assert [c["id"] for c in data["components"]] == [c.id for c in report.components]
    assert [len(c["evidence"]) for c in data["components"]] == [
        len(c.evidence) for c in report.components
    ]


@given(REPORTS)
def test_fails_agrees_with_the_json_figures(report: Report) -> None:
    summary = json.loads(render(report, "json", "en"))["summary"]
    assert report.fails("error") == (summary["errors"] > 0)
    assert report.fails("warning") == (summary["errors"] + summary["warnings"] > 0)
    assert not report.fails("never")


@given(REPORTS, st.sampled_from(["en", "de"]))
def test_text_report_renders_every_active_finding(report: Report, lang: str) -> None:
    text = render(report, "text", lang)
    text.encode("utf-8")
    for finding in report.active_findings:
        assert finding.rule in text


@given(REPORTS)
def test_report_json_through_aggregate_keeps_the_figures(report: Report) -> None:
    from kigate.aggregate import reader

    row = reader.row(reader.validated(json.loads(render(report, "json", "en"))), "r.json", "report")
    assert (
        row.errors,
        row.warnings,
        row.notes,
        row.components,
        row.manifests,
        row.aspects_total,
        row.aspects_covered,
        row.score,
        row.findings_total,
        row.ai_detected,
    ) == (
        report.count(Severity.ERROR),
        report.count(Severity.WARNING),
        report.count(Severity.INFO),
        len(report.components),
        len(report.manifests),
        len(report.aspects),
        report.aspects_covered,
        report.score,
        len(report.findings),
        bool(report.components),
    )
    assert row.aspects == tuple((a.id, a.status.value) for a in report.aspects)
    assert [(f.rule, f.path, f.line, f.waived) for f in row.findings] == [
        (f.rule, f.path, f.line, f.waived) for f in report.findings
    ]
