"""The rules, driven through real repositories and the core API."""

from __future__ import annotations

import datetime as dt

import pytest

from kigate import engine, policy
from kigate.model import AspectStatus, Report, Severity
from tests.conftest import MakeRepo, complete_manifest, example_files

TODAY = dt.date(2026, 11, 30)
POLICY = policy.load()


def run(repo, today: dt.date = TODAY) -> Report:  # type: ignore[no-untyped-def]
    return engine.check(engine.CheckRequest(repo, POLICY, today=today)).report


def rules_of(report: Report) -> list[tuple[str, str | None, int | None]]:
    return [(f.rule, f.path, f.line) for f in report.findings]


def with_manifest(make_repo: MakeRepo, text: str, **extra: str):  # type: ignore[no-untyped-def]
    files = example_files("complete", TODAY)
    files["ai-values.toml"] = text
    files.update(extra)
    return make_repo(files)


def test_complete_manifest_covers_everything(make_repo: MakeRepo) -> None:
    report = run(with_manifest(make_repo, complete_manifest(TODAY)))
    assert report.findings == ()
    assert report.aspects_covered == 8
    assert report.score == 100
    assert [c.id for c in report.components] == ["pypi:openai"]


def test_removing_one_aspect_gives_exactly_one_kg110(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY)
    start = text.index("[aspects.participation]")
    end = text.index("[aspects.transparency]")
    report = run(with_manifest(make_repo, text[:start] + text[end:]))
    assert [(f.rule, f.aspect) for f in report.findings] == [("KG110", "participation")]
    assert report.findings[0].severity is Severity.ERROR
    assert report.fails("error")
    status = {a.id: a.status for a in report.aspects}
    assert status["participation"] is AspectStatus.MISSING
    assert report.aspects_covered == 7


