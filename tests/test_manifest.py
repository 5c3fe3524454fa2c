"""Reading ai-values.toml: every problem becomes a finding with a place, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kigate import manifest, policy
from tests.conftest import MakeRepo, complete_manifest

POLICY = policy.load()


def problems(data: bytes | None) -> list[tuple[str, int, int | None, str]]:
    parsed = manifest.parse("ai-values.toml", data, POLICY)
    return [(p.rule, p.line, p.column, p.text.en) for p in parsed.problems]


def test_complete_manifest_parses_without_problems() -> None:
    parsed = manifest.parse("ai-values.toml", complete_manifest().encode(), POLICY)
    assert parsed.valid and parsed.problems == ()
    assert parsed.system.name == "Support assistant"
    assert [c.id for c in parsed.components] == ["pypi:openai"]
    assert len(parsed.aspects) == 8
    values = parsed.aspect("values")
    assert values is not None and values.line == 14 and values.line_of("statement") == 16


def test_malformed_toml_gives_line_and_column() -> None:
    assert problems(b'kigate = 1\n[system]\nname = "unterminated\n') == [
        ("KG101", 3, 21, "the manifest is not valid TOML: Illegal character '\\n'")
    ]


def test_duplicate_keys_are_a_toml_error() -> None:
    found = problems(b'kigate = 1\n[system]\nname = "a"\nname = "b"\n')
    assert [(rule, line) for rule, line, _, _ in found] == [("KG101", 4)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "the manifest is not a readable file"),
        (b"", "the manifest is empty; run 'kigate init' to write a skeleton"),
        (b"   \n\n", "the manifest is empty; run 'kigate init' to write a skeleton"),
        (b"kigate = 1\n\x00\x01binary", "the manifest contains NUL bytes; it must be UTF-8 text"),
        ("kigate = 1\nname = 'Müller'\n".encode("latin-1"), "the manifest is not valid UTF-8"),
        (b"kigate = 1\n" + b"#" * (2 << 20), "the manifest is larger than 1024 KiB"),
        (
            b"kigate = 1\n<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> other\n",
            "the manifest contains merge conflict markers; resolve the conflict first",
        ),
    ],
)
def test_unreadable_manifests_are_kg101(data: bytes | None, message: str) -> None:
    found = problems(data)
    assert len(found) == 1
    assert found[0][0] == "KG101"
    assert found[0][3].startswith(message)


def test_wrong_types_and_unknown_keys_have_lines() -> None:
    text = (
        "kigate = 1\n"
        "colour = 'x'\n"
        "[system]\n"
        "name = 'x'\n"
        "last_reviewed = '2026-01-01'\n"
        "[aspects.values]\n"
        "status = 3\n"
        "evidence = 'docs/x.md'\n"
        "statment = 'typo'\n"
        "[aspects.valeus]\n"
        "status = 'implemented'\n"
        "[aspects.risks]\n"
        "status = 'done'\n"
    )
    assert [(r, line, m) for r, line, _, m in problems(text.encode())] == [
        (
            "KG102",
            2,
            "unknown key 'colour' is ignored; known keys here: kigate, system, "
            "components, aspects, waivers",
        ),
        ("KG101", 5, "'system.last_reviewed' must be a TOML date such as 2026-09-15 (no quotes)"),
        ("KG101", 7, "'aspects.values.status' must be a string in quotes"),
        ("KG101", 8, "'aspects.values.evidence' must be a list of strings, e.g. [\"...\"]"),
        (
            "KG102",
            9,
            "unknown key 'aspects.values.statment' is ignored; known keys here: "
            "status, statement, measures, evidence, owner, justification, due "
            "(did you mean 'statement'?)",
        ),
        (
            "KG102",
            10,
            "unknown aspect 'valeus' is ignored; the policy's aspects are: values, "
            "risks, non_discrimination, competencies, participation, transparency, "
            "sustainability, commitment (did you mean 'values'?)",
        ),
        (
            "KG101",
            13,
            "'aspects.risks.status' is 'done', which is not one of implemented, "
            "in_progress, planned, not_applicable (did you mean 'implemented'?)",
        ),
    ]


def test_format_version_is_required() -> None:
    assert problems(b"[system]\nname = 'x'\n")[0][3] == (
        "the manifest lacks 'kigate = 1' (the format version) at the top"
    )
    assert problems(b"kigate = 2\n")[0][1:] == (
        1,
        None,
        "manifest format version 2 is not supported; this kigate reads 'kigate = 1'",
    )


def test_alias_and_id_for_the_same_aspect() -> None:
    found = problems(b"kigate = 1\n[aspects.values]\nstatus='planned'\n[aspects.werte]\n")
    assert found == [
        ("KG101", 4, None, "aspect 'werte' repeats 'values' (both mean 'values'); keep one")
    ]


def test_windows_line_endings_and_bom() -> None:
    text = "\ufeff" + complete_manifest().replace("\n", "\r\n")
    parsed = manifest.parse("ai-values.toml", text.encode("utf-8"), POLICY)
    assert parsed.problems == ()
    assert parsed.aspect("values").line == 14  # type: ignore[union-attr]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda s: s.encode("utf-8")))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    parsed = manifest.parse("ai-values.toml", data, POLICY)
    assert all(p.rule in ("KG101", "KG102") for p in parsed.problems)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_manifests_never_raise(data: st.DataObject) -> None:
    text = complete_manifest()
    cut = data.draw(st.integers(min_value=0, max_value=len(text)))
    insert = data.draw(st.sampled_from(["", "=", "[", "]", '"', "\n[aspects.x]\n", "3", "'''"]))
    mutated = text[:cut] + insert + text[cut + data.draw(st.integers(0, 5)) :]
    parsed = manifest.parse("ai-values.toml", mutated.encode(), POLICY)
    for problem in parsed.problems:
        assert problem.line >= 1


def test_manifest_as_directory_or_broken_link(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"requirements.txt": "openai\n"}, commit=False)
    (repo / "ai-values.toml").mkdir()
    (repo / "ai-values.toml" / "x").write_text("x", encoding="utf-8")
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    assert "KG100" in result.output  # a directory is not a manifest
    os.rename(repo / "ai-values.toml", repo / "gone")
    (repo / "ai-values.toml").symlink_to(repo / "missing-target.toml")
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    assert "ai-values.toml:1: KG101 error the manifest is not a readable file" in result.output


def test_huge_manifest_is_refused_quickly(make_repo: MakeRepo, run_cli) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"requirements.txt": "openai\n"}, commit=False)
    with open(repo / "ai-values.toml", "wb") as handle:
        handle.write(b"kigate = 1\n")
        handle.write(b"# padding\n" * (5 << 20))  # 50 MB
    before = (repo / "ai-values.toml").stat()
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    assert "the manifest is larger than 1024 KiB" in result.output
    after = Path(repo / "ai-values.toml").stat()
    assert (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
