"""Every aggregate format, whole output, for one fixed organisation (no git, no clock)."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from kigate.aggregate import render_csv, render_json, render_markdown, text
from kigate.aggregate.model import (
    Aggregate,
    AspectColumn,
    ComponentRef,
    Duplicate,
    ErrorRow,
    FindingRow,
    RepoRow,
)
from kigate.aggregate.render import FORMAT_NAMES, renderer
from kigate.cli.aggregate import FORMATS
from kigate.cli.schema import schema_text
from kigate.model import Text

ASPECTS = (
    AspectColumn("values", Text("Define values", "Werte definieren")),
    AspectColumn("risks", Text("Weigh opportunities and risks", "Chancen und Risiken abwägen")),
)
NASTY = 'a,"b"\n<script>alert(1)</script>'


def row(name: str, score: int, statuses: tuple[str, ...], **changes: object) -> RepoRow:
    values: dict[str, object] = {
        "source": name,
        "kind": "repository",
        "name": name,
        "repository": name,
        "branch": "main",
        "commit": "a" * 40,
        "generated_at": "2026-05-01T10:00:00Z",
        "policy_id": "demokratische-ki",
        "ai_detected": bool(statuses),
        "components": len(statuses),
        "manifests": 1 if statuses else 0,
        "errors": 0,
        "warnings": 0,
        "notes": 0,
        "aspects_total": len(statuses),
        "aspects_covered": sum(1 for s in statuses if s in ("covered", "not_applicable")),
        "score": score,
        "aspects": tuple(zip(("values", "risks"), statuses, strict=False)),
        "last_reviewed": "2026-01-15" if statuses else None,
        "overdue": False,
        "findings": (),
        "findings_total": 0,
    }
    values.update(changes)
    return RepoRow(**values)  # type: ignore[arg-type]


FINDING = FindingRow("KG110", "error", "aspect 'risks' is missing", "ai-values.toml", 3, False)
AGGREGATE = Aggregate(
    tool_version="9.9.9",
    generated_at="2026-05-01T10:00:00Z",
    aspects=ASPECTS,
    rows=(
        row("shop", 25, ("partial", "missing"), errors=1, warnings=2, overdue=True,
            last_reviewed="2024-03-01", findings=(FINDING,), findings_total=1,
            system_name="Shop assistant", owner="shop@example.org", risk_class="limited",
            policy_version="2026.1", link="https://github.com/org/shop",
            component_refs=(ComponentRef("pypi:openai", "llm-api", "product"),
                            ComponentRef("pypi:torch", "ml-framework", "development"))),
        row(NASTY, 100, ("covered", "not_applicable"), source="r.json", kind="report",
            branch="=1+2", system_name=NASTY, owner="=HYPERLINK()", risk_class="high",
            component_refs=(ComponentRef("pypi:openai", "llm-api", "product"),)),
        row("old", 100, ("covered", "not_applicable"), source="old.json", kind="report"),
        row("site", 100, ()),
    ),
    errors=(ErrorRow("broken.json", "report", Text("not JSON", "kein JSON")),),
    duplicates=(Duplicate("old.json", "r.json"),),
)  # fmt: skip


def test_table() -> None:
    assert text.render(AGGREGATE, "en") == (
        'REPOSITORY                        SYSTEM                            OWNER             RISK        AI   MANIFEST  ASPECTS  ERRORS  WARNINGS  REVIEWED    SCORE  POLICY                   COMMIT        BRANCH  LINK                         SOURCE\n'  # noqa: E501
        'shop                              Shop assistant                    shop@example.org  limited     yes  yes       0/2      1       2         2024-03-01  25     demokratische-ki 2026.1  aaaaaaaaaaaa  main    https://github.com/org/shop  shop\n'  # noqa: E501
        'a,"b"\\n<script>alert(1)</script>  a,"b"\\n<script>alert(1)</script>  =HYPERLINK()      high        yes  yes       2/2      0       0         2026-01-15  100    demokratische-ki         aaaaaaaaaaaa  =1+2    -                            r.json\n'  # noqa: E501
        'old                               -                                 -                 not stated  yes  yes       2/2      0       0         2026-01-15  100    demokratische-ki         aaaaaaaaaaaa  main    -                            old.json\n'  # noqa: E501
        'site                              -                                 -                 not stated  no   no        0/0      0       0         -           100    demokratische-ki         aaaaaaaaaaaa  main    -                            site\n'  # noqa: E501
        '\n'
        'broken.json: error: not JSON\n'
        'old.json: same repository and commit as r.json; the newer report counts\n'
        '\n'
        'AI components and the repositories that use them\n'
        '  pypi:openai (llm-api): a,"b"\\n<script>alert(1)</script> (product), shop (product)\n'
        '  pypi:torch (ml-framework): shop (development)\n'
        '\n'
        '3 repositories: 2 use AI, 1 without AI, 2 with a manifest, 0 with AI but without a manifest, 1 with an overdue review; mean score 62 (of the repositories that use AI); 1 duplicate report not counted; 1 source could not be read\n'  # noqa: E501
    )  # fmt: skip


def test_table_in_german() -> None:
    lines = text.render(AGGREGATE, "de").splitlines()
    assert lines[0].split() == [
        "REPOSITORY", "SYSTEM", "VERANTWORTLICH", "RISIKO", "KI", "MANIFEST", "ASPEKTE",
        "FEHLER", "WARNUNGEN", "ÜBERPRÜFT", "PUNKTE", "RICHTLINIE", "COMMIT", "BRANCH", "LINK",
        "QUELLE",
    ]  # fmt: skip
    assert lines[1].split()[:4] == ["shop", "Shop", "assistant", "shop@example.org"]
    assert "  pypi:torch (ml-framework): shop (Entwicklung)" in lines
    assert lines[-1] == (
        "3 Repositories: 2 nutzen KI, 1 ohne KI, 2 mit Manifest, 0 mit KI, aber ohne Manifest, "
        "1 mit überfälliger Überprüfung; mittlere Punktzahl 62 (der Repositories, die KI "
        "nutzen); 1 doppelter Bericht nicht gezählt; 1 Quelle konnte nicht gelesen werden"
    )


def test_csv_is_rfc4180_and_inert() -> None:
    output = render_csv.render(AGGREGATE, "en")
    assert output.count("\r\n") == 6 and "\n" not in output.replace("\r\n", "").replace(
        "\\n", ""
    ).replace('"\n<script>', "")
    rows = list(csv.reader(io.StringIO(output, newline="")))
    assert rows[0] == [*render_csv.COLUMNS, "aspect:values", "aspect:risks"]
    assert rows[1] == [
        "shop", "repository", "ok", "", "shop", "shop", "Shop assistant", "shop@example.org",
        "limited", "https://github.com/org/shop", "main", "a" * 40, "demokratische-ki", "2026.1",
        "true", "1", "0", "2", "1", "2", "0", "2024-03-01", "true", "25", "",
        "pypi:openai (llm-api, product); pypi:torch (ml-framework, development)",
        "partial", "missing",
    ]  # fmt: skip
    assert rows[2][5] == rows[2][6] == NASTY  # intact, quotes and newline included
    assert rows[2][7] == "'=HYPERLINK()"  # a formula becomes text
    assert rows[2][10] == "'=1+2"
    assert rows[3][24] == "r.json"  # duplicate_of
    assert rows[5] == ["broken.json", "report", "error", "not JSON", *[""] * 24]


def test_inventory_csv_lists_each_component_per_repository() -> None:
    output = render_csv.render_inventory(AGGREGATE, "en")
    assert list(csv.reader(io.StringIO(output, newline=""))) == [
        ["component", "category", "scope", "repository", "link"],
        ["pypi:openai", "llm-api", "product", NASTY, ""],
        ["pypi:openai", "llm-api", "product", "shop", "https://github.com/org/shop"],
        ["pypi:torch", "ml-framework", "development", "shop", "https://github.com/org/shop"],
    ]


def test_json_follows_the_shipped_schema() -> None:
    document = json.loads(render_json.render(AGGREGATE, "de"))
    jsonschema.validate(document, json.loads(schema_text("aggregate")))
    assert document["format_version"] == 2
    assert document["totals"] == {
        "ai_detected": 2, "coverage_percent": 50, "duplicates": 1, "errors": 1,
        "mean_score": 62, "repositories": 3, "review_overdue": 1, "unreadable_sources": 1,
        "warnings": 2, "with_manifest": 2, "without_ai": 1, "without_manifest": 0,
    }  # fmt: skip
    shop = document["repositories"][0]
    assert {k: shop[k] for k in ("system_name", "owner", "risk_class", "link", "policy_version")}
    assert (shop["owner"], shop["risk_class"], shop["link"]) == (
        "shop@example.org", "limited", "https://github.com/org/shop",
    )  # fmt: skip
    assert shop["component_list"] == [
        {"category": "llm-api", "id": "pypi:openai", "scope": "product"},
        {"category": "ml-framework", "id": "pypi:torch", "scope": "development"},
    ]
    assert document["inventory"] == [
        {"category": "llm-api", "id": "pypi:openai", "repositories": [
            {"link": None, "name": NASTY, "scope": "product"},
            {"link": "https://github.com/org/shop", "name": "shop", "scope": "product"}]},
        {"category": "ml-framework", "id": "pypi:torch", "repositories": [
            {"link": "https://github.com/org/shop", "name": "shop", "scope": "development"}]},
    ]  # fmt: skip
    assert document["aspects"] == [
        {"id": "values", "title": "Werte definieren", "repositories": 2, "coverage_percent": 100,
         "covered": 1, "missing": 0, "not_applicable": 0, "partial": 1},
        {"id": "risks", "title": "Chancen und Risiken abwägen", "repositories": 2,
         "coverage_percent": 50, "covered": 0, "missing": 1, "not_applicable": 1, "partial": 0},
    ]  # fmt: skip
    assert document["errors"] == [
        {"kind": "report", "reason": "kein JSON", "source": "broken.json"}
    ]
    assert list(document)[:3] == ["format", "format_version", "tool_version"]


def test_markdown_escapes_tables_and_markup() -> None:
    assert render_markdown.render(AGGREGATE, "en") == (
        '# AI governance overview\n'
        '\n'
        '3 repositories: 2 use AI, 1 without AI, 2 with a manifest, 0 with AI but without a manifest, 1 with an overdue review; mean score 62 (of the repositories that use AI); 1 duplicate report not counted; 1 source could not be read\n'  # noqa: E501
        '\n'
        '| REPOSITORY | SYSTEM | OWNER | RISK | AI | MANIFEST | ASPECTS | ERRORS | WARNINGS | REVIEWED | SCORE | POLICY | COMMIT | BRANCH | COMPONENTS | SOURCE |\n'  # noqa: E501
        '|---|---|---|---|:-:|:-:|--:|--:|--:|:-:|--:|---|---|---|---|---|\n'
        '| [shop](<https://github.com/org/shop>) | Shop assistant | shop@example.org | limited | yes | yes | 0/2 | 1 | 2 | 2024-03-01 | 25 | demokratische-ki 2026.1 | `aaaaaaaaaaaa` | main | `pypi:openai`, `pypi:torch` | shop |\n'  # noqa: E501
        '| a,"b" &lt;script&gt;alert(1)&lt;/script&gt; | a,"b" &lt;script&gt;alert(1)&lt;/script&gt; | =HYPERLINK() | high | yes | yes | 2/2 | 0 | 0 | 2026-01-15 | 100 | demokratische-ki | `aaaaaaaaaaaa` | =1+2 | `pypi:openai` | r.json |\n'  # noqa: E501
        '| old | – | – | not stated | yes | yes | 2/2 | 0 | 0 | 2026-01-15 | 100 | demokratische-ki | `aaaaaaaaaaaa` | main | – | old.json |\n'  # noqa: E501
        '| site | – | – | not stated | no | no | 0/0 | 0 | 0 | – | 100 | demokratische-ki | `aaaaaaaaaaaa` | main | – | site |\n'  # noqa: E501
        '\n'
        '## Weakest aspects across the organisation\n'
        '\n'
        '- Weigh opportunities and risks (`risks`): 1 of 2 repositories cover it (50 %)\n'
        '- Define values (`values`): 2 of 2 repositories cover it (100 %)\n'
        '\n'
        '## Overdue reviews\n'
        '\n'
        'shop\n'
        '\n'
        '## Repositories without AI (not in the mean score)\n'
        '\n'
        'site\n'
        '\n'
        '## AI components and the repositories that use them\n'
        '\n'
        '| Component | Category | Used in |\n'
        '|---|---|---|\n'
        '| `pypi:openai` | llm-api | a,"b" &lt;script&gt;alert(1)&lt;/script&gt; (product), shop (product) |\n'  # noqa: E501
        '| `pypi:torch` | ml-framework | shop (development) |\n'
        '\n'
        '## Sources that could not be read\n'
        '\n'
        '- broken.json: not JSON\n'
    )  # fmt: skip


def test_html_escapes_every_text_and_carries_no_external_reference() -> None:
    html = renderer("html")(AGGREGATE, "en", ())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 1
    # a repository's link is navigation the reader chooses, never an asset the page loads
    link = 'href="https://github.com/org/shop" rel="noopener noreferrer">shop</a>'
    assert html.count(link) == 3  # the repository row, and twice in the component inventory
    for external in ("http://", "https://", "src=", "@import", "url("):
        body = html.split('content="default-src')[1].split(">", 1)[1].replace(link, "")
        assert external not in body
    assert '<html lang="en">' in html
    german = renderer("html")(AGGREGATE, "de", ())
    assert '<html lang="de">' in german and "Schwächste Aspekte in der Organisation" in german


def test_every_format_choice_is_wired() -> None:
    assert FORMATS == FORMAT_NAMES
    for name in FORMAT_NAMES:
        assert renderer(name)(AGGREGATE, "en", ())


@pytest.mark.parametrize("lang", ["en", "de"])
def test_empty_organisation(lang: str) -> None:
    empty = Aggregate("9.9.9", "2026-05-01T10:00:00Z", (), (), ())
    for name in FORMAT_NAMES:
        assert renderer(name)(empty, lang, ())
    assert text.render(empty, "en").splitlines()[-1] == (
        "0 repositories: 0 use AI, 0 without AI, 0 with a manifest, 0 with AI but without a "
        "manifest, 0 with an overdue review; mean score - (of the repositories that use AI)"
    )
