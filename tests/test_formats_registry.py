"""Every format is wired, renders the same fixed report, and says the same about a repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from junitparser import JUnitXml

from kigate.formats import (
    FORMAT_NAMES,
    SCAN_FORMAT_NAMES,
    RenderOptions,
    _formats,
    _scan_formats,
    renderer,
    scan_renderer,
)
from tests.conftest import MakeRepo, example_files, git
from tests.formats_support import READERS, assert_golden, fixed_report
from tests.test_formats_cyclonedx import assert_valid_bom
from tests.test_formats_json import assert_valid_report
from tests.test_formats_sarif import assert_valid_sarif

VALIDATE = {
    "json": assert_valid_report,
    "sarif": assert_valid_sarif,
    "cyclonedx": assert_valid_bom,
    "junit": lambda text: JUnitXml.fromstring(text.encode("utf-8")),
}
SUFFIX = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "xml",
    "markdown": "md",
    "github": "txt",
    "cyclonedx": "cdx.json",
}


def test_every_listed_name_has_a_renderer_and_no_renderer_is_unlisted() -> None:
    assert tuple(_formats()) == FORMAT_NAMES
    assert tuple(_scan_formats()) == SCAN_FORMAT_NAMES
    assert set(SUFFIX) == set(FORMAT_NAMES)


@pytest.mark.parametrize("name", FORMAT_NAMES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_format_renders_the_fixed_report(name: str, lang: str) -> None:
    output = renderer(name)(fixed_report(), RenderOptions(lang=lang))
    assert_golden(f"fixed.{lang}.{name}.{SUFFIX[name]}", output)
    VALIDATE.get(name, lambda _: None)(output)


@pytest.mark.parametrize("name", SCAN_FORMAT_NAMES)
def test_every_scan_format_renders_the_fixed_inventory(name: str) -> None:
    output = scan_renderer(name)(fixed_report(findings=(), aspects=()), RenderOptions())
    assert_golden(f"inventory.en.{name}.{SUFFIX[name]}", output)


def test_every_format_is_offered_by_check(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    help_text = run_cli("check", "--help").stdout
    for name in FORMAT_NAMES:
        assert name in help_text
        result = run_cli("check", str(repo), "--format", name)
        assert result.exit_code == 1, (name, result.stdout)
        assert result.stdout.strip()


def test_cyclonedx_is_offered_by_scan(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("complete"))
    result = run_cli("scan", str(repo), "--format", "cyclonedx")
    assert result.exit_code == 0
    assert '"bomFormat": "CycloneDX"' in result.stdout


def test_several_formats_in_one_run(run_cli, make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo(example_files("incomplete"))
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = run_cli(
        "check", str(repo),
        "--format", "sarif", "--output", str(sarif),
        "--format", "junit", "--output", str(junit),
        "--format", "markdown",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout.startswith("<!-- kigate-report -->\n### kigate: AI values check\n")
    assert READERS["sarif"](sarif.read_text("utf-8")) == READERS["markdown"](result.stdout)
    assert READERS["junit"](junit.read_text("utf-8")) == READERS["markdown"](result.stdout)


def _mixed_repository(make_repo: MakeRepo) -> Path:
    files = example_files("incomplete")
    # A component in a file whose path has a space and non-ASCII letters, and a package with
    # AI but without a manifest of its own (KG140 under the root manifest).
    files["tools/dev env ü/requirements.txt"] = "numpy\nanthropic==0.30\n"
    return make_repo(files)


def test_same_rule_path_line_in_every_format(run_cli, make_repo: MakeRepo) -> None:
    repo = _mixed_repository(make_repo)
    seen = {}
    for name, read in READERS.items():
        result = run_cli("check", str(repo), "--format", name)
        VALIDATE.get(name, lambda _: None)(result.stdout)
        seen[name] = read(result.stdout)
    expected = seen["json"]
    assert ("KG140", "tools/dev env ü/requirements.txt", 2) in expected
    assert ("KG110", "ai-values.toml", 12) in expected
    assert len(expected) == 12  # issue 11: KG115 and KG116 twice each on the incomplete example
    for name, triples in seen.items():
        assert triples == expected, name


CREDENTIALS = "https://user:s3cr3t-token@git.example.org/org/repo.git"


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_remote_credentials_never_appear(run_cli, make_repo: MakeRepo, name: str) -> None:
    repo = make_repo(example_files("incomplete"))
    git(repo, "remote", "add", "origin", CREDENTIALS)
    result = run_cli("check", str(repo), "--format", name)
    assert "s3cr3t-token" not in result.stdout
    assert "user:" not in result.stdout
    if name in ("json", "sarif", "junit"):
        assert "git.example.org/org/repo.git" in result.stdout


def test_remote_credentials_never_appear_in_scan(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    git(repo, "remote", "add", "origin", CREDENTIALS)
    for name in SCAN_FORMAT_NAMES:
        assert "s3cr3t-token" not in run_cli("scan", str(repo), "--format", name).stdout
