"""The dashboard of a 22-repository organisation in real headless Chromium: sorting,
filters, links, trend charts and the inventory, exercised by clicks and read back from
what the page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kigate.aggregate import store
from kigate.aggregate.collect import collect
from tests.aggregate_support import HOSTILE, ORGANISATION, build_organisation
from tests.conftest import TODAY, example_files, write_files
from tests.test_aggregate_browser import browser  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.browser
NAMES = [name for name, *_rest in ORGANISATION]
GENERATED_AT = "2026-11-02T08:00:00Z"


@pytest.fixture(scope="module")
def dashboards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from click.testing import CliRunner

    from kigate.cli import cli
    from tests.conftest import git

    base = tmp_path_factory.mktemp("org")
    repos = build_organisation(base, TODAY)
    retired = base / "retired-service"
    write_files(retired, example_files("incomplete"))
    git(retired, "init", "-q")
    git(retired, "add", "-A")
    git(retired, "commit", "-q", "-m", "initial")
    db = base / "history.db"
    # two earlier runs: the first also saw a repository this run no longer names
    store.save(db, collect([*repos[:8], str(retired)], generated_at="2026-03-02T09:00:00Z"))
    store.save(db, collect(repos[:14], generated_at="2026-06-01T09:00:00Z"))
    pages = {}
    for lang in ("en", "de"):
        target = base / f"dashboard.{lang}.html"
        result = CliRunner().invoke(
            cli,
            ["aggregate", *repos, "--db", str(db), "--format", "html", "--output", str(target),
             "--lang", lang],
            catch_exceptions=False,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        pages[lang] = target
    return pages


@pytest.fixture
def page(browser: Any, dashboards: dict[str, Path]) -> Iterator[tuple[Any, list[str]]]:  # noqa: F811
    problems: list[str] = []
    context = browser.new_context(java_script_enabled=True, offline=True)
    view = context.new_page()
    view.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
    view.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    view.on("pageerror", lambda error: problems.append(str(error)))
    view.goto(dashboards["en"].as_uri())
    yield view, problems
    context.close()


def visible_names(view: Any) -> list[str]:
    return view.eval_on_selector_all(
        "#repositories tr.repo",
        "rows => rows.filter(r => !r.hidden).map(r => r.querySelector('.repo-name').textContent)",
    )


def column(view: Any, index: int) -> list[str]:
    return view.eval_on_selector_all(
        "#repositories tr.repo",
        f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{index}].textContent.trim())",
    )


def test_high_risk_systems_come_first(page: tuple[Any, list[str]]) -> None:
    view, problems = page
    assert visible_names(view)[:4] == [
        "emotion-detect", "fraud-alerts", "hiring-screen", "credit-scoring",
    ]  # fmt: skip
    assert column(view, 3)[:5] == ["unacceptable", "high", "high", "high", "limited"]
    assert problems == []


def test_a_click_on_a_heading_sorts_and_a_second_click_reverses(
    page: tuple[Any, list[str]],
) -> None:
    view, problems = page
    score = view.locator("#repositories th[data-key='score'] button")
    score.click()
    scores = [int(s) for s in column(view, 10)]
    assert scores == sorted(scores) and scores[0] == 0
    assert view.locator("#repositories th[data-key='score']").get_attribute("aria-sort") == (
        "ascending"
    )
    score.click()
    assert [int(s) for s in column(view, 10)] == sorted(scores, reverse=True)
    view.locator("#repositories th[data-key='repository'] button").click()
    assert visible_names(view) == sorted(NAMES)
    # each findings row still follows its repository
    follows = view.eval_on_selector_all(
        "#repositories tr.details",
        "rows => rows.every(d => d.previousElementSibling.querySelector("
        "'[aria-controls=\"' + d.id + '\"]') !== null)",
    )
    assert follows is True
    assert problems == []


def test_filters_by_risk_owner_component_aspect_status_and_text(
    page: tuple[Any, list[str]],
) -> None:
    view, problems = page
    view.select_option("#filter-risk", "high")
    assert visible_names(view) == ["fraud-alerts", "hiring-screen", "credit-scoring"]
    assert view.locator("#shown-count").inner_text() == "3"
    view.select_option("#filter-risk", "")
    view.select_option("#filter-owner", "it-ops@example.org")
    assert visible_names(view) == ["energy-report", "spam-filter"]
    view.select_option("#filter-owner", "")
    view.select_option("#filter-component", "npm:@anthropic-ai/sdk")
    assert visible_names(view) == ["chat-widget", "mobile-app"]
    view.select_option("#filter-component", "")
    view.select_option("#filter-aspect", "participation")
    view.select_option("#filter-status", "missing")
    assert sorted(visible_names(view)) == sorted([
        "emotion-detect", "fraud-alerts", "hiring-screen", "translation", "forecasting",
        "data-lake-tools", "invoice-ocr", "code-review-bot", "legal-drafts",
    ])  # fmt: skip
    view.select_option("#filter-risk", "high")
    assert visible_names(view) == ["fraud-alerts", "hiring-screen"]
    for select in ("#filter-risk", "#filter-aspect", "#filter-status"):
        view.select_option(select, "")
    view.fill("#filter-text", "SPAM")
    assert visible_names(view) == ["spam-filter"]
    view.fill("#filter-text", "")
    assert len(visible_names(view)) == 22
    assert problems == []


def test_repository_names_link_to_their_web_pages(page: tuple[Any, list[str]]) -> None:
    view, _problems = page
    links = view.eval_on_selector_all(
        "#repositories tr.repo td:first-child",
        "cells => Object.fromEntries(cells.map(c => [c.querySelector('.repo-name').textContent,"
        " c.querySelector('a') ? c.querySelector('a').href : null]))",
    )
    assert links["credit-scoring"] == "https://github.com/example-org/credit-scoring"
    assert links["hiring-screen"] == "https://gitlab.com/example-org/hiring-screen"
    assert links["spam-filter"] is None and links["billing"] is None
    hrefs = view.eval_on_selector_all("a", "anchors => anchors.map(a => a.href)")
    assert all(h.startswith("https://") and "@" not in h for h in hrefs)
    assert not any("SECRET" in h or "ci-bot" in h for h in hrefs)


def test_trend_charts_have_axes_dates_and_values_on_hover(page: tuple[Any, list[str]]) -> None:
    view, problems = page
    assert view.locator("svg.trend").count() == 9  # all aspects, and each of the eight
    overall = view.locator("#trend")
    assert overall.locator("text.x-tick").all_text_contents() == [
        "2026-03-02",
        "2026-06-01",
        dt.date.today().isoformat(),
    ]
    assert overall.locator("text.y-tick").all_text_contents() == ["0", "25", "50", "75", "100"]
    assert overall.locator("text.axis-title").all_text_contents() == ["Date", "Coverage % / score"]
    last = view.locator("#trend-table tbody tr").last.locator("td").all_inner_texts()
    tip = view.locator("#chart-tip")
    assert tip.is_hidden()
    today = dt.date.today().isoformat()
    overall.locator(".s-score circle").last.hover()  # the score is drawn on top
    assert tip.is_visible()
    assert tip.inner_text() == f"Mean score {today}: {last[2]}"
    view.mouse.move(0, 0)
    assert tip.is_hidden()
    overall.locator(".s-coverage circle").last.focus()  # the keyboard reaches every value
    assert tip.inner_text() == f"Coverage {today}: {last[1]}"
    participation = view.locator("#trend-participation circle")
    assert participation.count() == 3
    participation.first.focus()
    assert tip.inner_text().startswith("Enable participation 2026-03-02: ")
    assert problems == []


def test_tiles_and_trend_count_the_same_repositories(page: tuple[Any, list[str]]) -> None:
    view, _problems = page
    tiles = view.locator("#totals").evaluate(
        "dl => Object.fromEntries([...dl.children].map("
        "d => [d.dataset.total, d.querySelector('dd').textContent]))"
    )
    rows = view.locator("#trend-table tbody tr")
    first = rows.first.locator("td").all_inner_texts()
    last = rows.last.locator("td").all_inner_texts()
    assert first[4] == "8"  # the retired repository of the first run is not counted
    assert (last[1], last[2], last[3], last[4]) == (
        tiles["coverage"], tiles["mean_score"], tiles["with_ai"], tiles["repositories"],
    )  # fmt: skip
    assert tiles["repositories"] == "22" and tiles["without_ai"] == "5"


def test_the_component_inventory_is_searchable(page: tuple[Any, list[str]]) -> None:
    view, _problems = page
    rows = view.locator("#inventory tbody tr")
    assert rows.count() == 3
    view.fill("#inventory-filter", "anthropic")
    shown = view.eval_on_selector_all(
        "#inventory tbody tr",
        "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent)",
    )
    assert shown == ["npm:@anthropic-ai/sdk", "pypi:anthropic"]
    view.fill("#inventory-filter", "mobile")
    openai = view.locator("#inventory tbody tr", has_text="pypi:openai")
    assert openai.is_visible() and "mobile-app (product)" in openai.inner_text()


def test_hostile_manifest_text_is_shown_as_text(page: tuple[Any, list[str]]) -> None:
    view, problems = page
    row = view.locator("#repositories tr.repo", has_text="meeting-notes")
    assert row.locator("td").nth(1).inner_text() == HOSTILE
    assert row.locator("td").nth(2).inner_text() == HOSTILE
    view.select_option("#filter-owner", HOSTILE)
    assert visible_names(view) == ["meeting-notes"]
    counts = view.evaluate(
        "() => ({img: document.images.length, script: document.scripts.length,"
        " handlers: document.querySelectorAll('[onerror],[onload]').length})"
    )
    assert counts == {"img": 0, "script": 1, "handlers": 0}
    view.wait_for_timeout(200)
    assert problems == []


def test_the_german_dashboard(browser: Any, dashboards: dict[str, Path]) -> None:  # noqa: F811
    context = browser.new_context(offline=True)
    view = context.new_page()
    errors: list[str] = []
    view.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    view.goto(dashboards["de"].as_uri())
    assert view.title() == "Überblick KI-Governance"
    assert view.locator("#repositories th[data-key='owner']").inner_text() == "VERANTWORTLICH"
    view.select_option("#filter-risk", "high")
    assert column(view, 3) == ["hoch", "hoch", "hoch"]
    assert view.locator("#trend text.axis-title").all_text_contents() == [
        "Datum", "Abdeckung % / Punkte",
    ]  # fmt: skip
    assert errors == []
    context.close()


def test_a_large_organisation_shows_its_first_rows_until_asked_for_all(
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    from kigate.aggregate.model import Aggregate, RepoRow
    from kigate.aggregate.render_html import PAGE, render

    def row(index: int) -> RepoRow:
        return RepoRow(
            source=f"r{index}.json", kind="report", name=f"service-{index:04d}",
            repository=f"service-{index:04d}", branch="main", commit=None,
            generated_at=GENERATED_AT, policy_id="demokratische-ki", ai_detected=True,
            components=1, manifests=1, errors=0, warnings=0, notes=0, aspects_total=1,
            aspects_covered=index % 2, score=100 * (index % 2),
            aspects=(("values", "covered" if index % 2 else "missing"),),
            last_reviewed=None, overdue=False, findings=(), findings_total=0,
            risk_class="high" if index % 10 == 0 else "minimal",
        )  # fmt: skip

    rows = tuple(sorted((row(i) for i in range(PAGE + 120)), key=lambda r: r.sort_key))
    page = tmp_path / "large.html"
    page.write_text(render(Aggregate("0", GENERATED_AT, (), rows, ()), "en"), "utf-8")
    context = browser.new_context(offline=True)
    view = context.new_page()
    view.goto(page.as_uri())
    assert view.locator("#shown-count").inner_text() == str(PAGE)
    assert view.locator("#match-count").inner_text() == str(PAGE + 120)
    assert view.locator("#heatmap tbody tr").count() == PAGE
    assert view.locator("#heatmap-more").inner_text().startswith(f"The first {PAGE} of 620")
    view.select_option("#filter-risk", "high")  # filters consider every row, shown or not
    assert view.locator("#shown-count").inner_text() == "62"
    view.select_option("#filter-risk", "")
    view.locator("#show-all").click()
    assert view.locator("#shown-count").inner_text() == str(PAGE + 120)
    assert len(visible_names(view)) == PAGE + 120
    assert view.locator("#show-all").is_hidden()
    context.close()
