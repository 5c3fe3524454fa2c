"""Markdown for pull-request comments: aspect table, grouped findings, links, size limit."""

from __future__ import annotations

import re

import pytest

from kigate.formats import RenderOptions, renderer
from kigate.formats._links import web_base
from kigate.formats.markdown import LIMIT, code, inline
from kigate.model import Finding, RepoInfo, Severity, Text
from tests.conftest import MakeRepo, example_files
from tests.formats_support import COMMIT, fixed_report

GITHUB_COMMENT_LIMIT = 65_536


def render(report=None, lang: str = "en") -> str:
    return renderer("markdown")(report or fixed_report(), RenderOptions(lang=lang))


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row)[1:-1]


def test_table_has_one_row_per_aspect_with_icon_and_status() -> None:
    rows = table_rows(render())
    assert len(rows) == 2 + 4
    assert [len(cells(r)) for r in rows] == [4] * 6
    assert rows[2] == "| ✅ | Define values `values` | covered | 0 |"
    assert rows[4] == "| ❌ | Enable participation `participation` | missing | 1 |"
    assert (
        rows[5]
        == "| ⚪ | Consider ecological sustainability `sustainability` | not applicable | 0 |"
    )


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/example/shop.git", ("https://github.com/example/shop", "github")),
        ("git@github.com:example/shop.git", ("https://github.com/example/shop", "github")),
        (
            "https://tok:en@gitlab.example.org/g/shop",
            ("https://gitlab.example.org/g/shop", "gitlab"),
        ),
        ("https://git.example.org/shop.git", None),
        ("/srv/git/shop.git", None),
        (None, None),
    ],
)
def test_web_base_of_remotes(remote: str | None, expected: tuple[str, str] | None) -> None:
    assert web_base(remote) == expected


def test_links_to_the_checked_commit_on_github() -> None:
    text = render()
    assert (
        f"[`src/app dir/requirements ü.txt:2`](https://github.com/example/shop/blob/{COMMIT}/"
        "src/app%20dir/requirements%20%C3%BC.txt#L2)"
    ) in text


def test_link_free_fallback_without_a_known_host() -> None:
    report = fixed_report(repo=RepoInfo("shop", ".", True, "https://git.example.org/shop.git"))
    text = render(report)
    assert "](" not in text
    assert "- 🔴 **KG110** error · `ai-values.toml:12` · aspect 'participation' is missing" in text


def test_repository_text_cannot_inject_markup() -> None:
    evil = "<script>x</script> | [click](https://evil.example) @org/team *b* `c` $x$ &amp;"
    finding = Finding(
        "KG120", Severity.WARNING, Text.same(evil + "\nrow"), path="a|b`c.toml", line=1
    )
    text = render(fixed_report(findings=(finding,), unchecked=()))
    [item] = [line for line in text.splitlines() if "KG120" in line]
    assert "<script>" not in item
    assert "&lt;script&gt;" in item
    assert "\\[click\\]" in item
    assert "@\u2060org" in item
    assert "\\*b\\*" in item
    assert "\\`c\\`" in item
    assert "\\$x\\$" in item
    assert "&amp;amp;" in item
    assert "``a|b`c.toml:1``" in item
    assert item.endswith(" row")


def test_code_span_holds_backticks_and_table_pipes() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"
    assert code("a|b", cell=True) == "`a\\|b`"
    assert inline("a_b") == "a\\_b"


def test_large_report_is_truncated_with_a_note() -> None:
    findings = tuple(
        Finding("KG140", Severity.WARNING, Text.same(f"component {i} " + "x" * 200), "r.txt", i)
        for i in range(1, 2001)
    )
    text = render(fixed_report(findings=findings, unchecked=()))
    assert len(text) < GITHUB_COMMENT_LIMIT
    shown = sum(1 for line in text.splitlines() if line.startswith("- 🟠 **KG140**"))
    assert 100 < shown < 2000
    assert text.endswith(
        f"> {2000 - shown} more findings are not shown, to stay within GitHub's size limit for "
        "comments; run 'kigate check' for the complete list.\n"
    )
    assert len(table_rows(text)) == 6


def test_no_ai_no_table(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("no-ai"))
    result = run_cli("check", str(repo), "--format", "markdown", "--lang", "de")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "<!-- kigate-report -->\n### kigate: Prüfung der KI-Werte\n\nKeine KI-Komponenten gefunden."
    )
    assert table_rows(result.stdout) == []


def test_limit_leaves_room_for_the_note() -> None:
    assert LIMIT + 1_000 < GITHUB_COMMENT_LIMIT


def test_waived_and_introduced_are_marked() -> None:
    text = render(fixed_report())
    assert "last review on 2024-03-01 was 400 days ago (waived)" in text
    assert "does not exist (introduced by this change)" in text
