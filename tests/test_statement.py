"""``kigate statement``: the manifest as a public values statement and a README badge."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kigate import __version__
from tests.conftest import TODAY, MakeRepo, complete_manifest, example_files

GOLDEN = Path(__file__).parent / "data" / "statement"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> [click](javascript:alert(2)) # heading | pipe"


def stable(text: str) -> str:
    text = text.replace(TODAY.isoformat(), "YYYY-MM-DD").replace(TODAY.isoformat()[:7], "YYYY-MM")
    return text.replace(f"kigate {__version__}", "kigate X.Y.Z")


def assert_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("KIGATE_REGENERATE"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(stable(text).encode("utf-8"))
    assert stable(text) == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(("format_name", "suffix"), [("markdown", "md"), ("html", "html")])
def test_a_complete_manifest_whole_statement_and_badge(
    make_repo: MakeRepo, tmp_path: Path, run_cli, lang: str, format_name: str, suffix: str
) -> None:
    repo = make_repo(example_files("complete"))
    badge = tmp_path / "badge.svg"
    result = run_cli(
        "statement", str(repo), "--format", format_name, "--lang", lang, "--badge", str(badge)
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert_golden(f"complete.{lang}.{suffix}", result.stdout)
    assert_golden(f"badge.{lang}.svg", badge.read_text("utf-8"))


def test_the_badge_is_valid_deterministic_svg(make_repo: MakeRepo, tmp_path: Path, run_cli):
    repo = make_repo(example_files("complete"))
    outputs = []
    for name in ("one.svg", "two.svg"):
        target = tmp_path / name
        assert run_cli("statement", str(repo), "--badge", str(target)).exit_code == 0
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    root = ET.fromstring(outputs[0])
    assert root.tag == f"{SVG}svg"
    width, height = int(root.attrib["width"]), int(root.attrib["height"])
    assert root.attrib["viewBox"] == f"0 0 {width} {height}"
    label = f"AI values · 8/8 · reviewed {TODAY.isoformat()[:7]}"
    assert root.attrib["aria-label"] == label
    assert root.find(f"{SVG}title").text == label  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["AI values", f"8/8 · reviewed {TODAY.isoformat()[:7]}"]


def test_an_unanswered_aspect_refuses_and_writes_nothing(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    repo = make_repo(example_files("incomplete"))
    page, badge = tmp_path / "page.html", tmp_path / "badge.svg"
    result = run_cli(
        "statement", str(repo), "--format", "html", "--output", str(page), "--badge", str(badge)
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "kigate: 4 of 8 aspects are not answered yet (values, non_discrimination, "
        "participation, commitment); answer them in ai-values.toml, or pass --draft to "
        "publish a page marked as a draft\n"
    )
    assert not page.exists() and not badge.exists()
    german = run_cli("statement", str(repo), "--lang", "de")
    assert german.exit_code == 1
    assert german.stderr.startswith("kigate: 4 von 8 Aspekten sind noch nicht beantwortet")


def test_a_draft_is_marked_as_one(make_repo: MakeRepo, tmp_path: Path, run_cli) -> None:
    repo = make_repo(example_files("incomplete"))
    badge = tmp_path / "badge.svg"
    result = run_cli("statement", str(repo), "--draft", "--badge", str(badge))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "# AI values statement: Invoice classifier",
        "",
        "> **Draft**: not every aspect is answered yet; this page is not a finished statement.",
    ]
    assert "| Aspects answered | 4 of 8 |" in lines
    # a placeholder is not an answer: shown as written, never as done
    assert "### Define values: not answered yet" in lines
    assert "TODO" in result.stdout
    assert "### Weigh opportunities and risks: in progress" in lines
    assert "### Enable participation: not answered yet" in lines
    assert "AI values · 4/8 · reviewed 2024-03" in badge.read_text("utf-8")
    html = run_cli("statement", str(repo), "--draft", "--format", "html", "--lang", "de")
    assert '<p class="draft" id="draft"><strong>Entwurf</strong>' in html.stdout
    complete = make_repo(example_files("complete"))
    assert "**Draft**" not in run_cli("statement", str(complete), "--draft").stdout


def test_due_dates_purposes_and_components_in_plain_words(make_repo: MakeRepo, run_cli) -> None:
    manifest = complete_manifest().replace(
        '[aspects.sustainability]\nstatus = "implemented"',
        '[aspects.sustainability]\nstatus = "planned"\ndue = 2027-03-31',
    )
    manifest += '\n[[components]]\nid = "pypi:chromadb"\npurpose = "Find similar past replies"\n'
    repo = make_repo({**example_files("complete"), "ai-values.toml": manifest})
    result = run_cli("statement", str(repo))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "### Consider ecological sustainability: planned" in lines
    assert "- Due: 2027-03-31" in lines
    assert (
        "- **openai** (`pypi:openai`): a large language model that its provider runs as an "
        "online service, used in the product. Purpose: Draft the reply text from the "
        "customer's e-mail"
    ) in lines
    assert (
        "- **chromadb** (`pypi:chromadb`): an AI component, used in the product. "
        "Purpose: Find similar past replies"
    ) in lines


def test_hostile_manifest_text_is_escaped(make_repo: MakeRepo, run_cli) -> None:
    escaped = HOSTILE.replace('"', '\\"')
    manifest = (
        complete_manifest()
        .replace('name = "Support assistant"', f'name = "{escaped}"', 1)
        .replace('owner = "ai-board@example.org"\nlast', f'owner = "{escaped}"\nlast', 1)
        .replace("Replies must be respectful", f"{escaped} Replies must be respectful", 1)
    )
    repo = make_repo({**example_files("complete"), "ai-values.toml": manifest})
    markdown = run_cli("statement", str(repo)).stdout
    assert "<script>" not in markdown and "[click](" not in markdown
    assert markdown.splitlines()[0] == (
        "# AI values statement: &lt;script&gt;alert(1)&lt;/script&gt; "
        "\\[click\\](javascript:alert(2)) # heading \\| pipe"
    )
    html = run_cli("statement", str(repo), "--format", "html").stdout
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") == 4  # title, heading, owner, answer


@pytest.mark.parametrize(
    ("files", "sentence"),
    [
        ({"README.md": "no manifest\n"}, "ai-values.toml: no ai-values.toml here to turn into a "
         "statement; write one with 'kigate init'"),
        ({"ai-values.toml": "kigate = [\n"}, "ai-values.toml: the manifest cannot be read as an "
         "ai-values.toml; 'kigate check' says what to mend"),
    ],
)  # fmt: skip
def test_no_or_unreadable_manifest_is_a_usage_error(
    make_repo: MakeRepo, run_cli, files: dict[str, str], sentence: str
) -> None:
    repo = make_repo(files)
    result = run_cli("statement", str(repo))
    assert result.exit_code == 2
    assert result.stderr == f"kigate: {repo / sentence}\n"


def test_a_link_named_like_the_manifest_is_not_followed(
    make_repo: MakeRepo, tmp_path: Path, run_cli
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(complete_manifest(), "utf-8")
    repo = make_repo({"README.md": "x\n"})
    (repo / "ai-values.toml").symlink_to(outside)
    result = run_cli("statement", str(repo))
    assert result.exit_code == 2
    assert "no ai-values.toml here" in result.stderr
