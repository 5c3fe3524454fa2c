"""Python dependencies and imports: names, scopes, lines, and parsers that never crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kigate import engine, policy
from kigate.detect import detect
from kigate.detect.pyspec import normalize, requirement_name
from kigate.model import Component, Evidence, Scope
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo

MANIFESTS = ("requirements.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile")


def _scan(root: Path) -> tuple[tuple[Component, ...], tuple[str, ...]]:
    components, problems = detect(WorkTree(root), engine.load_catalogue(policy.load()))
    return components, tuple(f"{p.path}:{p.line}: {p.text.en}" for p in problems)


def test_pep503_normalisation() -> None:
    assert normalize("Sentence_Transformers") == "sentence-transformers"
    assert normalize("llama.index") == "llama-index"
    assert normalize("A__b--c..d") == "a-b-c-d"


def test_requirement_names() -> None:
    assert requirement_name("openai[datalib]>=1.0; python_version > '3.8'") == "openai"
    assert requirement_name("git+https://github.com/x/y.git#egg=Torch_Vision") == "torch-vision"
    assert requirement_name("https://h/sentence_transformers-3.0.1-py3-none-any.whl") == (
        "sentence-transformers"
    )
    assert requirement_name("./local/path") is None
    assert requirement_name("name @ https://example.org/x.zip") == "name"


def test_evidence_lines_and_scope_of_every_pyproject_kind(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "pyproject.toml": (
                "[project]\n"  # 1
                'name = "svc"\n'  # 2
                'description = "not openai"\n'  # 3
                'dependencies = [\n  "openai>=1",\n]\n'  # 4-6
                "[project.optional-dependencies]\n"  # 7
                'test = ["torch"]\n'  # 8
                "[tool.poetry.dependencies]\n"  # 9
                'Anthropic = "^0.30"\n'  # 10
            )
        }
    )
    components, problems = _scan(repo)
    assert problems == ()
    assert components == (
        Component(
            "pypi:anthropic",
            "anthropic",
            "pypi",
            "llm-api",
            Scope.PRODUCT,
            (Evidence("pyproject.toml", 10, "anthropic", "dependency"),),
        ),
        Component(
            "pypi:openai",
            "openai",
            "pypi",
            "llm-api",
            Scope.PRODUCT,
            (Evidence("pyproject.toml", 5, "openai", "dependency"),),
        ),
        Component(
            "pypi:torch",
            "torch",
            "pypi",
            "ml-framework",
            Scope.DEVELOPMENT,
            (Evidence("pyproject.toml", 8, "torch", "dependency"),),
        ),
    )


def test_import_and_dependency_are_one_component(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "requirements.txt": "scikit-learn==1.5\n",
            "train.py": "import numpy\nfrom sklearn.ensemble import RandomForestClassifier\n",
        }
    )
    components, _ = _scan(repo)
    assert [(c.id, [(e.path, e.line, e.family) for e in c.evidence]) for c in components] == [
        (
            "pypi:scikit-learn",
            [("requirements.txt", 1, "dependency"), ("train.py", 2, "import")],
        )
    ]


def test_python_import_forms(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "a.py": "from openai import (\n    OpenAI,\n)\n",
            "b.py": "if True:\n    import torch.nn as nn\n",
            "c.py": "from google.cloud import aiplatform\n",
            "d.py": "import os, sys, langchain_community.llms\n",
            "e.py": "import openai_helpers\nfrom torchlight import x\nfrom .openai import y\n",
        }
    )
    components, problems = _scan(repo)
    assert problems == ()
    assert [(c.id, [(e.path, e.line) for e in c.evidence]) for c in components] == [
        ("pypi:google-cloud-aiplatform", [("c.py", 1)]),
        ("pypi:langchain-community", [("d.py", 1)]),
        ("pypi:openai", [("a.py", 1)]),
        ("pypi:torch", [("b.py", 2)]),
    ]


def test_product_use_wins_over_development_use(make_repo: MakeRepo) -> None:
    repo = make_repo({"requirements-dev.txt": "openai\n", "bot.py": "import openai\n"})
    components, _ = _scan(repo)
    assert [(c.id, c.scope) for c in components] == [("pypi:openai", Scope.PRODUCT)]


def test_setup_py_is_parsed_never_executed(make_repo: MakeRepo, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    repo = make_repo(
        {
            "setup.py": (
                "import pathlib\n"
                f"pathlib.Path({str(marker)!r}).write_text('ran')\n"
                "import shutil; shutil.rmtree('.', ignore_errors=True)\n"
                "from setuptools import setup\n"
                "setup(name='x', install_requires=['transformers>=4'])\n"
            )
        }
    )
    components, problems = _scan(repo)
    assert [c.id for c in components] == ["pypi:transformers"]
    assert problems == ()
    assert not marker.exists()
    assert (repo / "setup.py").exists()


def test_deeply_nested_setup_py_is_a_warning(make_repo: MakeRepo) -> None:
    repo = make_repo({"setup.py": "x = " + "[" * 200_000 + "]" * 200_000 + "\n"})
    components, problems = _scan(repo)
    assert components == ()
    assert len(problems) == 1
    assert problems[0].startswith("setup.py:None: file is not valid Python (")


def test_requirement_continued_at_the_end_of_the_file(make_repo: MakeRepo) -> None:
    components, problems = _scan(make_repo({"requirements.txt": "flask\ntorch \\"}))
    assert ([(c.id, c.evidence[0].line) for c in components], problems) == ([("pypi:torch", 2)], ())


def test_requirements_include_cycle_terminates(make_repo: MakeRepo) -> None:
    repo = make_repo(
        {
            "requirements.txt": "-r requirements/extra.txt\n",
            "requirements/extra.txt": "-r ../requirements.txt\nlitellm\n",
        }
    )
    components, problems = _scan(repo)
    assert [c.id for c in components] == ["pypi:litellm"]
    assert problems == ()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_requirement_name_never_raises(spec: str) -> None:
    name = requirement_name(spec)
    assert name is None or name == normalize(name)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_python_manifests_never_crash(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    for name in MANIFESTS:
        (root / name).write_text(text, encoding="utf-8")
    (root / "environment.yml").write_text("dependencies:\n" + text, encoding="utf-8")
    components, problems = detect(
        WorkTree(root, use_git=False), engine.load_catalogue(policy.load())
    )
    assert all(c.id.startswith(("pypi:", "conda:")) for c in components)
    assert {p.path for p in problems} <= {*MANIFESTS, "environment.yml"}
