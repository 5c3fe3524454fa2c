"""JUnit XML for GitLab, Jenkins and Azure test views.

Two suites: ``kigate.aspects`` has one test case per aspect of the policy (failed when the
aspect is missing or partial, skipped when not applicable), ``kigate.rules`` one per rule
family (failed by its active errors and warnings). Every finding appears once in the rules
suite, in the same words as the text output.
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


def _lines(findings: Iterable[Finding], lang: str) -> str:
    options = RenderOptions(lang=lang, color=False)
    return "".join(finding_line(f, options) + "\n" for f in findings)


def _aspect_case(suite: ET.Element, aspect: AspectResult, report: Report, lang: str) -> None:
    case = _element(
        suite, "testcase", classname="kigate.aspects", name=f"{aspect.id}: {aspect.title(lang)}"
    )
    case.set("time", "0")
    status = i18n.t(f"status.{aspect.status.value}")(lang)
    if aspect.status is AspectStatus.NOT_APPLICABLE:
        _element(case, "skipped", message=status)
    elif aspect.status in (AspectStatus.MISSING, AspectStatus.PARTIAL):
        own = [f for f in report.findings if f.aspect == aspect.id]
        message = i18n.t("junit.aspect_failed", aspect=aspect.id, status=status)(lang)
        _element(case, "failure", _lines(own, lang), message=message, type=aspect.status.value)


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
    suite: ET.Element, family: str, ids: tuple[str, ...], report: Report, lang: str
) -> None:
    name = f"{family} ({', '.join(ids)})" if ids else family
    case = _element(suite, "testcase", classname="kigate.rules", name=name)
    case.set("time", "0")
    own = [f for f in report.findings if family_of(f.rule) == family]
    failing = [f for f in own if not f.waived and f.severity is not Severity.INFO]
    unchecked = [u for u in report.unchecked if family_of(u.rule) == family]
    notes = "".join(unchecked_line(u, lang) + "\n" for u in unchecked)
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank).severity
        count = i18n.plural(len(failing), "junit.findings")(lang)
        _element(case, "failure", _lines(own, lang) + notes, message=count, type=worst.value)
        return
    if unchecked:
        _element(case, "skipped", message=notes.strip())
    if own:
        header = i18n.t("junit.waived")(lang)
        _element(case, "system-out", header + "\n" + _lines(own, lang))


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
    lang = options.lang
    root = ET.Element("testsuites", {"name": "kigate"})
    aspects = _element(root, "testsuite", name="kigate.aspects", timestamp=report.generated_at)
    _properties(aspects, report)
    for aspect in report.aspects:
        _aspect_case(aspects, aspect, report, lang)
    rule_suite = _element(root, "testsuite", name="kigate.rules", timestamp=report.generated_at)
    known = families()
    seen = [f.rule for f in report.findings] + [u.rule for u in report.unchecked]
    if any(family_of(rule) == "other" for rule in seen):
        known["other"] = ()
    for family, ids in known.items():
        _family_case(rule_suite, family, ids, report, lang)
    totals = [_count(aspects), _count(rule_suite)]
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(t[key] for t in totals)))
    root.set("time", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
