"""Exact identities: purl ecosystem names, old ids as aliases, NuGet case, declared kinds,
modules several packages provide."""

from __future__ import annotations

from pathlib import Path

import pytest

from kigate import engine, policy
from kigate.detect import catalogue, detect, ids
from kigate.errors import PolicyError
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo

BUILTIN = engine.load_catalogue(policy.load())


@pytest.mark.parametrize(
    ("declared", "detected", "expected"),
    [
        ("crates:async-openai", (), ("cargo:async-openai", "cargo:async-openai")),
        (
            "go:github.com/tmc/langchaingo",
            (),
            ("golang:github.com/tmc/langchaingo", "golang:github.com/tmc/langchaingo"),
        ),
        ("cargo:async-openai", (), ("cargo:async-openai", None)),
        ("nuget:azure.ai.openai", ("nuget:Azure.AI.OpenAI",), ("nuget:Azure.AI.OpenAI", None)),
        ("nuget:azure.ai.openai", (), ("nuget:azure.ai.openai", None)),
        ("pypi:OpenAI", ("pypi:openai",), ("pypi:OpenAI", None)),
        ("gocode:x", (), ("gocode:x", None)),
    ],
)
def test_declared_ids_resolve_to_the_detected_one(
    declared: str, detected: tuple[str, ...], expected: tuple[str, str | None]
) -> None:
    assert ids.canonical(BUILTIN, declared, detected) == expected


def test_exact_aliases_win_over_ecosystem_aliases() -> None:
    table = {"cloud:azure-cognitive": "cloud:azure-ai-services", "crates:": "cargo:"}
    assert ids.renamed(table, "cloud:azure-cognitive") == "cloud:azure-ai-services"
    assert ids.renamed(table, "crates:x") == "cargo:x"
    assert ids.renamed(table, "cloud:other") is None


def _load(tmp_path: Path, text: str) -> catalogue.Catalogue:
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    return catalogue.load(["c.toml"], tmp_path)


def test_an_old_ecosystem_name_in_a_catalogue_still_loads(tmp_path: Path) -> None:
    cat = _load(
        tmp_path,
        'kigate-signals = 1\necosystem = "crates"\n[[match]]\nnames = ["Acme_LLM"]\n'
        '[aliases]\n"crates:acme-old" = "cargo:acme-llm"\n',
    )
    assert cat.signals[0].ecosystem == "cargo"
    assert cat.match("cargo", "acme-llm") is not None
    assert cat.aliases() == {"crates:acme-old": "cargo:acme-llm"}


@pytest.mark.parametrize(
    "text",
    ['[aliases]\nx = "cargo:y"\n', '[aliases]\n"crates:" = 3\n', "aliases = 1\n"],
)
def test_a_bad_alias_table_is_one_sentence(tmp_path: Path, text: str) -> None:
    with pytest.raises(PolicyError) as caught:
        _load(tmp_path, 'kigate-signals = 1\necosystem = "pypi"\n' + text)
    assert caught.value.text.en.startswith(
        "'aliases' in the signal catalogue must be a table of component ids"
    )


def test_kinds_pick_the_rule_and_imports_may_list_alternatives(tmp_path: Path) -> None:
    cat = _load(
        tmp_path,
        'kigate-signals = 1\necosystem = "cloud"\n'
        '[[match]]\ncomponent = "a"\nnames = ["acct"]\nkinds = ["OpenAI"]\n'
        '[[match]]\ncomponent = "b"\nnames = ["acct"]\n'
        '[imports]\nm = ["first", "second"]\n',
    )
    assert [
        r.component
        for r in (
            cat.match("cloud", "acct", "openai"),
            cat.match("cloud", "acct", "Face"),
            cat.match("cloud", "acct"),
        )
    ] == ["a", "b", "b"]
    assert cat.imports("cloud") == {"m": "first"}
    assert cat.alternatives("cloud") == {"first": ("second",)}


def test_a_declared_alternative_takes_the_import(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "requirements.txt": "faiss-gpu==1.7.2\n",
            "index.py": "import faiss\n",
            "other/search.py": "import pinecone\n",
        }
    )
    components, _ = detect(WorkTree(repo), BUILTIN)
    assert [(c.id, [(e.path, e.line) for e in c.evidence]) for c in components] == [
        ("pypi:faiss-gpu", [("requirements.txt", 1), ("index.py", 1)]),
        ("pypi:pinecone", [("other/search.py", 1)]),
    ]


def test_a_manifest_may_name_old_ids_and_any_nuget_case(make_repo: MakeRepo, run_cli) -> None:
    from tests.conftest import complete_manifest

    manifest = complete_manifest().replace(
        '[[components]]\nid = "pypi:openai"',
        '[[components]]\nid = "crates:async-openai"\npurpose = "Drafts replies"\n\n'
        '[[components]]\nid = "nuget:azure.ai.openai"\npurpose = "Drafts replies"\n\n'
        '[[components]]\nid = "go:github.com/gone/away"\npurpose = "Gone"\n\n'
        '[[components]]\nid = "pypi:openai"',
    )
    repo = make_repo(
        {
            "ai-values.toml": manifest,
            "app.py": "import openai\n",
            "Cargo.toml": '[package]\nname = "x"\n[dependencies]\nasync-openai = "0.23"\n',
            "Api.csproj": (
                '<Project><ItemGroup><PackageReference Include="Azure.AI.OpenAI" />'
                "</ItemGroup></Project>\n"
            ),
        }
    )
    result = run_cli("check", str(repo), "--no-cache")
    assert result.stderr == (
        "kigate: note: ai-values.toml:10: component id 'crates:async-openai' is now "
        "'cargo:async-openai'; the old id is still accepted, write 'cargo:async-openai' in "
        "the manifest\n"
        "kigate: note: ai-values.toml:18: component id 'go:github.com/gone/away' is now "
        "'golang:github.com/gone/away'; the old id is still accepted, write "
        "'golang:github.com/gone/away' in the manifest\n"
    )
    assert "KG140" not in result.output
    assert [line for line in result.output.splitlines() if "KG141" in line] == [
        "ai-values.toml:18: KG141 info declared component go:github.com/gone/away is no "
        "longer found in the repository; remove it or check detection"
    ]


def test_rename_notes_name_the_new_id() -> None:
    notes = ids.rename_notes(
        [("ai-values.toml", 12, "crates:ort"), ("ai-values.toml", 15, "pypi:openai")]
    )
    assert [n.en for n in notes] == [
        "ai-values.toml:12: component id 'crates:ort' is now 'cargo:ort'; the old id is still "
        "accepted, write 'cargo:ort' in the manifest"
    ]
    assert notes[0].de.startswith("ai-values.toml:12: Komponenten-ID 'crates:ort' heißt jetzt")
