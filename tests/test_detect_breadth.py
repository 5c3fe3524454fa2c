"""Detection breadth (issue 12): every fixture repository yields exactly its components, with
scope, finer usage and evidence lines; near misses yield nothing."""

from __future__ import annotations

import os

import pytest

from kigate import engine, i18n, policy
from kigate.detect import detect
from kigate.model import Component
from kigate.repo import WorkTree
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
