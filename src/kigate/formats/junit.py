"""JUnit XML for GitLab, Jenkins and Azure test views.

Two suites: ``kigate.aspects`` has one test case per aspect of the policy, ``kigate.rules``
one per rule family. Every finding appears in exactly one case, in the same words as the
text output: the case of its aspect, else the case of its rule family. A case fails only by
findings that fail the gate (``RenderOptions.fail_on``, ``new_only``), so a run that exits 0
shows no failed case; the other findings of a case go to its ``system-out``. A
not-applicable aspect and a rule that could not be checked are skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from kigate import i18n, rules
from kigate.formats._common import finding_line, unchecked_line
from kigate.formats._text import one_line, xml_text
from kigate.formats.base import RenderOptions
from kigate.model import AspectResult, AspectStatus, Finding, Report, Severity


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: xml_text(one_line(v)) for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _lines(findings: Iterable[Finding], options: RenderOptions) -> str:
    plain = RenderOptions(lang=options.lang, where=options.where)
    return "".join(finding_line(f, plain) + "\n" for f in findings)


def fails(finding: Finding, options: RenderOptions) -> bool:
    """True when ``finding`` alone would make the check exit 1."""
    if finding.waived or options.fail_on == "never":
        return False
    if options.new_only and finding.introduced is not True:
        return False
    return finding.severity.rank >= Severity(options.fail_on).rank


def _case_body(
    case: ET.Element,
    own: list[Finding],
    options: RenderOptions,
    message: str | None = None,
    kind: str | None = None,
) -> bool:
    """A failure for the failing findings of ``own`` (``message`` and ``kind``, else their
    count and worst severity), the rest in ``system-out``. True when the case failed."""
    failing = [f for f in own if fails(f, options)]
    rest = [f for f in own if not fails(f, options)]
    lang = options.lang
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank).severity
        count = message or i18n.plural(len(failing), "junit.findings")(lang)
        kind = kind or worst.value
        _element(case, "failure", _lines(failing, options), message=count, type=kind)
    if rest:
        header = i18n.t("junit.waived")(lang)
        _element(case, "system-out", header + "\n" + _lines(rest, options))
    return bool(failing)


def _aspect_case(
    suite: ET.Element, aspect: AspectResult, own: list[Finding], options: RenderOptions
) -> None:
    lang = options.lang
    case = _element(
        suite, "testcase", classname="kigate.aspects", name=f"{aspect.id}: {aspect.title(lang)}"
    )
    case.set("time", "0")
    status = i18n.t(f"status.{aspect.status.value}")(lang)
    if aspect.status is AspectStatus.NOT_APPLICABLE:
        _element(case, "skipped", message=status)
    message = i18n.t("junit.aspect_failed", aspect=aspect.id, status=status)(lang)
    _case_body(case, own, options, message, aspect.status.value)


def families() -> dict[str, tuple[str, ...]]:
    """Rule families in the order of the rule table, each with its rule ids."""
    grouped: dict[str, list[str]] = {}
    for rule in rules.RULES.values():
        grouped.setdefault(rule.family, []).append(rule.id)
    return {name: tuple(ids) for name, ids in grouped.items()}


def family_of(rule_id: str) -> str:
    rule = rules.get(rule_id)
    return rule.family if rule else "other"


def _family_case(
    suite: ET.Element,
    family: str,
    ids: tuple[str, ...],
    own: list[Finding],
    report: Report,
    options: RenderOptions,
) -> None:
    name = f"{family} ({', '.join(ids)})" if ids else family
    case = _element(suite, "testcase", classname="kigate.rules", name=name)
    case.set("time", "0")
    unchecked = [u for u in report.unchecked if family_of(u.rule) == family]
    notes = "".join(unchecked_line(u, options.lang) + "\n" for u in unchecked)
    if any(fails(f, options) for f in own):
        _case_body(case, own, options)
        if notes:
            _element(case, "system-err", notes)
        return
    if unchecked:
        _element(case, "skipped", message=notes.strip())
    _case_body(case, own, options)


def _properties(suite: ET.Element, report: Report) -> None:
    repo = report.repo
    values = {
        "kigate.version": report.tool_version,
        "kigate.policy": f"{report.policy_id} {report.policy_version}",
        "kigate.score": str(report.score),
        "kigate.aspects_covered": f"{report.aspects_covered}/{len(report.aspects)}",
        "repository.name": repo.root_name,
        "repository.remote": repo.remote_url or "",
        "repository.commit": repo.commit or "",
        "repository.branch": repo.branch or "",
    }
    node = ET.SubElement(suite, "properties")
    for key, value in values.items():
        if value:
            _element(node, "property", name=key, value=value)


def _count(suite: ET.Element) -> dict[str, int]:
    cases = suite.findall("testcase")
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": 0,
        "skipped": sum(1 for c in cases if c.find("skipped") is not None),
    }
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", "0")
    return counts


def render(report: Report, options: RenderOptions) -> str:
    root = ET.Element("testsuites", {"name": "kigate"})
    aspects = _element(root, "testsuite", name="kigate.aspects", timestamp=report.generated_at)
    _properties(aspects, report)
    listed = {a.id for a in report.aspects}
    for aspect in report.aspects:
        own = [f for f in report.findings if f.aspect == aspect.id]
        _aspect_case(aspects, aspect, own, options)
    rule_suite = _element(root, "testsuite", name="kigate.rules", timestamp=report.generated_at)
    known = families()
    seen = [f.rule for f in report.findings] + [u.rule for u in report.unchecked]
    if any(family_of(rule) == "other" for rule in seen):
        known["other"] = ()
    rest = [f for f in report.findings if f.aspect not in listed]
    for family, ids in known.items():
        own = [f for f in rest if family_of(f.rule) == family]
        _family_case(rule_suite, family, ids, own, report, options)
    totals = [_count(aspects), _count(rule_suite)]
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(t[key] for t in totals)))
    root.set("time", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
