"""The text classes behind the substance rules, one behaviour per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kigate import engine, policy
from kigate.model import Report
from kigate.rules import wording
from kigate.rules.base import is_placeholder
from tests.conftest import MakeRepo, complete_manifest, example_files

TODAY = dt.date(2026, 11, 30)
POLICY = policy.load()


def check(
    make_repo: MakeRepo, text: str, the_policy: policy.Policy = POLICY, **extra: str
) -> Report:
    files = example_files("complete", TODAY)
    files["ai-values.toml"] = text
    files.update(extra)
    return engine.check(engine.CheckRequest(make_repo(files), the_policy, today=TODAY)).report


def replace_statement(aspect: str, new: str) -> str:
    text = complete_manifest(TODAY)
    start = text.index(f"[aspects.{aspect}]")
    line_start = text.index("statement = ", start)
    line_end = text.index("\n", line_start)
    return text[:line_start] + f"statement = {new!r}".replace("'", '"') + text[line_end:]


@pytest.mark.parametrize(
    "text",
    [
        "Die Freigabe folgt dem Vier-Augen-Prinzip, und offen bleibt nichts.",
        "Our todo list for the assistant is reviewed by the board each month.",
        "We never show placeholder text to customers in any generated reply.",
    ],
)
def test_placeholder_words_inside_a_sentence_are_ordinary_words(text: str) -> None:
    assert not is_placeholder(text, POLICY)


@pytest.mark.parametrize(
    "text",
    ["TODO", "todo: describe this", "Wir prüfen das (TBD).", "<placeholder>", "[Platzhalter]",
     "Lorem ipsum dolor sit amet", "  folgt. ", "FIXME later"],
)  # fmt: skip
def test_placeholders_where_they_mark_a_gap(text: str) -> None:
    assert is_placeholder(text, POLICY)


def test_folding_treats_umlauts_and_their_spellings_alike() -> None:
    assert wording.fold_word("Modellgröße") == wording.fold_word("Modellgroesse")
    assert wording.fold_word("Überprüfung") == wording.fold_word("Ueberpruefung")
    topics = wording.Topics(["energie", "co2", "rechenzeit", "modellgröße"])
    found = topics.hits(wording.words("Stromverbrauch, Rechenzeiten, CO2 und die Modellgroesse"))
    assert found == {"co2", "rechenzeit", "modellgrosse"}
    assert not wording.Topics(["co2"]).hits(wording.words("co2neutral"))  # short: whole word


def test_similarity_is_high_for_copies_and_low_for_different_answers() -> None:
    a = wording.shingles(wording.words("We care deeply about doing the right thing always."))
    b = wording.shingles(wording.words("We care deeply about doing the right thing, always!"))
    c = wording.shingles(wording.words("Agents take a two-hour training on model limits."))
    assert wording.jaccard(a, b) == 1.0
    assert wording.jaccard(a, c) == 0.0


def test_only_questions_and_echoes_are_no_answers(make_repo: MakeRepo) -> None:
    questions = replace_statement(
        "participation", "How are staff involved? Who reads the feedback? What changes then?"
    )
    report = check(make_repo, questions)
    assert [(f.rule, f.message.en) for f in report.findings] == [
        ("KG112", "aspect 'participation': 'statement' only asks questions, it answers none")
    ]
    echo = replace_statement(
        "participation",
        "We enable participation: staff, works council or affected people are involved in the "
        "decision and can give feedback or object.",
    )
    report = check(make_repo, echo)
    assert [f.rule for f in report.findings] == ["KG112"]
    assert "only repeats the aspect's title or questions" in report.findings[0].message.en
    assert report.aspects_covered == 7


def test_near_copies_are_named_with_their_likeness(make_repo: MakeRepo) -> None:
    text = replace_statement(
        "transparency",
        "Agents can flag any draft with one click; the flags are discussed monthly with the "
        "team, and customers can object by replying to any mail.",
    )
    report = check(make_repo, text)
    messages = [f.message.en for f in report.findings if f.rule == "KG114"]
    assert messages == [
        "aspects 'participation' and 'transparency' give the same answer (88% alike); write "
        "each aspect's own answer",
        "aspects 'transparency' and 'participation' give the same answer (88% alike); write "
        "each aspect's own answer",
    ]
    assert report.aspects_covered == 6


def test_the_threshold_is_policy_data(make_repo: MakeRepo, tmp_path: Path) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "strict"\n'
        "similarity_threshold = 0.9\n",
        "utf-8",
    )
    text = replace_statement(
        "transparency",
        "Agents can flag any draft with one click; the flags are discussed monthly with the "
        "team, and customers can object by replying to any mail.",
    )
    report = check(make_repo, text, policy.load(str(strict)))
    assert [f.rule for f in report.findings if f.rule == "KG114"] == []


@pytest.mark.parametrize(
    ("content", "empty"),
    [
        (b"", True),
        (b"# Bias tests\n\n", True),
        (b"---\ntitle: x\n---\n# Bias tests\n<!-- to be written -->\n", True),
        (b"Bias tests\n==========\n\nTODO\n", True),
        (b"# Bias tests\n\nQuarterly, 200 requests compared for tone.\n", False),
        (b"%PDF-1.7\x00\x01binary", False),
    ],
)
def test_evidence_that_says_nothing(make_repo: MakeRepo, content: bytes, empty: bool) -> None:
    report = check(make_repo, complete_manifest(TODAY), **{"docs/ai/bias-tests.md": content})  # type: ignore[arg-type]
    rules = [f.rule for f in report.findings]
    assert rules == (["KG117"] if empty else [])
    assert report.aspects_covered == 8


def test_an_aspect_without_terms_gets_a_note(make_repo: MakeRepo, tmp_path: Path) -> None:
    extra = tmp_path / "acme.toml"
    extra.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\n\n'
        '[[aspects]]\nid = "security"\ntitle = { de = "Sicherheit", en = "Security" }\n'
        'questions.de = ["Wie schützt ihr das System?"]\n'
        'questions.en = ["How do you protect the system?"]\n',
        "utf-8",
    )
    text = complete_manifest(TODAY) + (
        '\n[aspects.security]\nstatus = "implemented"\nstatement = "Only the support backend '
        'can call the model, with a key kept in the vault and rotated monthly."\n'
        'measures = ["Key rotation"]\n'
    )
    report = check(make_repo, text, policy.load(str(extra)))
    assert [(f.rule, f.severity.value, f.message.en) for f in report.findings] == [
        (
            "KG118",
            "info",
            "aspect 'security' has no topic terms in the policy, so its answers cannot be "
            "checked for topic",
        )
    ]


def test_an_extending_policy_adds_topic_terms(make_repo: MakeRepo, tmp_path: Path) -> None:
    extra = tmp_path / "acme.toml"
    extra.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\n\n'
        '[[aspects]]\nid = "sustainability"\nterms.en = ["tokens per euro"]\n',
        "utf-8",
    )
    extended = policy.load(str(extra)).aspect("sustainability")
    base = POLICY.aspect("sustainability")
    assert extended is not None and base is not None
    assert extended.terms_en == (*base.terms_en, "tokens per euro")
    assert extended.terms_de == base.terms_de
