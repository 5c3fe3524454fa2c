"""The core commands through click: exit codes, whole outputs, both languages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from kigate import __version__, i18n
from kigate.rules import RULES
from tests.conftest import MakeRepo, complete_manifest, example_files


def tree_digest(root: Path) -> str:
    """Everything below root, .git included: names, modes, contents."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        digest.update(rel.encode("utf-8", "surrogateescape"))
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


def test_incomplete_example_whole_output(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(example_files("incomplete"))
    before = tree_digest(repo)
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    days = (dt.date.today() - dt.date(2024, 3, 1)).days
    assert result.output == (
        "2 AI components found.\n"
        "\n"
        f"ai-values.toml:6: KG130 warning last review on 2024-03-01 was {days} days ago; the "
        "policy asks for a review at least every 365 days\n"
        "ai-values.toml:12: KG110 error aspect 'participation' (Enable participation) is "
        "missing; add an [aspects.participation] table\n"
        "ai-values.toml:14: KG112 error aspect 'values': 'statement' is a placeholder, not an "
        "answer\n"
        "ai-values.toml:17: KG116 warning aspect 'risks' is 'in_progress' without a 'due' date; "
        "add due = YYYY-MM-DD\n"
        "ai-values.toml:19: KG120 warning aspect 'risks': evidence 'docs/ai/risk-register.xlsx' "
        "does not exist in the repository\n"
        "ai-values.toml:22: KG113 error aspect 'non_discrimination' is marked not_applicable "
        "without a justification; add 'justification = \"...\"'\n"
        "ai-values.toml:27: KG116 warning aspect 'competencies' was due on 2026-01-31 and is "
        "still 'planned': the plan is overdue\n"
        "ai-values.toml:29: KG115 warning aspect 'transparency' is 'implemented' but names no "
        "measures and no evidence\n"
        "ai-values.toml:33: KG115 warning aspect 'sustainability' is 'implemented' but names no "
        "measures and no evidence\n"
        "ai-values.toml:36: KG111 error aspect 'commitment' lacks the required field 'owner'\n"
        "\n"
        "pyproject.toml:7: KG140 warning AI component pypi:langchain-openai (found in "
        "pyproject.toml) is not declared in ai-values.toml; add a [[components]] entry with id = "
        '"pypi:langchain-openai"\n'
        "\n"
        "4 errors, 7 warnings, 0 info; 4/8 aspects covered\n"
    )
    assert tree_digest(repo) == before  # check opens nothing for writing


def test_german_output_has_no_english(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(example_files("incomplete"))
    result = run_cli("check", str(repo), "--lang", "de")
    assert result.exit_code == 1
    english = re.compile(r"\b(the|is|missing|error|warning|found|aspects covered|lacks)\b")
    for line in result.output.splitlines():
        assert not english.search(line), line
    assert (
        result.output.splitlines()[-1] == "4 Fehler, 7 Warnungen, 0 Hinweise; 4/8 Aspekte abgedeckt"
    )


def test_language_from_environment(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(example_files("no-ai"))
    assert run_cli("check", str(repo), env={"LANG": "de_DE.UTF-8"}).output == (
        "Keine KI-Komponenten gefunden.\n\n0 Fehler, 0 Warnungen, 0 Hinweise\n"
    )
    assert run_cli(
        "check", str(repo), env={"LANG": "de_DE.UTF-8", "LC_ALL": "en_US.UTF-8"}
    ).output.startswith("No AI components found.")


def test_fail_on_levels(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    old = dt.date.today() - dt.timedelta(days=800)
    files = example_files("complete")
    files["ai-values.toml"] = complete_manifest(old)
    repo = make_repo(files)
    assert run_cli("check", str(repo)).exit_code == 0  # a warning does not fail by default
    assert run_cli("check", str(repo), "--fail-on", "warning").exit_code == 1
    assert run_cli("check", str(repo), "--fail-on", "never").exit_code == 0


def test_fail_on_from_pyproject_settings(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    files = example_files("complete", dt.date.today() - dt.timedelta(days=800))
    files["pyproject.toml"] = '[tool.kigate]\nfail_on = "warning"\n'
    repo = make_repo(files)
    assert run_cli("check", str(repo)).exit_code == 1
    assert run_cli("check", str(repo), "--fail-on", "error").exit_code == 0


def test_plain_directory_without_git(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(example_files("complete"), use_git=False)
    result = run_cli("check", str(repo))
    assert result.exit_code == 0
    assert result.output.endswith("8/8 aspects covered\n")


def test_subdirectory_of_a_larger_repository(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    files = {f"services/support/{k}": v for k, v in example_files("complete").items()}
    files["services/other/requirements.txt"] = "anthropic\n"
    repo = make_repo(files)
    assert run_cli("check", str(repo / "services" / "support")).exit_code == 0
    assert run_cli("check", str(repo)).exit_code == 1


def test_malformed_manifest_is_a_finding_not_a_usage_error(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"requirements.txt": "openai\n", "ai-values.toml": "kigate = 1\n[system\n"})
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    assert result.output.splitlines()[2] == (
        "ai-values.toml:2:8: KG101 error the manifest is not valid TOML: Expected ']' at the end "
        "of a table declaration"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "nope"], "kigate: policy 'nope' is neither a built-in policy"),
        (["--format", "nope"], "Invalid value for '--format'"),
        (["--output", "x.json"], "kigate: each --output needs a --format before it"),
        (["--format", "json", "--format", "text"], "kigate: only one format can go to standard"),
    ],
)
def test_usage_errors_exit_2(make_repo: MakeRepo, run_cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(example_files("no-ai"))
    result = run_cli("check", str(repo), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_path_and_file_path_exit_2(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.output == (
        f"kigate: '{tmp_path / 'nowhere'}' does not exist; give the directory of the project to "
        "check\n"
    )
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    assert run_cli("check", str(tmp_path / "file.txt")).exit_code == 2


def test_broken_settings_file_exit_2(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({".kigate.toml": "fail_on = 'sometimes'\n"})
    result = run_cli("check", str(repo))
    assert result.exit_code == 2
    assert "fail_on = 'sometimes' is not one of error, warning, never" in result.output


def test_json_output_to_file_with_summary_on_stderr(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(example_files("incomplete"))
    target = repo.parent / "report.json"
    result = run_cli("check", str(repo), "--format", "json", "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "4 errors, 7 warnings, 0 info; 4/8 aspects covered\n"
    report = json.loads(target.read_text(encoding="utf-8"))
    schema = json.loads(run_cli("schema", "report").output)
    jsonschema.validate(report, schema)
    assert list(report)[:3] == ["format", "format_version", "tool_version"]
    assert report["tool_version"] == __version__
    assert report["summary"]["score"] == 25  # 4 answered, all partial: 4 x 0.5 of 8
    assert [f["rule"] for f in report["findings"]] == [
        "KG130",
        "KG110",
        "KG112",
        "KG116",
        "KG120",
        "KG113",
        "KG116",
        "KG115",
        "KG115",
        "KG111",
        "KG140",
    ]


def test_init_writes_a_skeleton_that_check_reports(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"requirements.txt": "openai\ntransformers\n"})
    result = run_cli("init", str(repo), "--lang", "de")
    assert result.exit_code == 0
    assert "mit 2 erkannten Komponenten" in result.output
    text = (repo / "ai-values.toml").read_text(encoding="utf-8")
    assert f"last_reviewed = {dt.date.today().isoformat()}" in text
    assert 'id = "pypi:openai"' in text and 'id = "pypi:transformers"' in text
    assert "#   ? Welchen Werten soll dieser KI-Einsatz dienen" in text
    checked = run_cli("check", str(repo), "--fail-on", "warning")
    assert checked.exit_code == 1
    rules = [line.split()[1] for line in checked.output.splitlines() if ": KG" in line]
    # eight statements, the commitment owner, [system] name, description, owner and
    # risk_class, and the two components' purposes
    assert rules.count("KG112") == 15
    assert "[system] 'owner' is a placeholder, not an answer" in checked.output
    again = run_cli("init", str(repo))
    assert again.exit_code == 2
    assert "already exists; use --force to overwrite it" in again.output
    assert run_cli("init", str(repo), "--force").exit_code == 0


def test_explain_every_rule_in_both_languages(run_cli) -> None:  # type: ignore[no-untyped-def]
    for rule_id in RULES:
        en = run_cli("explain", rule_id.lower())
        de = run_cli("explain", rule_id, "--lang", "de")
        assert en.exit_code == de.exit_code == 0
        assert en.output.startswith(f"{rule_id} (")
        assert "How to fix it" in en.output and "So behebst du es" in de.output
    assert run_cli("explain", "KG999").exit_code == 2
    listing = run_cli("explain").output.splitlines()
    assert [line.split()[0] for line in listing] == list(RULES)


def test_policy_show_and_validate(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shown = run_cli("policy", "show", "d64", "--lang", "de")
    assert shown.exit_code == 0
    assert "8. Menschenzentrierung  [human_centredness]" in shown.output
    assert "keine Rechtsberatung" in shown.output
    assert run_cli("policy", "validate", "demokratische-ki").output == (
        "demokratische-ki: no problems found\n"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('kigate-policy = 1\n[severity]\nKG100 = "loud"\n', encoding="utf-8")
    result = run_cli("policy", "validate", str(bad))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{bad.resolve()}:3: severity 'loud' for KG100 is not one of error, warning, info, off\n"
    )


def test_catalogue_keys_match_in_both_languages() -> None:
    en, de = i18n._catalogue("en"), i18n._catalogue("de")
    assert sorted(en) == sorted(de)
    placeholder = re.compile(r"\{(\w+)\}")
    for key in en:
        assert set(placeholder.findall(en[key])) - {"title", "problem"} == set(
            placeholder.findall(de[key])
        ) - {"title_de", "problem_de"}, key


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kigate", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0
    assert done.stdout == f"kigate, version {__version__}\n"


def test_policy_validate_reads_the_catalogues_it_names(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "acme.toml").write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\n'
        'signals = ["pypi", "acme-signals.toml"]\n',
        encoding="utf-8",
    )
    signals = tmp_path / "acme-signals.toml"
    signals.write_text(
        'kigate-signals = 1\necosystem = "pypi"\n[[match]]\ncategory = "llm-api"\n'
        'names = "acme-llm"\n',
        encoding="utf-8",
    )
    result = run_cli("policy", "validate", str(tmp_path / "acme.toml"))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{signals}:1: 'match.names' in the signal catalogue must be a list of strings, "
        'e.g. ["..."]\n'
    )
    signals.write_text(
        signals.read_text(encoding="utf-8").replace('"acme-llm"', '["acme-llm"]'), encoding="utf-8"
    )
    assert run_cli("policy", "validate", str(tmp_path / "acme.toml")).exit_code == 0
