"""Evidence lines in every ecosystem's manifest, as ``kigate scan`` prints them."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kigate import engine, policy
from kigate.detect import detect
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, complete_manifest

POLYGLOT: dict[str, str | bytes] = {
    "web/package.json": json.dumps(
        {"name": "web", "devDependencies": {"eslint": "9"}, "dependencies": {"openai": "4"}},
        indent=2,
    ),
    "svc/go.mod": "module x\n\ngo 1.22\n\nrequire github.com/openai/openai-go v0.1.0 // llm\n",
    "jvm/build.gradle": "dependencies {\n"
    "  implementation group: 'ai.djl', name: 'api', version: '0.28.0'\n}\n",
    "ruby/x.gemspec": "Gem::Specification.new do |s|\n  s.add_dependency 'ruby-openai'\n"
    "  s.add_development_dependency 'informers'\nend\n",
    "nb/a.ipynb": json.dumps(
        {"cells": [{"cell_type": "code", "source": ["import os\n", "import torch\n"]}]},
        indent=1,
    ),
    "k8s/deploy.yaml": "spec:\n  containers:\n    - name: llm\n"
    "      image: ghcr.io/huggingface/text-generation-inference:2.2\n",
}


def test_polyglot_evidence_lines(make_repo: MakeRepo, run_cli) -> None:
    result = run_cli("scan", str(make_repo(POLYGLOT)))
    assert result.exit_code == 0
    assert result.output == (
        "7 AI components found.\n"
        "\n"
        "llm-api\n"
        "  gem:ruby-openai  (product)\n"
        "    ruby/x.gemspec:2  dependency: ruby-openai\n"
        "  golang:github.com/openai/openai-go  (product)\n"
        "    svc/go.mod:5  dependency: github.com/openai/openai-go\n"
        "  npm:openai  (product)\n"
        "    web/package.json:7  dependency: openai\n"
        "\n"
        "local-runtime\n"
        "  docker:ghcr.io/huggingface/text-generation-inference  (product)\n"
        "    k8s/deploy.yaml:4  container: ghcr.io/huggingface/text-generation-inference\n"
        "\n"
        "ml-framework\n"
        "  maven:ai.djl:api  (product)\n"
        "    jvm/build.gradle:2  dependency: ai.djl:api\n"
        "  pypi:torch  (product)\n"
        "    nb/a.ipynb:7  notebook: import torch\n"
        "\n"
        "model-library\n"
        "  gem:informers  (development)\n"
        "    ruby/x.gemspec:3  dependency: informers\n"
    )


def test_monorepo_nearest_manifest_covers_its_package(make_repo: MakeRepo, run_cli) -> None:
    repo = make_repo(
        {
            "packages/search/ai-values.toml": complete_manifest(),
            "packages/search/app.py": "from openai import OpenAI\n",
            "packages/billing/app.py": "import stripe\n",
        }
    )
    result = run_cli("check", str(repo))
    assert result.exit_code == 0, result.output
    moved = make_repo(
        {
            "packages/search/ai-values.toml": complete_manifest(),
            "packages/billing/app.py": "import openai\n",
        }
    )
    result = run_cli("check", str(moved))
    assert result.exit_code == 1
    assert "packages/billing/app.py:1: KG100 error AI component pypi:openai" in result.output


NAMES = (
    "package.json", "pom.xml", "go.mod", "x.ipynb", "Cargo.toml", "a.csproj", "Gemfile",
    "composer.json", "Dockerfile", "compose.yaml", ".env", "main.tf", "a.py", "a.ts", "a.go",
    "A.java", "README.md", "Modelfile", "m.onnx", "m.pkl", "build.gradle", "environment.yml",
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_every_detector_survives_any_bytes(tmp_path_factory, data: bytes) -> None:
    root = tmp_path_factory.mktemp("bytes")
    for name in NAMES:
        (root / name).write_bytes(data)
    components, problems = detect(
        WorkTree(root, use_git=False), engine.load_catalogue(policy.load())
    )
    assert {p.path for p in problems} <= set(NAMES)
    assert all(e.path in NAMES for c in components for e in c.evidence)


def test_a_signal_catalogue_in_the_repository_is_not_a_use(make_repo: MakeRepo) -> None:
    catalogue = (
        '# our additions\nkigate-signals = 1\necosystem = "service"\n\n[[match]]\n'
        'component = "acme"\nhosts = ["api.openai.com"]\n'
    )
    repo = make_repo(
        {"policy/acme.toml": catalogue, "conf/app.toml": 'url = "https://api.openai.com"\n'}
    )
    components, problems = detect(WorkTree(repo), engine.load_catalogue(policy.load()))
    assert problems == ()
    assert [(c.id, [e.path for e in c.evidence]) for c in components] == [
        ("service:openai", ["conf/app.toml"])
    ]
