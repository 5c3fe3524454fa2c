"""``kigate frameworks``: the policy's crosswalk, with the state of the answering aspects."""

from __future__ import annotations

import json

import pytest

from kigate import frameworks, policy
from kigate.model import AspectResult, AspectStatus
from tests.conftest import MakeRepo, complete_manifest, example_files
from tests.formats_support import assert_golden
from tests.signoff_support import RunCli


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(
    ("name", "suffix"), [("text", "txt"), ("markdown", "md"), ("json", "json")]
)
def test_crosswalk_of_the_complete_example(
    make_repo: MakeRepo, run_cli: RunCli, lang: str, name: str, suffix: str
) -> None:
    root = make_repo(example_files("complete"))
    result = run_cli("frameworks", "--format", name, "--lang", lang, str(root))
    assert result.exit_code == 0
    assert_golden(f"frameworks.complete.{lang}.{suffix}", result.stdout)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "  Art. 4         covered    Build competencies [competencies]: covered"),
        ("de", "  Art. 4         erfüllt    Kompetenzen aufbauen [competencies]: erfüllt"),
    ],
)
def test_art_4_is_answered_by_competencies(
    make_repo: MakeRepo, run_cli: RunCli, lang: str, line: str
) -> None:
    root = make_repo(example_files("complete"))
    output = run_cli("frameworks", "--lang", lang, str(root)).stdout.splitlines()
    assert output[3:5] == [{"en": "EU AI Act", "de": "EU AI Act"}[lang], line]


def test_states_follow_the_check(make_repo: MakeRepo, run_cli: RunCli) -> None:
    text = complete_manifest()
    start = text.index("[aspects.participation]")
    text = text[:start] + text[text.index("[aspects.transparency]") :]  # participation missing
    text = text.replace(
        '[aspects.competencies]\nstatus = "implemented"',
        '[aspects.competencies]\nstatus = "in_progress"\ndue = 2099-01-31',
    )
    root = make_repo({**example_files("complete"), "ai-values.toml": text})
    doc = json.loads(run_cli("frameworks", "--format", "json", str(root)).stdout)
    (eu,) = [f for f in doc["frameworks"] if f["id"] == "eu_ai_act"]
    states = {r["ref"]: r["state"] for r in eu["references"]}
    assert states["Art. 26(7)"] == "missing"
    assert states["Art. 4"] == "partial"
    assert states["Art. 13"] == "covered"
    assert doc["disclaimer"].endswith("is an orientation, not legal advice.")


def test_several_aspects_answer_one_reference() -> None:
    d64 = policy.load("d64")
    status = {"non_discrimination": AspectStatus.COVERED, "human_centredness": AspectStatus.MISSING}
    walk = frameworks.build(
        d64, [AspectResult(k, d64.aspect(k).title, v) for k, v in status.items()]
    )  # type: ignore[union-attr]
    (eu,) = [f for f in walk.frameworks if f.id == "eu_ai_act"]
    (ref,) = [r for r in eu.references if r.ref == "Art. 95(2)(e)"]
    assert [a.aspect for a in ref.answers] == ["non_discrimination", "human_centredness"]
    assert ref.state == "partial"


def test_a_policy_without_mapping_says_so(tmp_path, make_repo: MakeRepo, run_cli: RunCli) -> None:
    bare = tmp_path / "bare.toml"
    bare.write_text(
        'kigate-policy = 1\nid = "bare"\nversion = "1"\n[[aspects]]\nid = "values"\n',
        encoding="utf-8",
    )
    root = make_repo({"README.md": "x\n"})
    result = run_cli("frameworks", "--policy", str(bare), str(root))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "The policy maps no aspect to a framework."


def test_bad_path_is_one_sentence(run_cli: RunCli, tmp_path) -> None:
    result = run_cli("frameworks", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.output.startswith("kigate: ") and result.output.count("\n") == 1
