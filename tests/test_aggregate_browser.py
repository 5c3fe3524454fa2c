"""The HTML dashboard in real headless Chromium (Debian's ``chromium``, driven by playwright).

In CI (``CI=true``) a missing browser fails the test; locally it is skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import complete_manifest, example_files, git

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCRIPT = "<script>alert(1)</script>"
IMG_NAME = '"><img src=x onerror=alert(2)>'
SVG_BRANCH = "<svg/onload=alert(3)>"

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must install it (see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        yield chromium
        chromium.close()


def evil_manifest() -> str:
    manifest = complete_manifest()
    manifest = manifest.replace(
        'evidence = ["docs/ai/risk-assessment.md"]',
        f'evidence = ["docs/ai/risk-assessment.md", "{SCRIPT}"]',
        1,
    )
    escaped = IMG_NAME.replace('"', '\\"')
    return manifest + f'\n[[components]]\nid = "pypi:{escaped}"\npurpose = "{SCRIPT}"\n'


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from kigate.cli import cli
    from tests.conftest import write_files

    base = tmp_path_factory.mktemp("org")
    repos = []
    for name, files in (
        (IMG_NAME, {**example_files("complete"), "ai-values.toml": evil_manifest()}),
        ("incomplete", example_files("incomplete")),
        ("no-ai", example_files("no-ai")),
    ):
        root = base / name
        root.mkdir()
        write_files(root, files)
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
        repos.append(str(root))
    git(base / IMG_NAME, "checkout", "-q", "-b", SVG_BRANCH)
    target = base / "dashboard.html"
    result = CliRunner().invoke(
        cli,
        ["aggregate", *repos, "--db", str(base / "h.db"), "--format", "html", "--output",
         str(target), "--lang", "en"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def page(browser: Any, dashboard: Path) -> Iterator[tuple[Any, list[str]]]:
    dialogs: list[str] = []
    context = browser.new_context(java_script_enabled=True, offline=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(dashboard.as_uri())
    yield page, dialogs
    context.close()


def test_heatmap_and_totals_are_shown(page: tuple[Any, list[str]]) -> None:
    view, _dialogs = page
    assert view.title() == "AI governance overview"
    heat_rows = view.locator("#heatmap tbody tr")
    assert heat_rows.count() == 2  # the repository without AI answers no aspect
    names = [heat_rows.nth(i).locator("th").inner_text() for i in range(2)]
    assert names == [IMG_NAME, "incomplete"]  # the limited-risk system first
    classes = (
        view.locator("#heatmap tbody tr")
        .nth(1)
        .locator("td")
        .evaluate_all("cells => cells.map(c => c.className)")
    )
    assert classes == [
        "cell s-missing", "cell s-partial", "cell s-missing", "cell s-partial",
        "cell s-missing", "cell s-partial", "cell s-partial", "cell s-missing",
    ]  # fmt: skip
    totals = view.locator("#totals").evaluate(
        "dl => Object.fromEntries([...dl.children].map("
        "d => [d.dataset.total, d.querySelector('dd').textContent]))"
    )
    assert totals == {
        "repositories": "3", "with_ai": "2", "without_ai": "1", "with_manifest": "2",
        "without_manifest": "0", "overdue": "1", "errors": "4", "warnings": "8",
        "coverage": "75 %", "mean_score": "60", "unreadable": "0",
    }  # fmt: skip
    assert view.locator("#trend circle").count() == 2  # coverage and mean score, one run


def test_a_click_reveals_a_repositorys_findings(page: tuple[Any, list[str]]) -> None:
    view, _dialogs = page
    row = view.locator("#repositories tr.repo", has_text="incomplete")
    button = row.locator("button")
    details = view.locator("#" + button.get_attribute("aria-controls"))
    assert not details.is_visible()
    button.click()
    assert details.is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    items = details.locator("li").all_inner_texts()
    assert items[0] == (
        "ai-values.toml:6 KG130 warning last review on 2024-03-01 was " + items[0].split(" was ")[1]
    )
    assert [item.split(" ")[1] for item in items] == [
        "KG130", "KG110", "KG112", "KG116", "KG120", "KG113", "KG116", "KG115", "KG115",
        "KG111", "KG140",
    ]  # fmt: skip
    button.click()
    assert not details.is_visible()


def test_markup_in_names_manifests_and_branches_is_text_never_code(
    page: tuple[Any, list[str]],
) -> None:
    view, dialogs = page
    for button in view.locator("#repositories button").all():
        button.click()
    body = view.locator("body").inner_text()
    assert SCRIPT in body
    assert IMG_NAME in body
    assert SVG_BRANCH in body
    counts = view.evaluate(
        "() => ({img: document.images.length, script: document.scripts.length,"
        " svg: document.querySelectorAll('svg').length,"
        " handlers: document.querySelectorAll('[onerror],[onload]').length})"
    )
    # the svgs are the trend charts: all aspects, and one per aspect
    assert counts == {"img": 0, "script": 1, "svg": 9, "handlers": 0}
    view.wait_for_timeout(200)  # give any injected handler the chance to fire
    assert dialogs == []
