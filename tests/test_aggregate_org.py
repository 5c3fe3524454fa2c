"""A governance team's organisation of 22 repositories, every format as a whole output.

The golden files live in tests/data/aggregate; ``KIGATE_REGENERATE=1`` rewrites them
after a deliberate change (then read the diff). Commit ids, today's date and the moment
of each check are the only parts that vary between runs; they are replaced by same-width
placeholders before comparing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from kigate import __version__
from kigate.aggregate.collect import collect
from kigate.aggregate.model import Aggregate
from kigate.aggregate.render import FORMAT_NAMES, renderer
from kigate.aggregate.render_csv import render_inventory
from kigate.cli.schema import schema_text
from tests.aggregate_support import HOSTILE, ORGANISATION, build_organisation
from tests.conftest import TODAY

GOLDEN = Path(__file__).parent / "data" / "aggregate"
GENERATED = "2026-11-02T08:00:00Z"
SUFFIX = {"table": "txt", "csv": "csv", "json": "json", "markdown": "md", "html": "html"}


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Aggregate]:
    base = tmp_path_factory.mktemp("organisation")
    build_organisation(base, TODAY)
    here = Path.cwd()
    os.chdir(base)  # sources are named as a team would: relative to where they work
    try:
        yield collect([name for name, *_rest in ORGANISATION], jobs=2, generated_at=GENERATED)
    finally:
        os.chdir(here)


def stable(text: str) -> str:
    # each repository's row carries the moment it was checked
    text = re.sub(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
        lambda m: m.group() if m.group() == GENERATED else "YYYY-MM-DDThh:mm:ssZ",
        text,
    )
    text = re.sub(r"\b[0-9a-f]{40}\b", "c" * 40, text)
    text = re.sub(r"\b[0-9a-f]{12}\b", "c" * 12, text)
    text = text.replace(TODAY.isoformat(), "YYYY-MM-DD")
    return text.replace(f"kigate {__version__}", "kigate X.Y.Z").replace(
        f'"tool_version": "{__version__}"', '"tool_version": "X.Y.Z"'
    )


def assert_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("KIGATE_REGENERATE"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(stable(text).encode("utf-8"))
    assert stable(text) == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_whole_output(organisation: Aggregate, name: str, lang: str) -> None:
    assert_golden(f"organisation.{lang}.{SUFFIX[name]}", renderer(name)(organisation, lang, ()))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_inventory_csv_whole_output(organisation: Aggregate, lang: str) -> None:
    assert_golden(f"organisation.{lang}.inventory.csv", render_inventory(organisation, lang))


def test_every_format_names_owners_risk_classes_and_the_inventory(
    organisation: Aggregate,
) -> None:
    for name in FORMAT_NAMES:
        output = renderer(name)(organisation, "en", ())
        for owner in ("risk-office@example.org", "hr-it@example.org", "it-ops@example.org"):
            assert owner in output, (name, owner)
        for risk in ("unacceptable", "high", "limited", "minimal"):
            assert risk in output, (name, risk)
        assert "npm:@anthropic-ai/sdk" in output, name
    assert "<script>" not in renderer("html")(organisation, "en", ()).split("<script>", 1)[0]


def test_high_risk_first_and_the_shared_component_answers_who_uses_it(
    organisation: Aggregate,
) -> None:
    assert [(r.name, r.risk_class) for r in organisation.rows[:5]] == [
        ("emotion-detect", "unacceptable"),
        ("fraud-alerts", "high"),
        ("hiring-screen", "high"),
        ("credit-scoring", "high"),
        ("translation", "limited"),
    ]
    inventory = {entry.id: entry for entry in organisation.inventory()}
    users = [name for name, _scope, _link in inventory["pypi:openai"].uses]
    assert len(users) == 17 and "forecasting" in users and "docs-site" not in users
    assert [n for n, *_ in inventory["npm:@anthropic-ai/sdk"].uses] == ["chat-widget", "mobile-app"]


def test_links_are_https_for_known_hosts_without_credentials_and_absent_otherwise(
    organisation: Aggregate,
) -> None:
    links = {r.name: r.link for r in organisation.rows}
    assert links["credit-scoring"] == "https://github.com/example-org/credit-scoring"
    assert links["hiring-screen"] == "https://gitlab.com/example-org/hiring-screen"
    assert links["emotion-detect"] == "https://codeberg.org/example-org/emotion-detect"
    assert links["chat-widget"] == "https://bitbucket.org/example-org/chat-widget"
    assert links["search-ranking"] == "https://gitlab.example-org.de/platform/search-ranking"
    assert links["spam-filter"] is None  # an internal host: no guess at its web page
    assert links["billing"] is None  # no remote
    for name in FORMAT_NAMES:
        output = renderer(name)(organisation, "en", ())
        assert "glpat-SECRET" not in output and "ci-bot" not in output


def test_the_mean_counts_repositories_with_ai_and_the_others_stand_apart(
    organisation: Aggregate,
) -> None:
    with_ai = [r.score for r in organisation.counted if r.ai_detected]
    assert len(with_ai) == 17 and len(organisation.without_ai) == 5
    assert organisation.mean_score == round(sum(with_ai) / 17)
    document = json.loads(renderer("json")(organisation, "en", ()))
    jsonschema.validate(document, json.loads(schema_text("aggregate")))
    assert document["totals"]["without_ai"] == 5
    assert document["totals"]["mean_score"] == organisation.mean_score


def test_hostile_manifest_text_is_inert_in_every_format(organisation: Aggregate) -> None:
    row = next(r for r in organisation.rows if r.name == "meeting-notes")
    assert row.owner == row.system_name == HOSTILE
    html = renderer("html")(organisation, "en", ())
    assert HOSTILE not in html and "&lt;script&gt;alert(&#34;owner&#34;)&lt;/script&gt;" in html
    markdown = renderer("markdown")(organisation, "en", ())
    assert "<script>" not in markdown and "<img" not in markdown
    rows = list(csv.reader(io.StringIO(renderer("csv")(organisation, "en", ()), newline="")))
    header = rows[0]
    owners = [r[header.index("owner")] for r in rows[1:]]
    assert HOSTILE in owners  # CSV keeps the text exactly; it is data, not markup