def test_todo_statement_is_a_placeholder(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace(
        'statement = "Every e-mail footer says that the reply was drafted with AI support and '
        'checked by a named person before it was sent."',
        'statement = "TODO"',
    )
    report = run(with_manifest(make_repo, text))
    assert [(f.rule, f.aspect, f.line) for f in report.findings] == [("KG112", "transparency", 39)]
    # issue 11: a placeholder is no answer, so the aspect is not covered and the gate fails
    assert report.fails("error") and report.aspects_covered == 7


@pytest.mark.parametrize(
    "statement",
    ["TBD", "n/a", "-", "…", "folgt", "Offen.", "lorem ipsum dolor sit amet", "TODO: write it"],
)
def test_placeholder_words_in_both_languages(make_repo: MakeRepo, statement: str) -> None:
    text = complete_manifest(TODAY).replace(
        'statement = "We use the smallest model',
        f'statement = "{statement}"\nold = "We use the smallest model',
    )
    report = run(with_manifest(make_repo, text))
    assert ("KG112", "sustainability") in [(f.rule, f.aspect) for f in report.findings]


def test_short_statement_is_reported_with_its_word_count(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace(
        'statement = "We use the smallest model that passed our quality review, cap the length '
        'of drafts, and do not fine-tune or train any model ourselves."',
        'statement = "Small model."',
    )
    report = run(with_manifest(make_repo, text))
    assert [f.message.en for f in report.findings] == [
        "aspect 'sustainability': the statement has 2 words, the policy asks for at least 8"
    ]


def test_not_applicable_without_justification(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace(
        '[aspects.sustainability]\nstatus = "implemented"',
        '[aspects.sustainability]\nstatus = "not_applicable"',
    )
    report = run(with_manifest(make_repo, text))
    assert [(f.rule, f.aspect) for f in report.findings] == [("KG113", "sustainability")]
    justified = text.replace(
        'status = "not_applicable"',
        'status = "not_applicable"\njustification = "No model is trained or hosted by us."',
    )
    report = run(with_manifest(make_repo, justified))
    assert report.findings == ()
    assert {a.id: a.status for a in report.aspects}["sustainability"] is (
        AspectStatus.NOT_APPLICABLE
    )


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ("../../etc/passwd", "points outside the repository"),
        ("/etc/passwd", "points outside the repository"),
        ("docs/ai/missing.md", "does not exist in the repository"),
    ],
)
def test_evidence_paths_must_exist_inside_the_repository(
    make_repo: MakeRepo, evidence: str, message: str
) -> None:
    text = complete_manifest(TODAY).replace(
        'evidence = ["docs/ai/bias-tests.md"]', f'evidence = ["{evidence}"]'
    )
    report = run(with_manifest(make_repo, text))
    assert [(f.rule, f.line) for f in report.findings] == [("KG120", 27)]
    assert report.findings[0].message.en.endswith(message)


def test_evidence_urls_are_taken_as_given(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace(
        'evidence = ["docs/ai/bias-tests.md"]', 'evidence = ["https://wiki.example.org/bias"]'
    )
    assert run(with_manifest(make_repo, text)).findings == ()


def test_evidence_symlink_out_of_the_repository(make_repo: MakeRepo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "secret.md"
    outside.write_text("outside", encoding="utf-8")
    repo = with_manifest(
        make_repo,
        complete_manifest(TODAY).replace(
            'evidence = ["docs/ai/bias-tests.md"]', 'evidence = ["docs/link.md"]'
        ),
    )
    (repo / "docs" / "link.md").symlink_to(outside)
    report = run(repo)
    assert [f.rule for f in report.findings] == ["KG120"]


def test_review_two_years_ago_is_overdue(make_repo: MakeRepo) -> None:
    old = TODAY.replace(year=TODAY.year - 2)
    report = run(with_manifest(make_repo, complete_manifest(old)))
    assert [(f.rule, f.line) for f in report.findings] == [("KG130", 7)]
    assert report.findings[0].message.en == (
        f"last review on {old.isoformat()} was 730 days ago; the policy asks for a review at "
        "least every 365 days"
    )


def test_ai_without_manifest(make_repo: MakeRepo) -> None:
    repo = make_repo({"requirements.txt": "requests\nOpenAI[datalib]>=1.0 ; python_version>'3'\n"})
    report = run(repo)
    assert rules_of(report) == [("KG100", "requirements.txt", 2)]
    assert report.aspects_covered == 0 and len(report.aspects) == 8
    assert report.score == 0


def test_no_ai_no_manifest_passes(make_repo: MakeRepo) -> None:
    report = run(make_repo(example_files("no-ai")))
    assert report.findings == () and report.components == () and report.aspects == ()
    assert report.score == 100


def test_undeclared_and_vanished_components(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace('id = "pypi:openai"', 'id = "pypi:anthropic"')
    report = run(with_manifest(make_repo, text))
    assert [(f.rule, f.path, f.component) for f in report.findings] == [
        ("KG141", "ai-values.toml", "pypi:anthropic"),
        ("KG140", "requirements.txt", "pypi:openai"),
    ]
    assert report.findings[1].severity is Severity.WARNING
    assert report.findings[0].severity is Severity.INFO


def test_monorepo_nearest_manifest_covers_its_package(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "packages/bot/requirements.txt": "anthropic\n",
            "packages/bot/ai-values.toml": complete_manifest(TODAY)
            .replace("pypi:openai", "pypi:anthropic")
            .replace("docs/ai/", "../../docs/ai/"),
            "packages/web/requirements.txt": "openai\n",
            "docs/ai/risk-assessment.md": "x",
            "docs/ai/bias-tests.md": "x",
        }
    )
    report = run(repo)
    assert rules_of(report) == [("KG100", "packages/web/requirements.txt", 1)]


def test_waivers_silence_matching_findings_until_they_expire(make_repo: MakeRepo) -> None:
    old = TODAY.replace(year=TODAY.year - 2)
    waiver = (
        '\n[[waivers]]\nrule = "KG130"\nreason = "Review at the next board meeting"\n'
        f'expires = {(TODAY + dt.timedelta(days=30)).isoformat()}\napproved_by = "board"\n'
    )
    report = run(with_manifest(make_repo, complete_manifest(old) + waiver))
    assert [(f.rule, f.waived) for f in report.findings] == [("KG130", True)]
    assert not report.fails("warning")
    expired = waiver.replace(
        (TODAY + dt.timedelta(days=30)).isoformat(), (TODAY - dt.timedelta(days=1)).isoformat()
    )
    report = run(with_manifest(make_repo, complete_manifest(old) + expired))
    assert [(f.rule, f.waived) for f in report.findings] == [("KG130", False), ("KG150", False)]


def test_waiver_without_reason_or_expiry(make_repo: MakeRepo) -> None:
    waiver = '\n[[waivers]]\nrule = "KG999"\n'
    report = run(with_manifest(make_repo, complete_manifest(TODAY) + waiver))
    assert [f.message.en for f in report.findings] == [
        "waiver for KG999: 'KG999' is not a kigate rule",
        "waiver for KG999: it gives no reason",
        "waiver for KG999: it has no 'expires' date; waivers are time-boxed",
    ]


def test_german_aliases_are_accepted_as_aspect_keys(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace("[aspects.values]", "[aspects.werte_definieren]")
    text = text.replace("[aspects.participation]", "[aspects.teilhabe]")
    assert run(with_manifest(make_repo, text)).findings == ()


def test_system_fields_are_required(make_repo: MakeRepo) -> None:
    text = complete_manifest(TODAY).replace('owner = "ai-board@example.org"\nlast', "last")
    report = run(with_manifest(make_repo, text))
    assert [(f.rule, f.line, f.message.en) for f in report.findings] == [
        ("KG111", 3, "[system] lacks the required field 'owner'")
    ]
