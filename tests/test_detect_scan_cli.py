"""``kigate scan`` end to end, ``check`` on detected components, excludes and catalogues."""

from __future__ import annotations

import json

from tests.conftest import MakeRepo

FILES: dict[str, str | bytes] = {
    "requirements.txt": "flask\nopenai>=1\n",
    "app.py": "from openai import OpenAI\n",
    "AGENTS.md": "Run the tests.\n",
    "models/ranker.onnx": b"\x08\x07\x12\x04onnx",
    "web/package.json": '{\n  "dependencies": {\n    "@anthropic-ai/sdk": "^0.27"\n  }\n}\n',
    "web/broken.ipynb": "{not json, import torch",
}


def test_scan_text_lists_components_by_category(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(FILES)
    result = run_cli("scan", str(repo))
    assert result.exit_code == 0
    assert result.output == (
        "4 AI components found.\n"
        "\n"
        "assistant-config\n"
        "  assistant:AGENTS.md  (development)\n"
        "    AGENTS.md  assistant-config: AGENTS.md\n"
        "\n"
        "llm-api\n"
        "  npm:@anthropic-ai/sdk  (product)\n"
        "    web/package.json:3  dependency: @anthropic-ai/sdk\n"
        "  pypi:openai  (product)\n"
        "    requirements.txt:2  dependency: openai\n"
        "    app.py:1  import: from openai import OpenAI\n"
        "\n"
        "model-artefact\n"
        "  model:models/ranker.onnx  (product)\n"
        "    models/ranker.onnx  model: onnx header\n"
        "\n"
        "web/broken.ipynb: KG104 warning notebook is not valid JSON and was not examined for "
        "AI components: Expecting property name enclosed in double quotes: line 1 column 2 "
        "(char 1)\n"
    )


def test_scan_json_inventory(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(FILES)
    result = run_cli("scan", str(repo), "--format", "json", "--lang", "de")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["format"] == "kigate-inventory"
    assert [(c["id"], c["category"], c["scope"]) for c in data["components"]] == [
        ("assistant:AGENTS.md", "assistant-config", "development"),
        ("model:models/ranker.onnx", "model-artefact", "product"),
        ("npm:@anthropic-ai/sdk", "llm-api", "product"),
        ("pypi:openai", "llm-api", "product"),
    ]
    assert data["components"][3]["evidence"] == [
        {"family": "dependency", "line": 2, "match": "openai", "path": "requirements.txt"},
        {"family": "import", "line": 1, "match": "from openai import OpenAI", "path": "app.py"},
    ]
    assert [(p["rule"], p["path"], p["severity"]) for p in data["problems"]] == [
        ("KG104", "web/broken.ipynb", "warning")
    ]
    assert data["problems"][0]["message"].startswith("Notebook ist kein gültiges JSON")


def test_check_needs_a_manifest_for_development_ai_too(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo({"CLAUDE.md": "Use make.\n", "src/main.c": "int main(void){return 0;}\n"})
    result = run_cli("check", str(repo))
    assert result.exit_code == 1
    assert "CLAUDE.md: KG100 error AI component assistant:CLAUDE.md (assistant-config)" in (
        result.output
    )


def test_excludes_from_pyproject_are_honoured(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(
        {
            "pyproject.toml": '[tool.kigate]\nextend_exclude = ["experiments", "docs/*.py"]\n',
            "experiments/try.py": "import torch\n",
            "docs/conf.py": "import openai\n",
            "node_modules/x/package.json": '{"dependencies": {"openai": "1"}}',
            "src/app.py": "import anthropic\n",
        }
    )
    result = run_cli("scan", str(repo), "--format", "json")
    assert [c["id"] for c in json.loads(result.output)["components"]] == ["pypi:anthropic"]


def test_walk_without_git(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(
        {"main.go": 'package main\n\nimport _ "github.com/ollama/ollama/api"\n'}, use_git=False
    )
    result = run_cli("scan", str(repo), "--format", "json")
    assert [c["id"] for c in json.loads(result.output)["components"]] == [
        "golang:github.com/ollama/ollama"
    ]


def test_gitignored_files_are_not_scanned(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo({".gitignore": "scratch/\n", "scratch/x.py": "import openai\n"})
    result = run_cli("scan", str(repo))
    assert result.output == "No AI components found.\n"


def test_organisation_extends_the_catalogue(make_repo: MakeRepo, run_cli, tmp_path) -> None:
    policy_dir = tmp_path / "org"
    policy_dir.mkdir()
    (policy_dir / "internal.toml").write_text(
        'kigate-signals = 1\necosystem = "pypi"\n\n[[match]]\ncategory = "llm-api"\n'
        'names = ["acme-llm-client"]\nprefixes = ["acme-ai-"]\n\n'
        '[imports]\nacme_llm = "acme-llm-client"\n',
        encoding="utf-8",
    )
    (policy_dir / "policy.toml").write_text(
        'kigate-policy = 1\nid = "acme"\nextends = "demokratische-ki"\n'
        'signals = ["pypi", "internal.toml"]\n',
        encoding="utf-8",
    )
    repo = make_repo(
        {
            "requirements.txt": "acme-ai-summaries==2\nacme-billing\n",
            "bot.py": "import acme_llm\n",
        }
    )
    result = run_cli(
        "scan", str(repo), "--policy", str(policy_dir / "policy.toml"), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.output)["components"]] == [
        "pypi:acme-ai-summaries",
        "pypi:acme-llm-client",
    ]


def test_a_broken_catalogue_is_one_sentence(make_repo: MakeRepo, run_cli, tmp_path) -> None:
    (tmp_path / "bad.toml").write_text(
        'kigate-signals = 1\necosystem = "pypi"\n[[match]]\nnames = "openai"\n', encoding="utf-8"
    )
    (tmp_path / "policy.toml").write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nsignals = ["bad.toml"]\n',
        encoding="utf-8",
    )
    (tmp_path / "empty.toml").write_text(
        'kigate-signals = 1\necosystem = "npm"\n[[match]]\nprefixes = [""]\n', encoding="utf-8"
    )
    (tmp_path / "policy2.toml").write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nsignals = ["empty.toml"]\n',
        encoding="utf-8",
    )
    repo = make_repo({"a.txt": "x\n"})
    result = run_cli("scan", str(repo), "--policy", str(tmp_path / "policy.toml"))
    assert result.exit_code == 2
    assert result.output == (
        f"kigate: {tmp_path / 'bad.toml'}: 'match.names' in the signal catalogue must be a "
        'list of strings, e.g. ["..."]\n'
    )
    (tmp_path / "policy.toml").write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nsignals = ["pip.toml"]\n',
        encoding="utf-8",
    )
    (tmp_path / "pip.toml").write_text('kigate-signals = 1\necosystem = "pip"\n', encoding="utf-8")
    result = run_cli("scan", str(repo), "--policy", str(tmp_path / "policy.toml"))
    assert result.exit_code == 2
    assert result.output.startswith(
        f"kigate: {tmp_path / 'pip.toml'}: unknown ecosystem 'pip' in the signal catalogue; "
        "known: pypi, conda, npm,"
    )
    result = run_cli("scan", str(repo), "--policy", str(tmp_path / "policy2.toml"), "--lang", "de")
    assert result.exit_code == 2
    assert result.output.endswith(
        "ein leeres Präfix im Signalkatalog passte auf jeden Namen; entferne es\n"
    )


def test_text_inventory_shows_five_evidence_lines(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo({f"m{i}.py": "import torch\n" for i in range(8)})
    result = run_cli("scan", str(repo), "--lang", "de")
    assert result.output == (
        "1 KI-Komponente gefunden.\n\nml-framework\n  pypi:torch  (Produkt)\n"
        + "".join(f"    m{i}.py:1  import: import torch\n" for i in range(5))
        + "    … und 3 weitere (alle: --format json)\n"
    )
