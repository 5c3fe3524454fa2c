"""Commit and CI experience (issue 13): SARIF that GitHub accepts, the --base fetch hint,
one word per severity, plurals, settings found up to the repository root, and the help."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from kigate.formats.sarif import to_dict
from tests import sarif_support
from tests.conftest import MakeRepo, complete_manifest, example_files, git
from tests.formats_support import fixed_report
from tests.gates_support import complete_files

RunCli = Callable[..., Result]
TRAILER = "Add x\n\nCo-authored-by: GitHub Copilot <copilot@github.com>"


def sarif_locations(result: Result) -> dict[str, tuple[str, int]]:
    assert result.stdout, result.stderr
    log = json.loads(result.stdout)
    assert sarif_support.problems(log) == []
    out = {}
    for r in log["runs"][0]["results"]:
        physical = r["locations"][0]["physicalLocation"]
        out[r["ruleId"]] = (physical["artifactLocation"]["uri"], physical["region"]["startLine"])
    return out


def commit_with_trailer(root: Path) -> None:
    (root / "x.txt").write_text("x\n", encoding="utf-8")
    git(root, "add", "x.txt")
    git(root, "commit", "-q", "-m", TRAILER)


def test_trailer_findings_point_at_the_covering_manifest(
    make_repo: MakeRepo, run_cli: RunCli
) -> None:
    root = make_repo(complete_files())
    commit_with_trailer(root)
    result = run_cli("check", "--trailers", "--format", "sarif", str(root))
    assert sarif_locations(result) == {"KG140": ("ai-values.toml", 1)}


def test_trailer_findings_without_a_manifest_name_the_file_to_write(
    make_repo: MakeRepo, run_cli: RunCli
) -> None:
    root = make_repo(example_files("no-ai"))
    commit_with_trailer(root)
    result = run_cli("check", "--trailers", "--format", "sarif", str(root))
    assert result.exit_code == 1
    assert sarif_locations(result) == {"KG100": ("ai-values.toml", 1)}


def test_the_ingestion_check_rejects_what_github_rejects() -> None:
    log = to_dict(fixed_report())
    results = log["runs"][0]["results"]
    results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "."
    results[1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "../x.txt"
    results[3]["ruleId"] = "KG999"
    del results[4]["partialFingerprints"]
    del results[5]["locations"]
    assert sarif_support.problems(log) == [
        "schema: 0 is less than the minimum of 1",
        "uri '.' names a directory, not a file",
        "uri '.' has '.' or '..' segments",
        "KG120: region.startLine is missing or below 1",
        "uri '../x.txt' has '.' or '..' segments",
        "ruleId 'KG999' is not in tool.driver.rules",
        "ruleIndex 18 does not name 'KG999'",  # KG140: after KG114-KG119 (issue 11)
        "KG140: no partialFingerprints",
        "KG100: no location (GitHub rejects the whole upload)",
    ]


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        (
            "en",
            "kigate: --base origin/main does not name a commit in this repository; check the "
            "spelling or fetch it first (git fetch origin main)\n",
        ),
        (
            "de",
            "kigate: --base origin/main benennt keinen Commit in diesem Repository; prüfe die "
            "Schreibweise oder hole ihn zuerst (git fetch origin main)\n",
        ),
    ],
)
def test_base_hint_splits_remote_and_branch(
    make_repo: MakeRepo, run_cli: RunCli, lang: str, sentence: str
) -> None:
    root = make_repo(complete_files())
    git(root, "remote", "add", "origin", "https://example.org/shop.git")
    result = run_cli("check", "--base", "origin/main", "--lang", lang, str(root))
    assert result.exit_code == 2
    assert result.stderr == sentence


def test_base_hint_knows_other_remotes_and_branches_with_slashes(
    make_repo: MakeRepo, run_cli: RunCli
) -> None:
    root = make_repo(complete_files())
    git(root, "remote", "add", "upstream", "https://example.org/shop.git")
    result = run_cli("check", "--base", "upstream/release/2.0", str(root))
    assert result.exit_code == 2
    assert result.stderr.endswith("(git fetch upstream release/2.0)\n")


def test_help_shows_explains_line_whole(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert "  explain       Explain rule RULE_ID (such as KG110), or list all rules.\n" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("error", "warning", "info")), ("de", ("Fehler", "Warnung", "Hinweis"))],
)
def test_one_word_per_severity_in_explain(
    run_cli: RunCli, lang: str, words: tuple[str, ...]
) -> None:
    listing = run_cli("explain", "--lang", lang).stdout.splitlines()
    used = {line.split()[1] for line in listing}
    assert used == set(words)
    shown = run_cli("explain", "KG141", "--lang", lang).stdout.splitlines()[1]
    assert shown.endswith(f": {words[2]}")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Wrote {path} with 1 detected component; answer every TODO, then run 'kigate check'.\n",
        ),
        (
            "de",
            "{path} geschrieben, mit 1 erkannten Komponente; beantworte jedes TODO und führe dann "
            "'kigate check' aus.\n",
        ),
    ],
)
def test_init_counts_in_the_singular(
    make_repo: MakeRepo, run_cli: RunCli, lang: str, text: str
) -> None:
    root = make_repo({"requirements.txt": "openai\n"})
    result = run_cli("init", "--lang", lang, str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout == text.format(path=root / "ai-values.toml")


def test_closest_settings_win_up_to_the_repository_root(
    make_repo: MakeRepo, run_cli: RunCli
) -> None:
    root = make_repo(
        {
            "kigate.toml": 'lang = "de"\nfail_on = "warning"\n',
            "ai-values.toml": complete_manifest().replace('"pypi:openai"', '"pypi:gone"'),
            "docs/ai/risk-assessment.md": "r\n",
            "docs/ai/bias-tests.md": "b\n",
            "app/requirements.txt": "openai\n",
            "lib/pyproject.toml": '[project]\nname = "lib"\n\n[tool.kigate]\nlang = "en"\n',
            "lib/requirements.txt": "openai\n",
        }
    )
    app = run_cli("check", str(root / "app"))
    assert app.exit_code == 1  # fail_on = "warning" from the root's kigate.toml
    assert "requirements.txt:1: KG140 Warnung" in app.stdout
    lib = run_cli("check", str(root / "lib"))
    assert lib.exit_code == 0  # lib's own [tool.kigate] is closer: English, fail on error
    assert "requirements.txt:1: KG140 warning" in lib.stdout
