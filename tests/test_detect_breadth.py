"""Detection breadth (issue 12): every fixture repository yields exactly its components, with
scope, finer usage and evidence lines; near misses yield nothing."""

from __future__ import annotations

import os

import pytest

from kigate import engine, i18n, policy
from kigate.detect import detect
from kigate.model import Component
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, git
from tests.fixtures.repos.breadth import CASES, Case, Expect


def test_enough_cases_and_near_misses() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(1 for c in CASES if not c.components) >= 15


def _build(make_repo: MakeRepo, case: Case):
    repo = make_repo(case.files, commit=False)
    for link, target in case.links.items():
        (repo / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, repo / link)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial", "--allow-empty")
    return repo


def _seen(components: tuple[Component, ...]) -> dict[str, Expect]:
    return {
        c.id: Expect(c.scope.value, c.usage, tuple((e.path, e.line, e.match) for e in c.evidence))
        for c in components
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_yields_exactly_its_components(case: Case, make_repo: MakeRepo) -> None:
    repo = _build(make_repo, case)
    components, problems = detect(WorkTree(repo), engine.load_catalogue(policy.load()))
    assert _seen(components) == case.components
    assert [(p.path, p.line, p.text) for p in problems] == [
        (path, line, i18n.t(key)) for path, line, key in case.problems
    ]


def test_json_reports_the_finer_usage_and_stays_valid(
    make_repo: MakeRepo, run_cli, tmp_path
) -> None:
    import json

    import jsonschema

    from kigate.cli.schema import schema_text

    repo = make_repo(
        {
            "tests/test_rank.py": "import sklearn\n",
            "src/app.py": "import openai\n",
            "Cargo.toml": (
                '[package]\nname = "x"\nversion = "0.1.0"\n[dependencies]\nllm = { path = "llm" }\n'
            ),
            "src/main.rs": "use llm::Model;\n",
        }
    )
    out = tmp_path / "report.json"
    result = run_cli("check", str(repo), "--format", "json", "--output", str(out))
    assert result.exit_code == 1  # AI without a manifest
    report = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads(schema_text("report")))
    assert [(c["id"], c["scope"], c.get("usage")) for c in report["components"]] == [
        ("pypi:openai", "product", None),
        ("pypi:scikit-learn", "development", "test"),
    ]


def test_the_cache_keeps_the_finer_usage(make_repo: MakeRepo, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    repo = make_repo(
        {
            "Gemfile": 'source "https://rubygems.org"\ngroup :test do\n  gem "ruby-openai"\nend\n',
            "tests/test_a.py": "import torch\n",
        }
    )
    runs = []
    for _ in range(2):  # cold, then every file from the cache
        found = engine.scan(WorkTree(repo), policy.load(), cache=True)
        runs.append([(c.id, c.usage, [e.usage for e in c.evidence]) for c in found.components])
    assert (
        runs[0]
        == runs[1]
        == [
            ("gem:ruby-openai", "test", ["test"]),
            ("pypi:torch", "test", [None]),
        ]
    )


def test_the_hook_treats_every_file_the_new_detectors_read_as_relevant(tmp_path) -> None:
    """The idle pre-commit hook must not skip a staged file a detector would look at."""
    from kigate import hook
    from kigate.detect import _detectors
    from kigate.detect.base import Context, basename

    names = {path for case in CASES for path in (*case.files, *case.links)}
    names |= {"site/a.htm", "views/x.erb", "t/p.twig", "a.fsx", "tasks/x.rake", "r/a.Rmd"}
    ctx = Context(tree=WorkTree(tmp_path, use_git=False), files=(), catalogue=_CATALOGUE)
    wanted = {
        path
        for path in names
        if any(d.wants(path, basename(path), ctx) is not None for d in _detectors())
    }
    assert sorted(p for p in wanted if not hook.relevant_path(p)) == []


_CATALOGUE = engine.load_catalogue(policy.load())
