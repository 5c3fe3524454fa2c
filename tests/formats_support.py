"""A fixed report and readers that take every output format back to (rule, path, line)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

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

DATA = Path(__file__).resolve().parent / "data"
COMMIT = "0123456789abcdef0123456789abcdef01234567"

Triple = tuple[str, str | None, int | None]

ASPECTS = (
    AspectResult("values", Text("Define values", "Werte definieren"), AspectStatus.COVERED),
    AspectResult(
        "risks",
        Text("Weigh opportunities and risks", "Chancen und Risiken abwägen"),
        AspectStatus.PARTIAL,
    ),
    AspectResult(
        "participation",
        Text("Enable participation", "Teilhabe ermöglichen"),
        AspectStatus.MISSING,
    ),
    AspectResult(
        "sustainability",
        Text("Consider ecological sustainability", "Ökologische Nachhaltigkeit berücksichtigen"),
        AspectStatus.NOT_APPLICABLE,
    ),
)


def finding(rule: str, severity: Severity, en: str, de: str, **where: Any) -> Finding:
    return Finding(rule, severity, Text(en, de), **where)


FINDINGS = (
    finding(
        "KG110",
        Severity.ERROR,
        "aspect 'participation' is missing",
        "Aspekt 'participation' fehlt",
        path="ai-values.toml",
        line=12,
        aspect="participation",
    ),
    finding(
        "KG120",
        Severity.WARNING,
        "aspect 'risks': evidence 'docs/risk.md' does not exist",
        "Aspekt 'risks': Nachweis 'docs/risk.md' existiert nicht",
        path="ai-values.toml",
        line=19,
        column=3,
        aspect="risks",
        introduced=True,
    ),
    finding(
        "KG130",
        Severity.WARNING,
        "last review on 2024-03-01 was 400 days ago",
        "letzte Prüfung am 2024-03-01",
        path="ai-values.toml",
        line=6,
        waived=True,
    ),
    finding(
        "KG141",
        Severity.INFO,
        "declared component pypi:gone is no longer found",
        "deklarierte Komponente pypi:gone wird nicht mehr gefunden",
        path="ai-values.toml",
        line=30,
        component="pypi:gone",
    ),
    finding(
        "KG140",
        Severity.WARNING,
        "AI component pypi:openai is not declared",
        "KI-Komponente pypi:openai ist nicht deklariert",
        path="src/app dir/requirements ü.txt",
        line=2,
        component="pypi:openai",
        introduced=False,
    ),
    finding(
        "KG100",
        Severity.ERROR,
        "AI component model:weights/clf.onnx has no manifest",
        "KI-Komponente model:weights/clf.onnx hat kein Manifest",
        component="model:weights/clf.onnx",
    ),
)

COMPONENTS = (
    Component(
        "pypi:openai",
        "openai",
        "pypi",
        "llm-api",
        Scope.PRODUCT,
        (Evidence("src/app dir/requirements ü.txt", 2, "openai", "dependency"),),
    ),
    Component(
        "npm:@anthropic-ai/sdk",
        "@anthropic-ai/sdk",
        "npm",
        "llm-api",
        Scope.DEVELOPMENT,
        (Evidence("package.json", 7, "@anthropic-ai/sdk", "dependency"),),
    ),
    Component(
        "model:weights/clf.onnx",
        "weights/clf.onnx",
        "model",
        "model-artefact",
        Scope.PRODUCT,
        (Evidence("weights/clf.onnx", None, "ONNX header", "model-artefact"),),
    ),
    Component(
        "service:api.openai.com",
        "api.openai.com",
        "service",
        "ai-service",
        Scope.PRODUCT,
        (Evidence("src/client.py", 14, "api.openai.com", "api-host"),),
    ),
)


def fixed_report(**changes: Any) -> Report:
    """One report that exercises every branch of every format; no clock, no git."""
    values: dict[str, Any] = {
        "tool_version": "0.1.0",
        "repo": RepoInfo(
            root_name="shop",
            path=".",
            git=True,
            remote_url="https://github.com/example/shop.git",
            commit=COMMIT,
            branch="main",
            dirty=False,
            subdir="",
        ),
        "policy_id": "demokratische-ki",
        "policy_version": "2026.1",
        "generated_at": "2026-11-30T05:00:00Z",
        "components": COMPONENTS,
        "manifests": (
            ManifestSummary("ai-values.toml", "Shop assistant", "ai@example.org", None, ASPECTS),
        ),
        "aspects": ASPECTS,
        "findings": FINDINGS,
        "unchecked": (Unchecked("KG131", Text("no git history", "keine Git-Historie")),),
    }
    values.update(changes)
    return Report(**values)


# --- readers: every format back to the set of (rule id, path, line) -----------------------

_LOCATION = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?(?::\d+)?: (?P<rule>KG\d{3}) ")


def _from_text_lines(lines: list[str]) -> set[Triple]:
    out: set[Triple] = set()
    for line in lines:
        match = _LOCATION.match(line)
        if match:
            path = None if match["path"] == "." else match["path"]
            out.add((match["rule"], path, int(match["line"]) if match["line"] else None))
    return out


def from_text(output: str) -> set[Triple]:
    return _from_text_lines(output.splitlines())


def from_json(output: str) -> set[Triple]:
    return {(f["rule"], f["path"], f["line"]) for f in json.loads(output)["findings"]}


def from_sarif(output: str) -> set[Triple]:
    out: set[Triple] = set()
    for result in json.loads(output)["runs"][0]["results"]:
        locations = result.get("locations", [])
        if not locations or result.get("properties", {}).get("repositoryLevel"):
            out.add((result["ruleId"], None, None))
            continue
        physical = locations[0]["physicalLocation"]
        line = physical.get("region", {}).get("startLine")
        out.add((result["ruleId"], unquote(physical["artifactLocation"]["uri"]), line))
    return out


def from_junit(output: str) -> set[Triple]:
    root = ET.fromstring(output)
    lines: list[str] = []
    for suite in root.iter("testsuite"):  # each finding is in exactly one case of one suite
        for node in suite.iter():
            if node.tag in ("failure", "system-out") and node.text:
                lines.extend(node.text.splitlines())
    return _from_text_lines(lines)


_MD_ITEM = re.compile(r"^- \S+ \*\*(?P<rule>KG\d{3})\*\* \S+ · \[?`(?P<where>[^`]+)`")


def from_markdown(output: str) -> set[Triple]:
    lines = []
    for line in output.splitlines():
        match = _MD_ITEM.match(line)
        if match:
            lines.append(f"{match['where']}: {match['rule']} ")
    return _from_text_lines(lines)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read back the way the GitHub Actions runner reads it."""
    assert line.startswith("::"), line
    head, _, data = line[2:].partition("::")
    name, _, props = head.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = _unescape_property(value)
    return name, properties, _unescape_data(data)


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def from_github(output: str) -> set[Triple]:
    out: set[Triple] = set()
    for line in output.splitlines():
        _, props, _ = parse_command(line)
        rule, _, title = props["title"].partition(" ")
        if not title:  # a rule that could not be checked, not a finding
            continue
        line_no = int(props["line"]) if "line" in props else None
        out.add((rule, props.get("file"), line_no))
    return out


READERS = {
    "text": from_text,
    "json": from_json,
    "sarif": from_sarif,
    "junit": from_junit,
    "markdown": from_markdown,
    "github": from_github,
}


def assert_golden(name: str, text: str) -> None:
    """Compare a whole rendered output with its reviewed copy in ``tests/data/formats/``.

    ``KIGATE_REGENERATE=1`` rewrites the copies; review the diff before committing it.
    """
    import os

    golden = DATA / "formats" / name
    if os.environ.get("KIGATE_REGENERATE"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")
