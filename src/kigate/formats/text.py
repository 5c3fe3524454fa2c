"""Human output: one line per finding, grouped by file, then a one-line summary."""

from __future__ import annotations

from kigate import i18n
from kigate.formats import RenderOptions
from kigate.formats._text import one_line
from kigate.model import Finding, Report, Severity, Unchecked

# Evidence lines per component in the text inventory; JSON always carries all of them.
EVIDENCE_SHOWN = 5
_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, options: RenderOptions) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if options.color else text


def location(finding: Finding) -> str:
    if finding.path is None:
        return "."
    path = one_line(finding.path)
    if finding.line is None:
        return path
    if finding.column is None:
        return f"{path}:{finding.line}"
    return f"{path}:{finding.line}:{finding.column}"


def severity_word(severity: Severity, lang: str) -> str:
    return i18n.t(f"severity.{severity.value}")(lang)


def finding_line(finding: Finding, options: RenderOptions) -> str:
    lang = options.lang
    word = _paint(severity_word(finding.severity, lang), _COLORS[finding.severity], options)
    # One finding is one line, and text from the repository cannot drive the terminal.
    line = f"{location(finding)}: {finding.rule} {word} {one_line(finding.message(lang))}"
    if finding.waived:
        line += " " + i18n.t("text.waived")(lang)
    if finding.introduced is True:
        line += " " + i18n.t("text.introduced")(lang)
    return line


def unchecked_line(item: Unchecked, lang: str) -> str:
    return i18n.t("text.unchecked", rule=item.rule, reason=item.reason(lang))(lang)


def summary(report: Report, lang: str) -> str:
    parts = [
        i18n.plural(report.count(Severity.ERROR), "summary.errors")(lang),
        i18n.plural(report.count(Severity.WARNING), "summary.warnings")(lang),
        i18n.plural(report.count(Severity.INFO), "summary.notes")(lang),
    ]
    waived = sum(1 for f in report.findings if f.waived)
    if waived:
        parts.append(i18n.plural(waived, "summary.waived")(lang))
    text = ", ".join(parts)
    if report.aspects:
        text += "; " + i18n.t(
            "summary.aspects", covered=report.aspects_covered, total=len(report.aspects)
        )(lang)
    return text


def render(report: Report, options: RenderOptions) -> str:
    lang = options.lang
    lines: list[str] = []
    if not report.components:
        lines.append(i18n.t("text.no_ai")(lang))
    else:
        lines.append(i18n.plural(len(report.components), "text.components")(lang))
    current: str | None = None
    for finding in report.findings:
        group = finding.path or "."
        if group != current:
            lines.append("")
            current = group
        lines.append(finding_line(finding, options))
    for item in report.unchecked:
        lines.append("")
        lines.append(unchecked_line(item, lang))
    lines.append("")
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"


def render_inventory(report: Report, options: RenderOptions) -> str:
    """The AI components grouped by category, each with its evidence."""
    lang = options.lang
    if not report.components:
        lines = [i18n.t("text.no_ai")(lang)]
    else:
        lines = [i18n.plural(len(report.components), "text.components")(lang)]
    categories = sorted({c.category for c in report.components})
    for category in categories:
        lines.append("")
        lines.append(_paint(one_line(category), "1", options))
        for comp in (c for c in report.components if c.category == category):
            scope = i18n.t(f"scope.{comp.scope.value}")(lang)
            lines.append(f"  {one_line(comp.id)}  ({scope})")
            for e in comp.evidence[:EVIDENCE_SHOWN]:
                where = one_line(f"{e.path}:{e.line}" if e.line else e.path)
                lines.append(f"    {where}  {e.family}: {one_line(e.match)}")
            hidden = len(comp.evidence) - EVIDENCE_SHOWN
            if hidden > 0:
                lines.append("    " + i18n.t("inventory.more_evidence", n=hidden)(lang))
    if report.findings:
        lines.append("")
        lines.extend(finding_line(f, options) for f in report.findings)
    return "\n".join(lines) + "\n"
