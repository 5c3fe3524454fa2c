"""Every fixture repository yields exactly its expected components, with their scopes."""

from __future__ import annotations

import pytest

from kigate import engine, policy
from kigate.detect import detect
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo
from tests.fixtures.repos.cases import AI_CASES, CASES, NON_AI_CASES


def test_enough_cases() -> None:
    assert len(AI_CASES) >= 30
    assert len(NON_AI_CASES) >= 10
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_yields_exactly_its_components(case, make_repo: MakeRepo) -> None:
    repo = make_repo(case.files)
    catalogue = engine.load_catalogue(policy.load())
    components, problems = detect(WorkTree(repo), catalogue)
    assert {c.id: c.scope.value for c in components} == case.expected
    assert problems == ()
