"""Issue 11's acceptance list, tried as a reviewer would: through the CLI on real repositories."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kigate import engine, policy
from kigate.formats import RenderOptions, renderer
from kigate.model import Report, Severity
from tests.conftest import MakeRepo, complete_manifest, example_files
from tests.formats_support import assert_golden, fixed_report
from tests.test_formats_sarif import assert_valid_sarif

TODAY = dt.date(2026, 11, 30)
ASPECTS = (
    "values", "risks", "non_discrimination", "competencies",
    "participation", "transparency", "sustainability", "commitment",
)  # fmt: skip
HEAD = (
    'kigate = 1\n\n[system]\nname = "Chat"\ndescription = "Answers customer questions."\n'
    'owner = "ai@example.org"\nlast_reviewed = 2026-11-01\nrisk_class = "limited"\n\n'
    '[[components]]\nid = "pypi:openai"\npurpose = "Answer customer questions"\n\n'
)


def summary_line(output: str) -> str:
    return output.rstrip("\n").splitlines()[-1]


def json_report(run_cli, repo: Path, *extra: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = run_cli("check", str(repo), "--format", "json", *extra)
    return dict(json.loads(result.stdout))


@pytest.mark.parametrize(
    ("lang", "summary"),
    [("en", "0/8 aspects covered"), ("de", "0/8 Aspekte abgedeckt")],
)
def test_fresh_skeleton_with_name_and_owner_fails_with_one_error_per_aspect(
    make_repo: MakeRepo, run_cli, lang: str, summary: str
) -> None:
    repo = make_repo({"requirements.txt": "openai\n"})
    assert run_cli("init", str(repo), "--lang", lang).exit_code == 0
    manifest = repo / "ai-values.toml"
    text = manifest.read_text("utf-8").replace('name = "TODO"', 'name = "Chat"', 1)
    manifest.write_text(text.replace('owner = "TODO"', 'owner = "ai@example.org"', 1), "utf-8")
    result = run_cli("check", str(repo), "--lang", lang)
    assert result.exit_code == 1
    assert summary_line(result.output).endswith(summary)
    report = json_report(run_cli, repo)
    assert report["summary"]["score"] == 0
    assert report["summary"]["aspects_covered"] == 0
    for aspect in ASPECTS:
        assert [f for f in report["findings"] if f["aspect"] == aspect and f["severity"] == "error"]
    assert 'risk_class = "TODO"  # ' in text and "minimal | limited | high | unacceptable" in text


def copy_paste_manifest() -> str:
    body = "".join(
        f'[aspects.{a}]\nstatus = "implemented"\nstatement = "We care deeply about doing the '
        'right thing with this system always."\n'
        + ('owner = "ai@example.org"\n' if a == "commitment" else "")
        + "\n"
        for a in ASPECTS
    )
    return HEAD + body


def test_copy_paste_manifest_fails_naming_the_copies(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo({"requirements.txt": "openai\n", "ai-values.toml": copy_paste_manifest()})
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    report = json_report(run_cli, repo)
    assert report["summary"]["aspects_covered"] <= 1
    copies = [f["message"] for f in report["findings"] if f["rule"] == "KG114"]
    assert "aspects 'risks' and 'values' give the same answer (100% alike)" in copies[1]
    assert len(copies) == 8


def test_eight_distinct_substantive_answers_pass_with_score_100(
    make_repo: MakeRepo, run_cli
) -> None:
    repo = make_repo(example_files("complete", TODAY))
    result = run_cli("check", str(repo))
    assert result.exit_code == 0
    assert summary_line(result.output) == "0 errors, 0 warnings, 0 info; 8/8 aspects covered"
    assert json_report(run_cli, repo)["summary"]["score"] == 100


def test_a_typo_in_an_extending_policy_is_refused_with_a_suggestion(
    tmp_path: Path, run_cli
) -> None:
    typo = tmp_path / "acme.toml"
    typo.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\n\n'
        '[[aspects]]\nid = "non_discrimnation"\nmin_words = 20\n',
        "utf-8",
    )
    result = run_cli("policy", "validate", str(typo))
    assert result.exit_code == 1
    assert (
        f"{typo}:6: aspect 'non_discrimnation' is not in the policy it extends and defines no "
        "title and questions in German and English (did you mean 'non_discrimination'?)"
    ) in result.output
    german = run_cli("policy", "validate", str(typo), "--lang", "de")
    assert "(meintest du 'non_discrimination'?)" in german.output


def test_a_new_aspect_with_title_and_questions_in_both_languages_is_accepted(
    tmp_path: Path, run_cli
) -> None:
    extra = tmp_path / "acme.toml"
    extra.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\n\n'
        '[[aspects]]\nid = "security"\ntitle = { de = "Sicherheit", en = "Security" }\n'
        'questions.de = ["Wie schützt ihr das System?"]\n'
        'questions.en = ["How do you protect the system?"]\n',
        "utf-8",
    )
    assert run_cli("policy", "validate", str(extra)).exit_code == 0


def test_an_unknown_status_is_one_finding_with_the_closest_value(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace(
        '[aspects.competencies]\nstatus = "implemented"', '[aspects.competencies]\nstatus = "done"'
    )
    files = example_files("complete", TODAY)
    files["ai-values.toml"] = text
    report = engine.check(engine.CheckRequest(make_repo(files), policy.load(), today=TODAY)).report
    assert [(f.rule, f.aspect, f.message.en) for f in report.findings] == [
        (
            "KG101",
            "competencies",
            "'aspects.competencies.status' is 'done', which is not one of implemented, "
            "in_progress, planned, not_applicable (did you mean 'implemented'?)",
        )
    ]
    assert report.aspects_covered == 7 and report.score == 88


def test_unknown_setting_names_the_closest_key(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo({".kigate.toml": 'fail_no = "warning"\n'})
    result = run_cli("check", str(repo))
    assert result.exit_code == 2
    assert "unknown kigate setting 'fail_no'" in result.output
    assert "(did you mean 'fail_on'?)" in result.output


def test_a_softened_policy_passes_the_gate_but_coverage_stays_honest(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    soft = tmp_path / "soft.toml"
    soft.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "soft"\n'
        '[severity]\nKG112 = "warning"\n',
        "utf-8",
    )
    text = complete_manifest(TODAY).replace(
        'statement = "Every e-mail footer says that the reply was drafted with AI support and '
        'checked by a named person before it was sent."',
        'statement = "TODO"',
    )
    files = example_files("complete", TODAY)
    files["ai-values.toml"] = text
    report = engine.check(
        engine.CheckRequest(make_repo(files), policy.load(str(soft)), today=TODAY)
    ).report
    assert not report.fails("error")
    assert report.aspects_covered == 7
    assert report.score == 88


def test_policy_show_prints_topic_terms(run_cli) -> None:
    shown = run_cli("policy", "show").output
    assert re.search(r"   topic terms \(de\): nachhaltig, oekolog, umwelt, klima, energie", shown)
    assert "copies from (similarity): 0.6" in shown
    assert "Themenbegriffe (en): sustainab" in run_cli("policy", "show", "--lang", "de").output


def test_the_score_is_capped_below_100_by_an_open_error() -> None:
    report = fixed_report()
    covered = tuple(dataclasses.replace(a, status=a.status.COVERED) for a in report.aspects)
    clean = dataclasses.replace(report, aspects=covered, findings=())
    assert clean.score == 100
    error = dataclasses.replace(report.findings[0], severity=Severity.ERROR, waived=False)
    assert dataclasses.replace(clean, findings=(error,)).score == 99


# --- whole outputs of the new findings, text, JSON and SARIF, both languages ----------------

SUBSTANCE = HEAD + (
    '[aspects.values]\nstatus = "implemented"\nstatement = "Honesty towards customers and '
    'respect for their time are the values the chatbot serves, agreed by the board."\n\n'
    '[aspects.risks]\nstatus = "implemented"\nstatement = "Honesty towards customers and '
    'respect for their time are the values the chatbot serves, agreed by the board!"\n'
    'measures = ["Board decision"]\n\n'
    '[aspects.non_discrimination]\nstatus = "planned"\nstatement = "Every quarter we compare '
    'answers to requests in plain and accented English for differences across groups."\n\n'
    '[aspects.competencies]\nstatus = "in_progress"\nstatement = "Support staff get a '
    'one-hour training on the limits of the chatbot and how to take over."\n'
    "due = 2026-06-30\n\n"
    '[aspects.participation]\nstatus = "implemented"\nstatement = "Visitors can rate each '
    'answer and ask for a human; the support team reviews ratings monthly."\n'
    'evidence = ["docs/feedback.md"]\n\n'
    '[aspects.transparency]\nstatus = "implemented"\nstatement = "We use the smallest model '
    'that works and cache frequent answers to save energy and compute."\nmeasures = ["Cache"]\n\n'
    '[aspects.sustainability]\nstatus = "implemented"\nstatement = "Each month the model '
    'answers about ten thousand short questions from shop visitors."\nmeasures = ["Monitoring"]\n\n'
    '[aspects.commitment]\nstatus = "implemented"\nstatement = "The head of support is '
    'accountable and reviews this manifest every six months; CI runs kigate."\n'
    'owner = "head@example.org"\nmeasures = ["kigate in CI"]\n'
)


def substance_report(make_repo: MakeRepo) -> Report:
    files = {
        "requirements.txt": "openai\n",
        "ai-values.toml": SUBSTANCE,
        "docs/feedback.md": "# Feedback\n\n<!-- TODO -->\n",
    }
    report = engine.check(engine.CheckRequest(make_repo(files), policy.load(), today=TODAY)).report
    return dataclasses.replace(
        report, repo=fixed_report().repo, generated_at="2026-11-30T05:00:00Z"
    )


def test_substance_findings_one_per_problem(make_repo: MakeRepo) -> None:
    report = substance_report(make_repo)
    # a copy is reported once, as a copy: no more advice for an aspect not answered yet
    assert [(f.rule, f.aspect) for f in report.findings] == [
        ("KG114", "values"),
        ("KG114", "risks"),
        ("KG116", "non_discrimination"),
        ("KG116", "competencies"),
        ("KG117", "participation"),
        ("KG119", "transparency"),
        ("KG118", "sustainability"),
    ]


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("json", "json"), ("sarif", "sarif")])
def test_substance_findings_whole_output(
    make_repo: MakeRepo, lang: str, fmt: str, suffix: str
) -> None:
    output = renderer(fmt)(substance_report(make_repo), RenderOptions(lang=lang))
    if fmt == "sarif":
        assert_valid_sarif(output)
    assert_golden(f"verdict.{lang}.{fmt}.{suffix}", output)
