"""Policies: built-ins, extends with single-value overrides, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from kigate import policy
from kigate.errors import PolicyError
from kigate.model import Scope, Severity

EIGHT = (
    "values",
    "risks",
    "non_discrimination",
    "competencies",
    "participation",
    "transparency",
    "sustainability",
    "commitment",
)


def test_default_policy_has_the_eight_aspects_in_order() -> None:
    loaded = policy.load()
    assert loaded.id == "demokratische-ki"
    assert tuple(a.id for a in loaded.aspects) == EIGHT
    for aspect in loaded.aspects:
        assert aspect.title.de and aspect.title.en and aspect.title.de != aspect.title.en
        assert 3 <= len(aspect.questions_de) <= 5
        assert len(aspect.questions_en) == len(aspect.questions_de)
        assert {k for k, _ in aspect.frameworks} == {"eu_ai_act", "iso_42001", "nist_ai_rmf"}
    assert loaded.aspect("Werte_Definieren") is loaded.aspects[0]
    assert "folgt" in loaded.placeholders and "todo" in loaded.placeholders


def test_d64_extends_the_default_and_shares_ids() -> None:
    d64 = policy.load("d64")
    ids = [a.id for a in d64.aspects]
    assert "values" not in ids
    assert ids[-1] == "human_centredness"
    assert set(ids) - {"human_centredness"} == set(EIGHT) - {"values"}
    assert d64.chain == ("d64", "demokratische-ki")
    assert d64.aspect("risks") is not None
    assert d64.aspect("risks").title.de == "Abwägung der Nutzung"  # type: ignore[union-attr]
    assert "values" in d64.dropped_aspects


def test_an_organisation_policy_overrides_single_values(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\nreview_max_days = 90\n'
        '[severity]\nKG112 = "error"\n[severity.development]\nKG100 = "off"\n'
        '[[aspects]]\nid = "values"\nmin_words = 30\n',
        encoding="utf-8",
    )
    acme = policy.load(str(path))
    assert acme.id == "acme"
    assert acme.review_max_days == 90
    assert acme.severity("KG112") is Severity.ERROR
    assert acme.severity("KG100", Scope.DEVELOPMENT) is None
    assert acme.severity("KG100", Scope.PRODUCT) is Severity.ERROR
    values = acme.aspect("values")
    assert values is not None and values.min_words == 30
    assert values.title.en == "Define values"  # inherited untouched
    assert len(acme.aspects) == 8


def test_validate_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nid = "acme"\ncolour = "blue"\n\n'
        '[severity]\nKG100 = "fatal"\nKG999 = "error"\n\n'
        '[[aspects]]\nid = "values"\naliases = ["risks"]\nrequired = ["status", "colour"]\n',
        encoding="utf-8",
    )
    problems = [(p.line, p.text.en) for p in policy.validate(str(path))]
    assert problems == [
        (4, "unknown key 'colour'; check its spelling against the policy format"),
        (7, "severity 'fatal' for KG100 is not one of error, warning, info, off"),
        (8, "unknown rule 'KG999' under [severity]; run 'kigate explain' for the list"),
        (
            13,
            "unknown field 'colour'; allowed are status, statement, measures, evidence, "
            "owner, justification, due",
        ),
        (2, "aspect id or alias 'risks' is used twice; ids and aliases must be unique"),
    ]


def test_validate_finds_cycles_in_extends(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('kigate-policy = 1\nextends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('kigate-policy = 1\nextends = "a.toml"\n', encoding="utf-8")
    problems = policy.validate(str(tmp_path / "a.toml"))
    assert len(problems) == 1
    assert problems[0].line == 2
    assert problems[0].text.en.startswith("policies extend each other in a cycle: ")
    with pytest.raises(PolicyError):
        policy.load(str(tmp_path / "a.toml"))


@pytest.mark.parametrize("name", ["demokratische-ki", "d64"])
def test_shipped_policies_are_valid(name: str) -> None:
    assert policy.validate(name) == []


def test_unknown_policy_is_a_policy_error() -> None:
    with pytest.raises(PolicyError) as info:
        policy.load("no-such-policy")
    assert "d64, demokratische-ki" in info.value.text.en
    assert "d64, demokratische-ki" in info.value.text.de


def test_malformed_policy_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("id = [", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        policy.load(str(path))
    assert info.value.path == str(path.resolve())
    assert info.value.text.en.startswith("the policy file is not valid TOML")
