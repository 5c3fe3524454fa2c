"""The values statement and its badge in real headless Chromium: they render, in both
languages, without a console error (a blocked style would be one), and hostile manifest
text stays text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MakeRepo, complete_manifest, example_files
from tests.test_aggregate_browser import browser  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.browser
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:  # noqa: F811
    contexts: list[Any] = []

    def load(path: Path) -> tuple[Any, list[str]]:
        context = browser.new_context(offline=True, viewport={"width": 900, "height": 700})
        contexts.append(context)
        view = context.new_page()
        problems: list[str] = []
        view.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        view.on("pageerror", lambda error: problems.append(str(error)))
        view.on("dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss()))
        view.goto(path.as_uri())
        return view, problems

    yield load
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [
        ("en", "AI values statement: Support assistant", "Our answers"),
        ("de", "KI-Werteerklärung: Support assistant", "Unsere Antworten"),
    ],
)
def test_the_statement_renders_in_both_languages(
    make_repo: MakeRepo, tmp_path: Path, run_cli, open_page: Any, lang: str, title: str,
    heading: str,
) -> None:  # fmt: skip
    repo = make_repo(example_files("complete"))
    page, badge = tmp_path / "statement.html", tmp_path / "badge.svg"
    result = run_cli(
        "statement", str(repo), "--format", "html", "--lang", lang, "--output", str(page),
        "--badge", str(badge),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    view, problems = open_page(page)
    assert view.title() == title
    assert view.locator("h1").inner_text() == title
    assert heading in view.locator("h2").all_inner_texts()
    assert view.locator("section.aspect").count() == 8
    # the stylesheet applied (the CSP admitted it by its hash): statuses are coloured labels
    colour = view.locator("section.aspect .status").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(26, 127, 55)"
    shot = view.screenshot(full_page=True)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000
    assert problems == []
    badge_view, badge_problems = open_page(badge)
    box = badge_view.locator("svg").bounding_box()
    assert box is not None and box["height"] == 20 and box["width"] > 100
    assert badge_problems == []


def test_a_hostile_draft_shows_its_markup_as_text(
    make_repo: MakeRepo, tmp_path: Path, run_cli, open_page: Any
) -> None:
    manifest = complete_manifest().replace(
        'description = "Drafts replies', f'description = "{HOSTILE} Drafts replies', 1
    )
    manifest = manifest[: manifest.index("[aspects.commitment]")]
    manifest = manifest.replace("Replies must be respectful", f"{HOSTILE} Replies", 1)
    repo = make_repo({**example_files("complete"), "ai-values.toml": manifest})
    page = tmp_path / "draft.html"
    result = run_cli("statement", str(repo), "--format", "html", "--draft", "--output", str(page))
    assert result.exit_code == 0, result.output
    view, problems = open_page(page)
    assert view.locator("#draft").is_visible()
    assert HOSTILE in view.locator("p.lead").inner_text()
    assert HOSTILE in view.locator("#aspect-values .answer").inner_text()
    assert view.evaluate("() => document.images.length + document.scripts.length") == 0
    view.wait_for_timeout(200)
    assert problems == []
