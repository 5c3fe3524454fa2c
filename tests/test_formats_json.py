"""The JSON report v1: valid against its shipped schema, stable order, repository identity."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import jsonschema

from kigate.cli.schema import schema_text
from kigate.formats import RenderOptions, renderer
from tests.conftest import MakeRepo, example_files, git
from tests.formats_support import fixed_report


@cache
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text("report"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid_report(text: str) -> dict[str, Any]:
    data = json.loads(text)
    assert [e.message for e in validator().iter_errors(data)] == []
    return data


def test_schema_command_prints_the_shipped_schema(run_cli) -> None:
    result = run_cli("schema", "report")
    assert result.exit_code == 0
    assert result.stdout == schema_text("report")


def test_fixed_report_is_valid_and_starts_with_versions() -> None:
    text = renderer("json")(fixed_report(), RenderOptions())
    data = assert_valid_report(text)
    assert list(data)[:3] == ["format", "format_version", "tool_version"]
    assert list(data)[3:] == sorted(list(data)[3:])
    assert data["summary"] == {
        "ai_detected": True,
        "aspects_covered": 3,  # issue 11: a partial aspect is answered, so covered
        "aspects_total": 4,
        "components": 4,
        "errors": 2,
        "manifests": 1,
        "notes": 1,
        "score": 62,
        "waived": 1,
        "warnings": 2,
    }


def test_score_counts_partial_as_half() -> None:
    # covered 1 + not_applicable 1 + partial 0.5 + missing 0 over 4 aspects: 62.5 -> 62
    assert fixed_report().score == 62


def test_schema_refuses_credentials_and_absolute_paths() -> None:
    data = json.loads(renderer("json")(fixed_report(), RenderOptions()))
    data["repository"]["remote_url"] = "https://user:token@host/org/repo.git"
    assert not validator().is_valid(data)
    data = json.loads(renderer("json")(fixed_report(), RenderOptions()))
    data["findings"][0]["path"] = "/etc/passwd"
    assert not validator().is_valid(data)


def test_subdirectory_is_reported(run_cli, make_repo: MakeRepo) -> None:
    files = {f"pkg/{k}": v for k, v in example_files("incomplete").items()}
    repo = make_repo(files)
    root = assert_valid_report(run_cli("check", str(repo), "--format", "json").stdout)
    sub = assert_valid_report(run_cli("check", str(repo / "pkg"), "--format", "json").stdout)
    assert root["repository"]["subdir"] == ""
    assert sub["repository"]["subdir"] == "pkg"
    assert sub["repository"]["root_name"] == repo.name


def test_cli_report_identity(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    git(repo, "remote", "add", "origin", "https://user:token@host.example/org/repo.git")
    (repo / "ai-values.toml").write_text("kigate = 1\n", encoding="utf-8")
    data = assert_valid_report(run_cli("check", str(repo), "--format", "json").stdout)
    identity = data["repository"]
    assert identity["remote_url"] == "https://host.example/org/repo.git"
    assert identity["branch"] == "main"
    assert identity["dirty"] is True
    assert identity["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert data["generated_at"].endswith("Z")


def test_no_git_no_identity(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("no-ai"), use_git=False)
    data = assert_valid_report(run_cli("check", str(repo), "--format", "json").stdout)
    assert data["repository"]["git"] is False
    assert data["repository"]["subdir"] is None
    assert data["summary"]["score"] == 100


def test_older_report_without_subdir_stays_valid() -> None:
    data = json.loads(renderer("json")(fixed_report(), RenderOptions()))
    del data["repository"]["subdir"]
    assert validator().is_valid(data)


def test_findings_of_an_aspect_are_listed_by_fingerprint() -> None:
    report = fixed_report()
    data = json.loads(renderer("json")(report, RenderOptions()))
    risks = next(a for a in data["aspects"] if a["id"] == "risks")
    assert risks["status"] == "partial"
    assert risks["findings"] == [report.findings[1].fingerprint]
    assert replace(report.findings[1], line=99).fingerprint == report.findings[1].fingerprint
