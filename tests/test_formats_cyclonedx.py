"""CycloneDX 1.6: the AI inventory as a BOM, validated by cyclonedx-python-lib's own validator."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from kigate.formats import RenderOptions, renderer, scan_renderer
from kigate.formats.cyclonedx import kind, purl
from kigate.model import Component, Scope
from tests.conftest import MakeRepo, example_files
from tests.formats_support import COMPONENTS, fixed_report


def assert_valid_bom(text: str) -> dict[str, Any]:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, error
    return json.loads(text)


def test_fixed_inventory_is_a_valid_bom() -> None:
    bom = assert_valid_bom(scan_renderer("cyclonedx")(fixed_report(), RenderOptions()))
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    assert bom["metadata"]["component"]["name"] == "shop"
    assert bom["metadata"]["tools"]["components"][0]["name"] == "kigate"
    assert bom["metadata"]["timestamp"].startswith("2026-11-30T05:00:00")
    types = {c["bom-ref"]: c["type"] for c in bom["components"]}
    assert types == {
        "pypi:openai": "library",
        "npm:@anthropic-ai/sdk": "library",
        "model:weights/clf.onnx": "machine-learning-model",
    }
    assert [s["bom-ref"] for s in bom["services"]] == ["service:api.openai.com"]
    openai = next(c for c in bom["components"] if c["bom-ref"] == "pypi:openai")
    assert openai["purl"] == "pkg:pypi/openai"
    assert openai["scope"] == "required"
    assert openai["evidence"]["occurrences"] == [
        {
            "location": "src/app dir/requirements ü.txt",
            "line": 2,
            "additionalContext": "dependency: openai",
        }
    ]
    [root] = [d for d in bom["dependencies"] if d["ref"] == "kigate:repository"]
    assert sorted(root["dependsOn"]) == sorted(c.id for c in COMPONENTS)


def test_same_run_same_serial_number() -> None:
    first = json.loads(renderer("cyclonedx")(fixed_report(), RenderOptions()))
    again = json.loads(renderer("cyclonedx")(fixed_report(), RenderOptions()))
    later = json.loads(
        renderer("cyclonedx")(fixed_report(generated_at="2026-12-01T00:00:00Z"), RenderOptions())
    )
    assert first["serialNumber"] == again["serialNumber"] != later["serialNumber"]


@pytest.mark.parametrize(
    ("component", "expected_kind", "expected_purl"),
    [
        (("npm:@anthropic-ai/sdk", "@anthropic-ai/sdk", "npm", "llm-api"), "library",
         "pkg:npm/%40anthropic-ai/sdk"),
        (("go:github.com/sashabaranov/go-openai", "github.com/sashabaranov/go-openai", "go",
          "llm-api"), "library", "pkg:golang/github.com/sashabaranov/go-openai"),
        (("maven:dev.langchain4j:langchain4j", "dev.langchain4j:langchain4j", "maven",
          "agent-framework"), "library", "pkg:maven/dev.langchain4j/langchain4j"),
        (("model:w/a.gguf", "w/a.gguf", "model", "model-artefact"), "machine-learning-model",
         None),
        (("pypi:\r", "\r", "pypi", "llm-api"), "library", None),
        (("crates:async-openai", "async-openai", "crates", "llm-api"), "library",
         "pkg:cargo/async-openai"),
        (("model:models/README.md", "models/README.md", "model", "model-card"),
         "machine-learning-model", None),
        (("cloud:aws-bedrock", "aws-bedrock", "cloud", "ai-service"), "service", None),
        (("docker:ollama/ollama", "ollama/ollama", "docker", "local-runtime"), "container",
         "pkg:docker/ollama/ollama"),
        (("assistant:AGENTS.md", "AGENTS.md", "assistant", "assistant-config"), "application",
         None),
        (("env:OPENAI_API_KEY", "OPENAI_API_KEY", "env", "ai-service"), "service", None),
    ],
)  # fmt: skip
def test_kind_and_purl(
    component: tuple[str, str, str, str], expected_kind: str, expected_purl: str | None
) -> None:
    comp = Component(*component, scope=Scope.PRODUCT, evidence=())
    assert kind(comp) == expected_kind
    found = purl(comp)
    assert (found.to_string() if found else None) == expected_purl


def test_scan_cli_writes_a_valid_bom(run_cli, make_repo: MakeRepo) -> None:
    repo = make_repo(example_files("incomplete"))
    result = run_cli("scan", str(repo), "--format", "cyclonedx")
    assert result.exit_code == 0
    bom = assert_valid_bom(result.stdout)
    assert {c["purl"] for c in bom["components"]} == {
        "pkg:pypi/langchain-openai",
        "pkg:pypi/scikit-learn",
    }


def test_missing_extra_is_one_sentence(
    run_cli, make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(example_files("complete"))
    # The import system's documented way to make a module unimportable.
    for name in [m for m in sys.modules if m == "cyclonedx" or m.startswith("cyclonedx.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "cyclonedx", None)
    result = run_cli("scan", str(repo), "--format", "cyclonedx")
    assert result.exit_code == 2
    assert result.stderr == (
        "kigate: the CycloneDX format needs the optional extra: pip install 'kigate[cyclonedx]'\n"
    )


def test_undecodable_repository_name_still_gives_a_valid_bom() -> None:
    from dataclasses import replace

    report = fixed_report()
    odd = replace(report, repo=replace(report.repo, root_name="shop\udcff"))
    bom = assert_valid_bom(scan_renderer("cyclonedx")(odd, RenderOptions()))
    assert bom["serialNumber"].startswith("urn:uuid:")
    assert (
        bom["serialNumber"]
        != assert_valid_bom(scan_renderer("cyclonedx")(report, RenderOptions()))["serialNumber"]
    )


def test_capabilities_are_properties_of_the_bom_not_components(
    run_cli, make_repo: MakeRepo
) -> None:
    """What the code can do (EU AI Act capabilities) describes the whole subject: a
    property of the BOM with its evidence, never a ``library`` component."""
    repo = make_repo({"app.py": "import deepface\n", "requirements.txt": "deepface\n"})
    result = run_cli("scan", str(repo), "--format", "cyclonedx")
    assert result.exit_code == 0
    bom = assert_valid_bom(result.stdout)
    assert [c["bom-ref"] for c in bom["components"]] == ["pypi:deepface"]
    properties = {p["name"]: p["value"] for p in bom["metadata"]["properties"]}
    assert set(properties) == {
        "kigate:capability:biometric-categorisation",
        "kigate:capability:biometric-identification",
        "kigate:capability:emotion-recognition",
    }
    assert "Annex III 1(a)" in properties["kigate:capability:biometric-identification"]
    assert "app.py:1" in properties["kigate:capability:biometric-identification"]
