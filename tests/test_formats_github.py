"""GitHub Actions workflow commands: escaped so that the runner reads back exactly our text."""

from __future__ import annotations

from dataclasses import replace

from kigate.formats import RenderOptions, renderer
from kigate.formats.github import escape_data, escape_property
from kigate.model import Finding, Severity, Text
from tests.conftest import MakeRepo, example_files
from tests.formats_support import fixed_report, parse_command

TRICKY = "100% sure: a, b\r\nnext line\n::error::forged %0A"


def render(*findings: Finding, lang: str = "en", **changes) -> list[str]:
    report = fixed_report(findings=findings, unchecked=(), **changes)
    return renderer("github")(report, RenderOptions(lang=lang)).splitlines()


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad"
    assert escape_property("50% a:b,c\r\nd") == "50%25 a%3Ab%2Cc%0D%0Ad"


def test_message_path_and_title_round_trip() -> None:
    finding = Finding(
        "KG120", Severity.WARNING, Text(TRICKY, TRICKY), path="docs/a, b:c%.md", line=3, column=7
    )
    [line] = render(finding)
    assert "\n" not in line
    assert "\r" not in line
    name, props, message = parse_command(line)
    assert name == "warning"
    assert props == {
        "file": "docs/a, b:c%.md",
        "line": "3",
        "col": "7",
        "title": "KG120 Evidence not found",
    }
    assert message == TRICKY


def test_other_controls_cannot_reach_the_log() -> None:
    finding = Finding("KG120", Severity.ERROR, Text.same("bell\x07 esc\x1b[31m"), path="a")
    [line] = render(finding)
    assert "\x07" not in line
    assert "\x1b" not in line
    assert parse_command(line)[2] == "bell\ufffd esc\ufffd[31m"


def test_severity_waived_introduced_and_repository_level() -> None:
    lines = renderer("github")(fixed_report(), RenderOptions()).splitlines()
    commands = [parse_command(line) for line in lines]
    assert [(name, props.get("file")) for name, props, _ in commands] == [
        ("error", "ai-values.toml"),
        ("warning", "ai-values.toml"),
        ("notice", "ai-values.toml"),
        ("notice", "ai-values.toml"),
        ("warning", "src/app dir/requirements ü.txt"),
        ("error", None),
        ("warning", None),
    ]
    assert commands[1][2].endswith("(introduced by this change)")
    assert commands[2][2].endswith("(waived)")
    assert commands[6] == (
        "warning",
        {"title": "KG131"},
        "KG131 could not be checked: no git history",
    )


def test_german_message_identifiers_unchanged() -> None:
    finding = fixed_report().findings[0]
    [line] = render(finding, lang="de")
    assert line == (
        "::error file=ai-values.toml,line=12,title=KG110 Aspekt fehlt::Aspekt 'participation' fehlt"
    )


def test_subdirectory_files_are_named_from_the_repository_root() -> None:
    base = fixed_report()
    [line] = render(base.findings[0], repo=replace(base.repo, subdir="pkg/shop"))
    assert parse_command(line)[1]["file"] == "pkg/shop/ai-values.toml"


def test_cli_prints_one_command_per_finding(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    result = run_cli("check", str(repo), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert lines[1] == (
        "::error file=ai-values.toml,line=12,title=KG110 Aspect missing::aspect 'participation' "
        "(Enable participation) is missing; add an [aspects.participation] table"
    )
    assert "4 errors, 7 warnings, 0 info" in result.stderr
