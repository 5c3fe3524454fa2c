"""Aggregate documents (format version 1 and 2) read back as sources of a larger view."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kigate.cli.schema import schema_text
from tests.aggregate_support import organisation
from tests.conftest import MakeRepo

V2_ONLY = ("policy_version", "system_name", "owner", "risk_class", "link", "component_list")


@pytest.fixture
def department(make_repo: MakeRepo, tmp_path: Path, run_cli, monkeypatch) -> dict:
    sources = organisation(make_repo, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run_cli("aggregate", *sources, "--format", "json", "--output", "department.json")
    assert result.exit_code == 0, result.output
    return json.loads(Path("department.json").read_text("utf-8"))


def test_a_department_view_joins_the_organisation_view(department: dict, run_cli) -> None:
    result = run_cli("aggregate", "department.json", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(r["source"], r["owner"], r["risk_class"]) for r in document["repositories"]] == [
        ("department.json#org/complete", "ai-board@example.org", "limited"),
        ("department.json#reports/service-a.json", "ai-board@example.org", "limited"),
        ("department.json#org/incomplete", "finance-it@example.org", None),
        ("department.json#reports/service-b.json", "finance-it@example.org", None),
        ("department.json#org/no-ai", None, None),
    ]
    assert document["totals"] == department["totals"]
    assert document["inventory"] == department["inventory"]


def test_a_version_1_document_is_read_without_owners(department: dict, run_cli) -> None:
    old = {**department, "format_version": 1}
    del old["inventory"]
    del old["totals"]["without_ai"], old["totals"]["coverage_percent"]
    old["repositories"] = [
        {k: v for k, v in r.items() if k not in V2_ONLY} for r in department["repositories"]
    ]
    jsonschema.validate(old, json.loads(schema_text("aggregate-v1")))
    Path("v1.json").write_text(json.dumps(old), "utf-8")
    result = run_cli("aggregate", "v1.json")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()[1:6]]
    assert sorted((r[0], r[1], r[2]) for r in rows) == [
        ("complete", "-", "-"), ("incomplete", "-", "-"), ("no-ai", "-", "-"),
        ("service-a", "-", "-"), ("service-b", "-", "-"),
    ]  # fmt: skip


def test_newer_or_broken_documents_are_error_rows(department: dict, run_cli) -> None:
    Path("v9.json").write_text(json.dumps({**department, "format_version": 9}), "utf-8")
    broken = {**department, "repositories": [{"name": 1}]}
    Path("broken.json").write_text(json.dumps(broken), "utf-8")
    result = run_cli("aggregate", "v9.json", "broken.json")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:4] == [
        "",
        "broken.json: error: the aggregate document does not follow its format version at "
        "/repositories/0: 'source' is missing",
        "v9.json: error: aggregate format version 9 is newer than this kigate reads "
        "(version 2); upgrade kigate to read it",
    ]


def test_a_report_and_the_department_view_holding_it_count_once(department: dict, run_cli) -> None:
    result = run_cli("aggregate", "department.json", "reports/service-a.json", "--format", "json")
    document = json.loads(result.stdout)
    assert document["totals"]["repositories"] == 5
    assert len(document["duplicates"]) == 1
