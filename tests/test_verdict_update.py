"""``kigate init --update``: adds what is missing, keeps every other byte, writes atomically."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from tests.conftest import MakeRepo, complete_manifest, example_files, git

HAND_EDITED = complete_manifest().replace(
    "[aspects.values]", "# Our answers, reviewed by the AI board.\n[aspects.values]   # keep me"
)


def inserted_only(before: str, after: str) -> list[str]:
    """The lines ``after`` adds; fails if any line of ``before`` changed or went."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(True), b=after.splitlines(True))
    added = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        assert op in ("equal", "insert"), (op, before.splitlines()[a1:a2])
        if op == "insert":
            added += after.splitlines()[b1:b2]
    return added


def repo_with(make_repo: MakeRepo, manifest: str, requirements: str) -> Path:
    files = example_files("complete")
    files["ai-values.toml"] = manifest
    files["requirements.txt"] = requirements
    return make_repo(files)


def test_new_component_is_appended_and_every_other_byte_kept(make_repo: MakeRepo, run_cli) -> None:
    repo = repo_with(make_repo, HAND_EDITED, "openai\nanthropic\n")
    before = (repo / "ai-values.toml").read_bytes()
    result = run_cli("init", str(repo), "--update")
    assert result.exit_code == 0, result.output
    assert result.output == f"{repo / 'ai-values.toml'}: added 1 component(s) and 0 aspect(s).\n"
    after = (repo / "ai-values.toml").read_bytes()
    added = inserted_only(before.decode(), after.decode())
    assert [line for line in added if line] == [
        "[[components]]",
        'id = "pypi:anthropic"',
        'purpose = "TODO" # llm-api, product: requirements.txt',
    ]
    # removing exactly the added lines gives back the original bytes
    kept = after.decode().replace("\n".join(added) + "\n", "", 1)
    assert kept.encode() == before
    again = run_cli("init", str(repo), "--update")
    assert again.exit_code == 0
    assert "is up to date: nothing to add" in again.output
    assert (repo / "ai-values.toml").read_bytes() == after
    checked = run_cli("check", str(repo))
    assert "KG112 error component 'pypi:anthropic': 'purpose' is a placeholder" in checked.output


def test_missing_aspect_is_added_and_dry_run_prints_a_diff_only(
    make_repo: MakeRepo, run_cli
) -> None:
    text = HAND_EDITED
    start, end = text.index("[aspects.participation]"), text.index("[aspects.transparency]")
    repo = repo_with(make_repo, text[:start] + text[end:], "openai\n")
    before = (repo / "ai-values.toml").read_bytes()
    dry = run_cli("init", str(repo), "--update", "--dry-run", "--lang", "de")
    assert dry.exit_code == 0
    assert (repo / "ai-values.toml").read_bytes() == before
    assert dry.output.startswith("--- a/ai-values.toml\n+++ b/ai-values.toml\n@@ ")
    assert "+[aspects.participation]\n" in dry.output
    assert "+# Teilhabe ermöglichen — " in dry.output
    assert '+statement = "TODO"\n' in dry.output
    assert all(not line.startswith("-") for line in dry.output.splitlines()[2:])
    assert run_cli("init", str(repo), "--update").exit_code == 0
    inserted_only(before.decode(), (repo / "ai-values.toml").read_text("utf-8"))
    assert "KG112 error aspect 'participation'" in run_cli("check", str(repo)).output


def test_refuses_a_symlinked_manifest(make_repo: MakeRepo, run_cli, tmp_path: Path) -> None:
    repo = repo_with(make_repo, HAND_EDITED, "openai\nanthropic\n")
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(HAND_EDITED, "utf-8")
    (repo / "ai-values.toml").unlink()
    os.symlink(elsewhere, repo / "ai-values.toml")
    result = run_cli("init", str(repo), "--update")
    assert result.exit_code == 2
    assert "is a symbolic link; kigate does not write through links" in result.output
    assert elsewhere.read_text("utf-8") == HAND_EDITED


def test_refuses_a_conflicted_or_invalid_manifest_and_changes_nothing(
    make_repo: MakeRepo, run_cli
) -> None:
    conflicted = HAND_EDITED.replace(
        "[aspects.values]", "<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> other\n[aspects.values]"
    )
    repo = repo_with(make_repo, conflicted, "openai\nanthropic\n")
    result = run_cli("init", str(repo), "--update")
    assert result.exit_code == 2
    assert "contains merge conflict markers; resolve them before 'init --update'" in result.output
    assert (repo / "ai-values.toml").read_text("utf-8") == conflicted
    (repo / "ai-values.toml").write_text("kigate = 1\n[system\n", "utf-8")
    broken = run_cli("init", str(repo), "--update")
    assert broken.exit_code == 2
    assert "is not a valid manifest (line 2)" in broken.output
    assert (repo / "ai-values.toml").read_text("utf-8") == "kigate = 1\n[system\n"
    assert len(broken.output.strip().splitlines()) == 1


def test_update_needs_a_manifest_and_excludes_force(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo({"requirements.txt": "openai\n"})
    missing = run_cli("init", str(repo), "--update")
    assert missing.exit_code == 2
    assert "does not exist; run 'kigate init' first" in missing.output
    assert run_cli("init", str(repo), "--update", "--force").exit_code == 2
    assert run_cli("init", str(repo), "--dry-run").exit_code == 2
    assert not (repo / "ai-values.toml").exists()


def test_update_writes_nothing_else_in_the_repository(make_repo: MakeRepo, run_cli) -> None:
    repo = repo_with(make_repo, HAND_EDITED, "openai\nanthropic\n")
    assert run_cli("init", str(repo), "--update").exit_code == 0
    changed = git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert changed == [" M ai-values.toml"]
