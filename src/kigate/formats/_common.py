"""What several formats say alike: a finding's place and line, the unchecked note, the summary.

The text format is built from these, and so are the lines that JUnit, Markdown, SARIF and
GitHub annotations show a person, so the same finding reads the same everywhere.
"""

from __future__ import annotations

import posixpath

from kigate import i18n
from kigate.formats._text import one_line
from kigate.formats.base import RenderOptions
from kigate.model import Finding, Report, Severity, Unchecked

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def paint(text: str, code: str, options: RenderOptions) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if options.color else text


def shown_path(path: str, where: str = "") -> str:
    """``path`` (relative to the checked directory) as the reader's current directory sees it."""
    if not where or where == ".":
        return path
    return posixpath.normpath(posixpath.join(where, path))


def location(finding: Finding, where: str = "") -> str:
    if finding.path is None:
        return shown_path(".", where)
    path = one_line(shown_path(finding.path, where))
    if finding.line is None:
        return path
    if finding.column is None:
        return f"{path}:{finding.line}"
    return f"{path}:{finding.line}:{finding.column}"


def severity_word(severity: Severity, lang: str) -> str:
    return i18n.t(f"severity.{severity.value}")(lang)


def finding_line(finding: Finding, options: RenderOptions) -> str:
    lang = options.lang
    word = paint(severity_word(finding.severity, lang), _COLORS[finding.severity], options)
    # One finding is one line, and text from the repository cannot drive the terminal.
    place = location(finding, options.where)
    line = f"{place}: {finding.rule} {word} {one_line(finding.message(lang))}"
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
