"""Text from a hostile or broken repository keeps every format valid (hypothesis)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml

from kigate.formats import FORMAT_NAMES, RenderOptions, renderer, scan_renderer
from kigate.formats._text import visible
from kigate.model import (
    AspectResult,
    AspectStatus,
    Component,
    Evidence,
    Finding,
    Scope,
    Severity,
    Text,
)
from tests.conftest import MakeRepo, example_files
from tests.formats_support import fixed_report, parse_command
from tests.test_formats_cyclonedx import assert_valid_bom
from tests.test_formats_json import assert_valid_report
from tests.test_formats_sarif import assert_valid_sarif

SPECIAL = ["]]>", "<", "&", "\u202e", "\u200f", "\x00", "\x1b[31m", "\r\n", "%0A", "::", ",", "|"]
# Any code point, lone surrogates included: file names that are not UTF-8 arrive as those.
ANY_CHAR = st.characters(exclude_categories=())
texts = st.one_of(
    st.text(ANY_CHAR, min_size=1, max_size=60),
    st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=8).map("".join),
    st.builds(
        lambda s, n: (s * n)[:10_000], st.text(ANY_CHAR, min_size=1, max_size=5), st.just(10_000)
    ),
)
paths = st.builds(lambda a, b: f"dir {a}/{b} ü.txt", texts, st.text(ANY_CHAR, max_size=20))
severities = st.sampled_from(list(Severity))


@st.composite
def reports(draw: st.DrawFn):
    findings = tuple(
        Finding(
            rule=draw(st.sampled_from(["KG100", "KG112", "KG140", "KG150"])),
            severity=draw(severities),
            message=Text(draw(texts), draw(texts)),
            path=draw(st.none() | paths),
            line=draw(st.none() | st.integers(1, 10**6)),
            aspect=draw(st.none() | st.sampled_from(["values", "risks"])),
            component=draw(st.none() | texts),
            waived=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(1, 4)))
    )
    aspects = (
        AspectResult(
            "values", Text(draw(texts), draw(texts)), draw(st.sampled_from(list(AspectStatus)))
        ),
        AspectResult("risks", Text("Risks", "Risiken"), AspectStatus.MISSING),
    )
    components = tuple(
        Component(
            id=f"pypi:{i}{draw(texts)}",
            name=draw(texts),
            ecosystem=draw(st.sampled_from(["pypi", "npm", "model", "service", "weird eco"])),
            category=draw(st.sampled_from(["llm-api", "model-artefact", "ai-service"])),
            scope=draw(st.sampled_from(list(Scope))),
            evidence=(
                Evidence(
                    draw(paths), draw(st.none() | st.integers(1, 99)), draw(texts), "dependency"
                ),
            ),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    base = fixed_report()
    repo = replace(base.repo, root_name=draw(texts), branch=draw(st.none() | texts))
    return fixed_report(findings=findings, aspects=aspects, components=components, repo=repo)


def render_all(report, lang: str) -> dict[str, str]:
    out = {name: renderer(name)(report, RenderOptions(lang=lang)) for name in FORMAT_NAMES}
    for name, text in out.items():
        text.encode("utf-8")  # every output can be written, surrogates or not
        assert name
        assert text
    return out


def check_markdown(text: str, report) -> None:
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert all(len(re.split(r"(?<!\\)\|", row)) == 6 for row in table), table
    items = [line for line in text.splitlines() if line.startswith("- ") and "**KG" in line]
    note = re.search(r"^> (\d+) (more findings?|weitere[r]? Befunde?)", text, re.MULTILINE)
    assert len(items) + (int(note[1]) if note else 0) == len(report.findings)
    # Outside code spans (where Markdown shows text literally) no HTML can start.
    assert not any("<" in re.sub(r"(`+).+?\1", "", item) for item in items)


def check_github(text: str, report, lang: str) -> None:
    lines = text.splitlines()
    assert len(lines) == len(report.findings) + len(report.unchecked)
    for line, finding in zip(lines, report.findings, strict=False):
        _, props, message = parse_command(line)
        assert message.startswith(visible(finding.message(lang)))
        if finding.path is not None:
            assert props["file"] == visible(finding.path)


def check_junit(text: str, report) -> None:
    root = ET.fromstring(text.encode("utf-8"))
    JUnitXml.fromstring(text.encode("utf-8"))
    lines = [
        line
        for suite in root.iter("testsuite")  # each finding in exactly one case of one suite
        for node in suite.iter()
        if node.tag in ("failure", "system-out") and node.text
        for line in node.text.splitlines()
        if re.search(r": KG\d{3} ", line)
    ]
    assert len(lines) == len(report.findings)


def check_text(text: str) -> None:
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports(), st.sampled_from(["en", "de"]))
def test_every_format_stays_valid(report, lang: str) -> None:
    out = render_all(report, lang)
    assert_valid_report(out["json"])
    log = assert_valid_sarif(out["sarif"])
    assert len(log["runs"][0]["results"]) == len(report.findings)
    check_junit(out["junit"], report)
    check_markdown(out["markdown"], report)
    check_github(out["github"], report, lang)
    check_text(out["text"])
    assert_valid_bom(out["cyclonedx"])
    assert_valid_bom(scan_renderer("cyclonedx")(report, RenderOptions()))
    json.loads(scan_renderer("json")(report, RenderOptions()))
    check_text(scan_renderer("text")(report, RenderOptions()))


def test_non_utf8_file_name_end_to_end(run_cli, make_repo: MakeRepo) -> None:
    files = example_files("incomplete")
    files["sub/requirements.txt"] = "openai\n"
    repo = make_repo(files)
    (repo / "sub").rename(repo.joinpath(b"sub-\xff".decode("utf-8", "surrogateescape")))
    # The core shows the undecodable byte escaped (sub-\\xff), the same in every format;
    # JSON formats escape the backslash once more, SARIF's URI percent-encodes it.
    escaped = "sub-\\\\xff/requirements.txt"
    shown = {"sarif": "sub-%5Cxff/requirements.txt", "json": escaped, "cyclonedx": escaped}
    for name in FORMAT_NAMES:
        result = run_cli("check", str(repo), "--format", name)
        assert result.exit_code == 1, (name, result.output)
        assert shown.get(name, "sub-\\xff/requirements.txt") in result.stdout, name
