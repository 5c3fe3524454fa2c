"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

``::error file=F,line=L,col=C,title=T::MESSAGE``, escaped as the Actions runner expects:
``%``, CR and LF in the message; additionally ``:`` and ``,`` in property values.
"""

from __future__ import annotations

from kigate import i18n, rules
from kigate.formats._common import unchecked_line
from kigate.formats._links import repo_path
from kigate.formats._text import visible
from kigate.formats.base import RenderOptions
from kigate.model import Finding, Report, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, str], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


def annotation(report: Report, finding: Finding, lang: str) -> str:
    properties: dict[str, str] = {}
    if finding.path is not None:
        properties["file"] = repo_path(report, finding.path)
        if finding.line is not None:
            properties["line"] = str(finding.line)
            if finding.column is not None:
                properties["col"] = str(finding.column)
    rule = rules.get(finding.rule)
    properties["title"] = f"{finding.rule} {rule.title(lang)}" if rule else finding.rule
    message = finding.message(lang)
    name = COMMANDS[finding.severity]
    if finding.waived:
        # A waived finding stays visible but never as an error: the waiver is on record.
        name = "notice"
        message += " " + i18n.t("text.waived")(lang)
    if finding.introduced is True:
        message += " " + i18n.t("text.introduced")(lang)
    return command(name, properties, message)


def render(report: Report, options: RenderOptions) -> str:
    lang = options.lang
    lines = [annotation(report, f, lang) for f in report.findings]
    lines.extend(
        command("warning", {"title": item.rule}, unchecked_line(item, lang))
        for item in report.unchecked
    )
    return "".join(line + "\n" for line in lines)
