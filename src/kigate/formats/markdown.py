"""Markdown for pull-request comments and CI job summaries (GitHub, GitLab).

A table of the policy's aspects with status icons, then the findings grouped by aspect.
File references link to the checked commit on GitHub or GitLab; for any other remote, or
without one, they are plain code (the link-free fallback). The whole text stays below
GitHub's comment limit: what does not fit is counted in a closing note.
"""

from __future__ import annotations

import re

from kigate import i18n
from kigate.formats._common import location, summary, unchecked_line
from kigate.formats._links import blob_url
from kigate.formats._text import one_line, shorten
from kigate.formats.base import RenderOptions
from kigate.model import AspectResult, AspectStatus, Finding, Report, Severity

# Invisible when rendered; lets a CI job find and update its earlier pull-request comment.
MARKER = "<!-- kigate-report -->"
# GitHub rejects comments above 65,536 characters; the rest is headroom for the note.
LIMIT = 60_000
# One finding never takes more than a small share of it (messages and paths are cut).
ITEM_LIMIT = 2_000
STATUS_ICONS = {
    AspectStatus.COVERED: "✅",
    AspectStatus.PARTIAL: "🟡",
    AspectStatus.MISSING: "❌",
    AspectStatus.NOT_APPLICABLE: "⚪",
}
SEVERITY_ICONS = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")


def inline(text: str) -> str:
    """Text from the repository as literal Markdown: no markup, HTML, table break or mention."""
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A word joiner after @ keeps "@org/team" from notifying anyone in a PR comment.
    return _SPECIAL.sub(r"\\\1", text).replace("@", "@\u2060")


def code(text: str, *, cell: bool = False) -> str:
    """A code span that holds any text, including backticks (and pipes in a table cell)."""
    text = one_line(text)
    if cell:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def where(report: Report, finding: Finding, shown: str = "") -> str:
    """The finding's place, from the reader's current directory (``shown``: see
    ``RenderOptions.where``), linked to the file on its host when one is known."""
    if finding.path is None:
        return code(location(finding, shown))
    label = code(shorten(location(finding, shown), ITEM_LIMIT))
    url = blob_url(report, finding.path, finding.line)
    # A link longer than the text it decorates is no help; fall back to plain code.
    return f"[{label}]({url})" if url and len(url) <= ITEM_LIMIT else label


def finding_item(report: Report, finding: Finding, lang: str, shown: str = "") -> str:
    severity = i18n.t(f"severity.{finding.severity.value}")(lang)
    text = f"- {SEVERITY_ICONS[finding.severity]} **{finding.rule}** {severity} · "
    message = inline(shorten(finding.message(lang), ITEM_LIMIT))
    text += f"{where(report, finding, shown)} · {message}"
    if finding.waived:
        text += " " + inline(i18n.t("text.waived")(lang))
    if finding.introduced is True:
        text += " " + inline(i18n.t("text.introduced")(lang))
    return text


def aspect_label(aspect: AspectResult, lang: str, *, cell: bool = False) -> str:
    return f"{inline(aspect.title(lang))} {code(aspect.id, cell=cell)}"


def head(report: Report, lang: str) -> list[str]:
    t = i18n.t
    if report.components:
        found = i18n.plural(len(report.components), "text.components")(lang)
    else:
        found = t("text.no_ai")(lang)
    policy = t("markdown.policy", policy=report.policy_id, version=report.policy_version)(lang)
    context = [inline(found), inline(policy), code(report.repo.root_name)]
    if report.repo.commit:
        context.append(code(report.repo.commit[:12]))
    counts = inline(summary(report, lang))
    if report.aspects:
        counts += " · " + inline(t("markdown.score", score=report.score)(lang))
    return [
        MARKER,
        f"### {inline(t('markdown.heading')(lang))}",
        "",
        " · ".join(context),
        "",
        counts,
    ]


def table(report: Report, lang: str) -> list[str]:
    if not report.aspects:
        return []
    t = i18n.t
    rows = [
        "",
        f"| | {t('markdown.aspect')(lang)} | {t('markdown.status')(lang)} "
        f"| {t('markdown.findings')(lang)} |",
        "|:-:|---|---|--:|",
    ]
    for aspect in report.aspects:
        count = sum(1 for f in report.active_findings if f.aspect == aspect.id)
        status = t(f"status.{aspect.status.value}")(lang)
        icon = STATUS_ICONS[aspect.status]
        rows.append(
            f"| {icon} | {aspect_label(aspect, lang, cell=True)} | {inline(status)} | {count} |"
        )
    return rows


def sections(report: Report, lang: str) -> list[tuple[str, list[Finding]]]:
    """(heading, findings) per aspect with findings, then the findings of no listed aspect."""
    listed = {a.id for a in report.aspects}
    out = []
    for aspect in report.aspects:
        own = [f for f in report.findings if f.aspect == aspect.id]
        if own:
            out.append((f"{STATUS_ICONS[aspect.status]} {aspect_label(aspect, lang)}", own))
    rest = [f for f in report.findings if f.aspect not in listed]
    if rest:
        out.append((inline(i18n.t("markdown.other")(lang)), rest))
    return out


def findings_part(
    report: Report, lang: str, budget: int, shown_from: str = ""
) -> tuple[list[str], int]:
    """The grouped findings that fit into ``budget`` characters, and how many fit."""
    lines: list[str] = []
    used = shown = 0
    for heading, findings in sections(report, lang):
        block = ["", f"#### {heading}", ""]
        cost = sum(len(line) + 1 for line in block)
        items = []
        for finding in findings:
            item = finding_item(report, finding, lang, shown_from)
            if used + cost + len(item) + 1 > budget:
                break
            items.append(item)
            cost += len(item) + 1
        if items:
            lines += block + items
            used += cost
            shown += len(items)
        if len(items) < len(findings):
            break
    return lines, shown


def render(report: Report, options: RenderOptions) -> str:
    lang = options.lang
    lines = head(report, lang) + table(report, lang)
    if report.unchecked:
        lines += ["", f"#### {inline(i18n.t('markdown.unchecked')(lang))}", ""]
        lines += [f"- {inline(unchecked_line(u, lang))}" for u in report.unchecked]
    budget = LIMIT - sum(len(line) + 1 for line in lines)
    found, shown = findings_part(report, lang, budget, options.where)
    lines += found
    hidden = len(report.findings) - shown
    if hidden:
        lines += ["", f"> {inline(i18n.plural(hidden, 'ux.markdown_truncated')(lang))}"]
    return "\n".join(lines) + "\n"
