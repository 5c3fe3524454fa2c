"""``kigate init --docs``: evidence templates that count as empty until they are answered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kigate import doctemplates, policy
from tests.conftest import MakeRepo, complete_manifest
from tests.signoff_support import RunCli

VALUES_EN = """\
<!-- kigate-template: values — template written by kigate init --docs; it counts as empty \
evidence until you answer the questions -->
# Define values

Which values the use of AI has to serve, and who agreed on them.

## Which values should this use of AI serve, and which must it never violate?

_(Your answer: replace this line.)_

## Who set these values, and were staff involved in setting them?

_(Your answer: replace this line.)_

## How would you notice in daily work that the AI contradicts these values?

_(Your answer: replace this line.)_

## Evidence and links

_(Your answer: replace this line.)_
"""


def test_init_docs_writes_one_template_per_aspect_and_links_them(
    make_repo: MakeRepo, run_cli: RunCli
) -> None:
    root = make_repo({"requirements.txt": "openai\n"}, commit=False)
    result = run_cli("init", "--docs", "--lang", "en", str(root))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "8 evidence templates written to docs/ai/ (0 existing kept)."
    )
    names = sorted(p.name for p in (root / "docs" / "ai").iterdir())
    aspects = [a.id for a in policy.load().aspects]
    assert names == sorted(f"{a}.md" for a in aspects)
    assert (root / "docs/ai/values.md").read_text(encoding="utf-8") == VALUES_EN
    manifest = (root / "ai-values.toml").read_text(encoding="utf-8")
    for aspect in aspects:
        assert f'evidence = ["docs/ai/{aspect}.md"]' in manifest


def test_german_templates(make_repo: MakeRepo, run_cli: RunCli) -> None:
    root = make_repo({"requirements.txt": "openai\n"}, commit=False)
    assert run_cli("init", "--docs", "--lang", "de", str(root)).exit_code == 0
    text = (root / "docs/ai/competencies.md").read_text(encoding="utf-8")
    assert text.splitlines()[1:3] == ["# Kompetenzen aufbauen", ""]
    assert "_(Deine Antwort: ersetze diese Zeile.)_" in text
    assert doctemplates.is_unedited_template(text, policy.load())


def aspects_of(run_cli: RunCli, root: Path) -> dict[str, str]:
    doc = json.loads(run_cli("check", "--format", "json", str(root)).stdout)
    return {a["id"]: a["status"] for a in doc["aspects"]}


def test_an_unedited_template_moves_no_aspect_forward(make_repo: MakeRepo, run_cli: RunCli) -> None:
    manifest = complete_manifest().replace(
        'evidence = ["docs/ai/risk-assessment.md"]', 'evidence = ["docs/ai/risks.md"]'
    )
    root = make_repo({"ai-values.toml": manifest, "requirements.txt": "openai\n"})
    assert run_cli("init", "--docs", "--lang", "en", str(root)).exit_code == 0
    assert (root / "ai-values.toml").read_text(encoding="utf-8") == manifest  # kept
    assert aspects_of(run_cli, root)["risks"] == "partial"
    result = run_cli("check", str(root))
    assert (
        "ai-values.toml:22: KG117 warning aspect 'risks': evidence 'docs/ai/risks.md' is an "
        "unedited kigate template; answer its questions, or it counts as empty evidence"
    ) in result.output.splitlines()
    doc = root / "docs/ai/risks.md"
    answered = doc.read_text(encoding="utf-8").replace(
        "_(Your answer: replace this line.)_",
        "The assistant drafts replies; wrong facts are caught by the agent who sends them.",
        1,
    )
    doc.write_text(answered, encoding="utf-8")
    assert aspects_of(run_cli, root)["risks"] == "covered"


def test_existing_templates_are_kept_unless_forced(make_repo: MakeRepo, run_cli: RunCli) -> None:
    root = make_repo({"requirements.txt": "openai\n"}, commit=False)
    assert run_cli("init", "--docs", str(root)).exit_code == 0
    mine = root / "docs/ai/values.md"
    mine.write_text("# Our values\n\nRespect and honesty.\n", encoding="utf-8")
    again = run_cli("init", "--docs", str(root))
    assert again.exit_code == 0
    assert again.output.splitlines() == [
        "0 evidence templates written to docs/ai/ (8 existing kept).",
        f"{root / 'ai-values.toml'} was kept: name each template as evidence of its aspect, "
        'e.g. evidence = ["docs/ai/values.md"].',
    ]
    assert mine.read_text(encoding="utf-8") == "# Our values\n\nRespect and honesty.\n"
    assert run_cli("init", "--docs", "--force", str(root)).exit_code == 0
    assert doctemplates.is_unedited_template(mine.read_bytes(), policy.load())


def test_a_linked_docs_folder_is_refused(
    make_repo: MakeRepo, run_cli: RunCli, tmp_path: Path
) -> None:
    root = make_repo({"requirements.txt": "openai\n"}, commit=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "ai").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("init", "--docs", str(root))
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"kigate: {root / 'docs' / 'ai'} is a link or not a folder; kigate writes evidence "
        "templates only into a real docs/ai folder"
    )
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("lang", ["en", "de"])
def test_template_recognition(lang: str) -> None:
    default = policy.load()
    for aspect in default.aspects:
        text = doctemplates.render(aspect, lang)
        assert doctemplates.is_unedited_template(text, default)
        assert doctemplates.is_unedited_template(text)  # the marker alone is enough
        without_marker = "\n".join(text.splitlines()[1:])
        assert doctemplates.is_unedited_template(without_marker, default)
        assert not doctemplates.is_unedited_template(without_marker)
        answered = text + "\nWe train every new colleague before first use.\n"
        assert not doctemplates.is_unedited_template(answered, default)


def test_what_is_not_a_template() -> None:
    default = policy.load()
    assert not doctemplates.is_unedited_template(b"\xff\xfe", default)
    assert not doctemplates.is_unedited_template(None, default)
    assert not doctemplates.is_unedited_template("# Values\n\n## Who?\n", default)
    assert not doctemplates.is_unedited_template("Plain notes about our values.\n", default)
