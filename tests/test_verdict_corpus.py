"""Realistic manifests, good and gamed, in German and English: every good one passes the
default gate, every gamed one fails it (issue 11). Each rule is a class of "saying nothing",
so the gamed set covers copies, templates, echoes, questions, placeholders, one-liners,
unjustified not-applicable, shuffled answers and invalid statuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kigate import engine, policy
from kigate._toml import tomllib
from kigate.model import Report, Severity
from tests.conftest import MakeRepo

DATA = Path(__file__).parent / "data" / "verdict"
TODAY = dt.date(2026, 11, 30)
POLICY = policy.load()
GOOD = sorted((DATA / "good").glob("*.toml"))
GAMED = sorted((DATA / "gamed").glob("*.toml"))
# What an evidence document of a good manifest says: a heading and real text.
DOCUMENT = (
    "# {name}\n\nWritten by the team that runs the system. It records what was checked, "
    "when, by whom and what changed as a result.\n"
)


def check(make_repo: MakeRepo, manifest: Path) -> Report:
    text = manifest.read_text(encoding="utf-8")
    files: dict[str, str | bytes] = {"ai-values.toml": text, "requirements.txt": "openai\n"}
    files["README.md"] = "# Project\n\nA service that uses a hosted language model.\n"
    for entry in tomllib.loads(text).get("aspects", {}).values():
        for item in entry.get("evidence", []):
            files.setdefault(item, DOCUMENT.format(name=Path(item).stem))
    request = engine.CheckRequest(make_repo(files), POLICY, today=TODAY)
    return engine.check(request).report


def errors(report: Report) -> list[str]:
    return [
        f"{f.line}: {f.rule} {f.message.en}"
        for f in report.findings
        if f.severity is Severity.ERROR
    ]


def test_the_corpus_is_big_enough() -> None:
    assert len(GOOD) >= 12 and len(GAMED) >= 12
    names = [p.name for p in GOOD + GAMED]
    assert any(n.startswith("de-") for n in names) and any(n.startswith("en-") for n in names)


@pytest.mark.parametrize("manifest", GOOD, ids=[p.stem for p in GOOD])
def test_every_good_manifest_passes(make_repo: MakeRepo, manifest: Path) -> None:
    report = check(make_repo, manifest)
    assert errors(report) == []
    assert not report.fails("error")
    assert report.aspects_covered == 8
    assert report.score >= 75


@pytest.mark.parametrize("manifest", GAMED, ids=[p.stem for p in GAMED])
def test_every_gamed_manifest_fails(make_repo: MakeRepo, manifest: Path) -> None:
    report = check(make_repo, manifest)
    assert report.fails("error"), report.findings
    assert report.aspects_covered < 8
    assert report.score < 100
