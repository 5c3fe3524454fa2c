"""The README's output-format section: its commands run, its rule table is the rule table."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from kigate import rules
from kigate.formats import RULES_URI
from tests.conftest import MakeRepo, example_files
from tests.formats_support import READERS

README = Path(__file__).resolve().parent.parent / "README.md"


def section() -> str:
    text = README.read_text("utf-8")
    start = text.index("## Output formats\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def commands() -> list[list[str]]:
    block = re.search(r"```sh\n(.*?)```", section(), re.DOTALL)
    assert block is not None
    return [shlex.split(line)[1:] for line in block[1].splitlines() if line.startswith("kigate ")]


def test_commands_run_as_written(
    run_cli, make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(example_files("incomplete"))
    monkeypatch.chdir(repo)
    results = [run_cli(*args) for args in commands()]
    assert [r.exit_code for r in results] == [1, 1, 0]
    assert READERS["sarif"](Path("kigate.sarif").read_text("utf-8")) == READERS["junit"](
        Path("kigate-junit.xml").read_text("utf-8")
    )
    assert results[0].stdout.startswith("<!-- kigate-report -->\n### kigate: AI values check")
    assert json.loads(Path("kigate-report.json").read_text("utf-8"))["lang"] == "de"
    assert json.loads(Path("ai-bom.cdx.json").read_text("utf-8"))["specVersion"] == "1.6"


def test_rule_table_is_the_rule_table() -> None:
    rows = re.findall(r"^\| (KG\d{3}) \| `([a-z-]+)` \| (\w+) \| (\w+) \|$", section(), re.M)
    assert rows == [(r.id, r.name, r.severity.value, r.family) for r in rules.RULES.values()]


def test_rules_anchor_of_sarif_help_exists() -> None:
    assert RULES_URI.endswith("/README.md#rules")
    assert "\n### Rules\n" in README.read_text("utf-8")
