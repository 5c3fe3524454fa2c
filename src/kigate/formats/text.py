"""Human output: one line per finding, grouped by file, then a one-line summary."""

from __future__ import annotations

from kigate import i18n
from kigate.formats._common import finding_line, paint, shown_path, summary, unchecked_line
from kigate.formats._text import one_line
from kigate.formats.base import RenderOptions
from kigate.model import Report

# Evidence lines per component in the text inventory; JSON always carries all of them.
EVIDENCE_SHOWN = 5


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
        lines.append(paint(one_line(category), "1", options))
        for comp in (c for c in report.components if c.category == category):
            scope = i18n.t(f"scope.{comp.scope.value}")(lang)
            lines.append(f"  {one_line(comp.id)}  ({scope})")
            for e in comp.evidence[:EVIDENCE_SHOWN]:
                path = shown_path(e.path, options.where)
                where = one_line(f"{path}:{e.line}" if e.line else path)
                lines.append(f"    {where}  {e.family}: {one_line(e.match)}")
            hidden = len(comp.evidence) - EVIDENCE_SHOWN
            if hidden > 0:
                lines.append("    " + i18n.t("inventory.more_evidence", n=hidden)(lang))
    if report.findings:
        lines.append("")
        lines.extend(finding_line(f, options) for f in report.findings)
    return "\n".join(lines) + "\n"
