"""SARIF 2.1.0: valid against the official OASIS schema, complete rules, stable fingerprints."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import jsonschema

from kigate import rules
from kigate.formats import RULES_URI, RenderOptions, renderer
from kigate.model import RepoInfo
from tests.conftest import MakeRepo, example_files
from tests.formats_support import DATA, fixed_report


@cache
def validator() -> jsonschema.protocols.Validator:
    # The vendored copy of the OASIS file (errata 01); tests never read outside the repository.
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))
    assert schema["id"].endswith("/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


def assert_valid_sarif(text: str) -> dict[str, Any]:
    log = json.loads(text)
    errors = [e.message for e in validator().iter_errors(log)]
    assert errors == []
    return log


def sarif(report=None, lang: str = "en") -> dict[str, Any]:
    return assert_valid_sarif(renderer("sarif")(report or fixed_report(), RenderOptions(lang)))


def test_schema_rejects_what_it_should() -> None:
    log = sarif()
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator().is_valid(log)


def test_driver_lists_every_rule_with_help() -> None:
    driver = sarif()["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kigate", "0.1.0")
    assert driver["informationUri"] == "https://github.com/kigate/kigate"
    assert [r["id"] for r in driver["rules"]] == list(rules.RULES)
    first = driver["rules"][0]
    assert first["name"] == "ai-without-manifest"
    assert first["shortDescription"]["text"] == "AI used without a manifest"
    assert first["fullDescription"]["text"].startswith("The repository uses AI")
    assert "How to fix it: Run 'kigate init'" in first["help"]["text"]
    assert first["helpUri"] == RULES_URI
    assert first["defaultConfiguration"] == {"level": "error"}
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert (levels["KG112"], levels["KG141"]) == ("error", "note")  # issue 11: a placeholder fails


def test_results_carry_rule_level_message_and_location() -> None:
    results = sarif()["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    kg120 = by_rule["KG120"]
    assert kg120["level"] == "warning"
    assert kg120["message"]["text"] == "aspect 'risks': evidence 'docs/risk.md' does not exist"
    assert kg120["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "ai-values.toml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 19, "startColumn": 3},
    }
    assert kg120["baselineState"] == "new"
    assert by_rule["KG140"]["baselineState"] == "unchanged"
    assert "baselineState" not in by_rule["KG110"]
    assert by_rule["KG141"]["level"] == "note"
    rule_ids = [r["id"] for r in sarif()["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)


def test_paths_are_percent_encoded_uri_references() -> None:
    results = sarif()["runs"][0]["results"]
    kg140 = next(r for r in results if r["ruleId"] == "KG140")
    uri = kg140["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "src/app%20dir/requirements%20%C3%BC.txt"


def test_finding_without_a_file_points_at_the_file_that_triggered_it() -> None:
    # GitHub rejects a whole upload over one result without a location (issue 13).
    kg100 = next(r for r in sarif()["runs"][0]["results"] if r["ruleId"] == "KG100")
    assert kg100["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "weights/clf.onnx", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 1},
            }
        }
    ]
    assert kg100["properties"] == {"component": "model:weights/clf.onnx", "repositoryLevel": True}


def test_waived_finding_is_suppressed_in_source() -> None:
    kg130 = next(r for r in sarif()["runs"][0]["results"] if r["ruleId"] == "KG130")
    assert kg130["suppressions"] == [{"kind": "inSource", "status": "accepted"}]


def test_unchecked_rule_is_a_tool_notification() -> None:
    invocation = sarif()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {
            "descriptor": {"id": "KG131"},
            "level": "warning",
            "message": {"text": "KG131 could not be checked: no git history"},
        }
    ]


def test_german_messages_and_rule_texts_identifiers_unchanged() -> None:
    run = sarif(lang="de")["runs"][0]
    assert run["language"] == "de-DE"
    assert (
        run["tool"]["driver"]["rules"][0]["shortDescription"]["text"]
        == "KI im Einsatz ohne Manifest"
    )
    kg110 = next(r for r in run["results"] if r["ruleId"] == "KG110")
    assert kg110["message"]["text"] == "Aspekt 'participation' fehlt"
    assert kg110["level"] == "error"


def test_checked_subdirectory_is_named_from_the_repository_root() -> None:
    base = fixed_report()
    report = replace(base, repo=replace(base.repo, subdir="packages/shop"))
    run = sarif(report)["runs"][0]
    kg110 = next(r for r in run["results"] if r["ruleId"] == "KG110")
    uri = kg110["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "packages/shop/ai-values.toml"
    assert run["automationDetails"] == {"id": "kigate/packages/shop/"}
    assert sarif()["runs"][0]["automationDetails"] == {"id": "kigate/"}


def test_version_control_provenance_only_for_real_uris() -> None:
    run = sarif()["runs"][0]
    assert run["versionControlProvenance"] == [
        {
            "repositoryUri": "https://github.com/example/shop.git",
            "revisionId": "0123456789abcdef0123456789abcdef01234567",
            "branch": "main",
        }
    ]
    scp = replace(fixed_report(), repo=RepoInfo("shop", ".", True, "git@github.com:o/shop.git"))
    assert "versionControlProvenance" not in sarif(scp)["runs"][0]


def test_cli_output_validates_and_monorepo_paths(run_cli, make_repo: MakeRepo) -> None:
    files = {f"packages/shop/{k}": v for k, v in example_files("incomplete").items()}
    files["README.md"] = "monorepo\n"
    repo = make_repo(files)
    result = run_cli("check", str(repo / "packages" / "shop"), "--format", "sarif")
    assert result.exit_code == 1
    log = assert_valid_sarif(result.stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"packages/shop/ai-values.toml", "packages/shop/pyproject.toml"}


def _fingerprints(run_cli, repo) -> dict[str, tuple[str, int]]:
    log = json.loads(run_cli("check", str(repo), "--format", "sarif").stdout)
    return {
        r["partialFingerprints"]["kigate/v1"]: (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    }


def test_fingerprints_survive_a_line_shift(run_cli, make_repo: MakeRepo) -> None:
    files = example_files("incomplete")
    repo = make_repo(files)
    before = _fingerprints(run_cli, repo)
    manifest = repo / "ai-values.toml"
    manifest.write_text("# a comment\n\n" + manifest.read_text("utf-8"), encoding="utf-8")
    after = _fingerprints(run_cli, repo)
    assert set(after) == set(before)
    assert len(before) == 11  # issue 11: KG115 and KG116 on the incomplete example
    for key, (rule, line) in before.items():
        if rule != "KG140":  # pyproject.toml did not move
            assert after[key] == (rule, line + 2)


def test_complete_repository_has_no_results(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("complete"))
    log = assert_valid_sarif(run_cli("check", str(repo), "--format", "sarif").stdout)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["properties"]["score"] == 100
