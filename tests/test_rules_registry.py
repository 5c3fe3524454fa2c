"""The rule registry: every entry is wired, every message exists, KG104 is built once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kigate import i18n
from kigate.rules import RULES
from kigate.rules.run import check_function
from tests.conftest import MakeRepo
from tests.gates_support import commit

SRC = Path(__file__).resolve().parent.parent / "src" / "kigate"
OFF_POLICY = (
    'kigate-policy = 1\nextends = "demokratische-ki"\nid = "quiet"\n[severity]\nKG104 = "off"\n'
)
FILES: dict[str, str | bytes] = {
    "requirements.txt": "openai>=1\n",
    "web/broken.ipynb": "{not json, import torch",
}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_names_a_check_function_and_existing_messages(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert callable(check_function(rule.check))
    assert rule.title.en and rule.title.de and rule.why.en and rule.fix.de
    for lang in i18n.LANGUAGES:
        keys = set(i18n._catalogue(lang))
        for key in rule.messages:
            if key.endswith(".*"):
                assert any(k.startswith(key[:-1]) for k in keys), (lang, key)
            else:
                assert key in keys, (lang, key)


def test_no_rule_id_literal_outside_rules() -> None:
    """Rule ids live in the registry; code elsewhere asks it (comments and docstrings aside)."""
    pattern = re.compile(r"""["']KG\d{3}["']""")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "rules" not in path.relative_to(SRC).parts[:1]
        and "aggregate" not in path.relative_to(SRC).parts[:1]  # not this engineer's room yet
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_kg104_off_is_off_in_scan_and_check(make_repo: MakeRepo, run_cli, tmp_path: Path) -> None:
    """Regression: ``KG104 = "off"`` used to silence check while scan still reported it."""
    repo = make_repo(FILES)
    policy_file = tmp_path / "quiet.toml"
    policy_file.write_text(OFF_POLICY, encoding="utf-8")
    scanned = run_cli("scan", str(repo), "--format", "json", "--policy", str(policy_file))
    assert scanned.exit_code == 0
    assert json.loads(scanned.output)["problems"] == []
    report = tmp_path / "report.json"
    run_cli(
        "check",
        str(repo),
        "--format",
        "json",
        "--output",
        str(report),
        "--policy",
        str(policy_file),
    )
    assert [f["rule"] for f in json.loads(report.read_text())["findings"]] == ["KG100"]


def test_kg104_severity_from_the_policy_in_scan_and_check(
    make_repo: MakeRepo, run_cli, tmp_path: Path
) -> None:
    repo = make_repo(FILES)
    policy_file = tmp_path / "strict.toml"
    policy_file.write_text(OFF_POLICY.replace('"off"', '"error"'), encoding="utf-8")
    scanned = run_cli("scan", str(repo), "--format", "json", "--policy", str(policy_file))
    assert [(p["rule"], p["severity"]) for p in json.loads(scanned.output)["problems"]] == [
        ("KG104", "error")
    ]
    report = tmp_path / "report.json"
    run_cli(
        "check",
        str(repo),
        "--format",
        "json",
        "--output",
        str(report),
        "--policy",
        str(policy_file),
    )
    assert sorted(
        (f["rule"], f["severity"]) for f in json.loads(report.read_text())["findings"]
    ) == [
        ("KG100", "error"),
        ("KG104", "error"),
    ]


TRAILER_SIGNALS = """kigate-signals = 1
ecosystem = "assistant"
[[match]]
category = "coding-assistant"
scope = "development"
component = "robocoder"
trailers = ["robocoder"]
"""


def test_commit_trailers_are_read_from_the_signal_catalogue(
    make_repo: MakeRepo, run_cli, tmp_path: Path
) -> None:
    """An organisation's own catalogue names an assistant; no list in the code decides."""
    root = make_repo({"README.md": "x\n"})
    commit(root, {"x.txt": "x\n"}, "Add x\n\nCo-authored-by: RoboCoder <bot@robo.example>")
    (tmp_path / "robo.toml").write_text(TRAILER_SIGNALS, encoding="utf-8")
    own = tmp_path / "own.toml"
    own.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "own"\nsignals = ["./robo.toml"]\n',
        encoding="utf-8",
    )
    result = run_cli("check", "--trailers", "--policy", str(own), str(root))
    found = [line.split(" (")[0] for line in result.output.splitlines() if " KG100 " in line]
    assert found == [".: KG100 error AI component assistant:robocoder"]
    shipped = run_cli("check", "--trailers", str(root))
    assert shipped.exit_code == 0 and "robocoder" not in shipped.output
