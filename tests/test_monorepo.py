"""A monorepo: the root's manifest and settings hold for every package, wherever kigate runs
(issue 13); a package's own manifest still covers its subtree; outside git nothing changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import MakeRepo, complete_manifest, example_files, git

RunCli = Callable[..., Result]

SETTINGS = '[tool.kigate]\nlang = "de"\nextend_exclude = ["packages/shop/generated"]\n'


def monorepo(make_repo: MakeRepo) -> Path:
    complete = example_files("complete")
    return make_repo(
        {
            "pyproject.toml": SETTINGS,
            "ai-values.toml": complete_manifest(),
            "docs/ai/risk-assessment.md": complete["docs/ai/risk-assessment.md"],
            "docs/ai/bias-tests.md": complete["docs/ai/bias-tests.md"],
            "packages/shop/requirements.txt": "flask==3.0.3\nopenai>=1.40\n",
            # Excluded by the root's settings: would be an undeclared component otherwise.
            "packages/shop/generated/requirements.txt": "torch\n",
        }
    )


def verdict(result: Result) -> tuple[int, list[tuple[str, str | None]]]:
    report = json.loads(result.stdout)
    return result.exit_code, [(f["rule"], f["path"]) for f in report["findings"]]


def test_root_package_and_cd_agree(
    make_repo: MakeRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = monorepo(make_repo)
    monkeypatch.chdir(root)
    whole = run_cli("check", "--format", "json")
    from_root = run_cli("check", "packages/shop", "--format", "json")
    monkeypatch.chdir(root / "packages")
    from_parent = run_cli("check", "shop", "--format", "json")
    monkeypatch.chdir(root / "packages" / "shop")
    from_package = run_cli("check", "--format", "json")
    assert verdict(whole) == (0, [])
    assert verdict(from_root) == verdict(from_parent) == verdict(from_package) == (0, [])
    # The root's settings hold: German, and the generated folder is not examined.
    text = run_cli("check")
    assert text.exit_code == 0
    assert (
        text.stdout
        == "1 KI-Komponente gefunden.\n\n0 Fehler, 0 Warnungen, 0 Hinweise; 8/8 Aspekte abgedeckt\n"
    )


def test_findings_read_from_where_kigate_runs(
    make_repo: MakeRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = monorepo(make_repo)
    (root / "packages/shop/requirements.txt").write_text("openai>=1.40\nanthropic\n", "utf-8")
    monkeypatch.chdir(root)
    from_root = run_cli("check", "packages/shop", "--fail-on", "warning", "--lang", "en")
    monkeypatch.chdir(root / "packages" / "shop")
    from_package = run_cli("check", "--fail-on", "warning", "--lang", "en")
    # Messages name files from the checked directory, as the rules wrote them.
    finding = (
        "KG140 warning AI component pypi:anthropic (found in requirements.txt) is not declared "
        'in ../../ai-values.toml; add a [[components]] entry with id = "pypi:anthropic"'
    )
    tail = "\n0 errors, 1 warning, 0 info; 8/8 aspects covered\n"
    head = "2 AI components found.\n\n"
    assert from_root.exit_code == from_package.exit_code == 1
    assert from_root.stdout == head + f"packages/shop/requirements.txt:2: {finding}\n" + tail
    assert from_package.stdout == head + f"requirements.txt:2: {finding}\n" + tail


def test_sarif_and_json_keep_repository_paths(
    make_repo: MakeRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = monorepo(make_repo)
    (root / "ai-values.toml").write_text(
        complete_manifest().replace('id = "pypi:openai"', 'id = "pypi:gone"'), "utf-8"
    )
    monkeypatch.chdir(root / "packages" / "shop")
    sarif = json.loads(run_cli("check", "--format", "sarif").stdout)
    uris = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"KG140": "packages/shop/requirements.txt", "KG141": "ai-values.toml"}
    report = json.loads(run_cli("check", "--format", "json").stdout)
    assert report["repository"]["subdir"] == "packages/shop"
    assert {f["rule"]: f["path"] for f in report["findings"]} == {
        "KG140": "requirements.txt",
        "KG141": "../../ai-values.toml",
    }


def test_package_manifest_overrides_for_its_subtree(
    make_repo: MakeRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = monorepo(make_repo)
    incomplete = example_files("incomplete")
    (root / "packages/lab").mkdir()
    (root / "packages/lab/ai-values.toml").write_text(str(incomplete["ai-values.toml"]), "utf-8")
    (root / "packages/lab/requirements.txt").write_text("openai\n", "utf-8")
    git(root, "add", "-A")
    monkeypatch.chdir(root)
    lab = json.loads(run_cli("check", "packages/lab", "--format", "json").stdout)
    places = {f["path"] for f in lab["findings"]}
    assert "ai-values.toml" in places  # the package's own manifest, relative to the package
    assert not any(p.startswith("../") for p in places)  # the root's manifest is not asked
    shop = run_cli("check", "packages/shop", "--format", "json")
    assert verdict(shop) == (0, [])


def test_evidence_of_the_manifest_above_is_read_from_its_folder(
    make_repo: MakeRepo, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = monorepo(make_repo)
    (root / "docs/ai/bias-tests.md").unlink()
    manifest = complete_manifest().replace('"docs/ai/risk-assessment.md"', '"../outside.md"')
    (root / "ai-values.toml").write_text(manifest, "utf-8")
    monkeypatch.chdir(root)
    report = json.loads(run_cli("check", "packages/shop", "--format", "json").stdout)
    messages = sorted(f["message"] for f in report["findings"] if f["rule"] == "KG120")
    assert len(messages) == 2
    assert "docs/ai/bias-tests.md" in messages[0] + messages[1]
    assert "../outside.md" in messages[0] + messages[1]
    assert {f["path"] for f in report["findings"]} == {"../../ai-values.toml"}


def test_plain_directory_outside_git_keeps_to_itself(make_repo: MakeRepo, run_cli: RunCli) -> None:
    files = {
        "pyproject.toml": SETTINGS,
        "ai-values.toml": complete_manifest(),
        "packages/shop/requirements.txt": "openai>=1.40\n",
    }
    root = make_repo(files, use_git=False)
    result = run_cli("check", str(root / "packages" / "shop"))
    assert result.exit_code == 1
    assert "requirements.txt:1: KG100 error" in result.stdout  # English: no settings above
