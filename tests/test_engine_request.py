"""The engine's interface: one request in, a report and notes out; the mode is an enum."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kigate import engine, policy
from kigate.engine import CheckRequest, InventoryRequest, Mode
from tests.conftest import MakeRepo, complete_manifest, git

POLICY = policy.load()


def test_staged_mode_judges_the_index_not_the_working_tree(make_repo: MakeRepo) -> None:
    repo = make_repo({"requirements.txt": "openai\n", "ai-values.toml": complete_manifest()})
    (repo / "ai-values.toml").write_text("kigate = [\n", encoding="utf-8")  # not staged
    staged = engine.check(CheckRequest(repo, POLICY, mode=Mode.STAGED, history=False)).report
    worktree = engine.check(CheckRequest(repo, POLICY, history=False)).report
    assert staged.mode == "staged" and worktree.mode == "worktree"
    assert "KG101" not in {f.rule for f in staged.findings}
    assert "KG101" in {f.rule for f in worktree.findings}
    git(repo, "add", "ai-values.toml")
    again = engine.check(CheckRequest(repo, POLICY, mode=Mode.STAGED, history=False)).report
    assert "KG101" in {f.rule for f in again.findings}


def test_a_damaged_cache_is_a_note_of_the_result_not_a_change_of_the_report(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    repo = make_repo({"requirements.txt": "openai\n"})
    request = CheckRequest(repo, POLICY, cache=True, history=False)
    first = engine.check(request)
    assert first.notes == ()
    (stored,) = (tmp_path / "xdg" / "kigate").iterdir()
    stored.write_bytes(stored.read_bytes()[:-10])
    damaged = engine.check(request)
    assert len(damaged.notes) == 1 and "damaged" in damaged.notes[0].en
    assert damaged.report.findings == first.report.findings
    assert damaged.report.components == first.report.components


def test_inventory_reports_components_and_no_manifest_rules(make_repo: MakeRepo) -> None:
    repo = make_repo({"requirements.txt": "openai\n"})
    result = engine.inventory(InventoryRequest(repo, POLICY, shown="."))
    assert [c.id for c in result.report.components] == ["pypi:openai"]
    assert result.report.findings == () and result.notes == ()
    assert result.report.repo.path == "."


def test_requests_are_frozen_values() -> None:
    request = CheckRequest(Path("."), POLICY)
    assert request.mode is Mode.WORKTREE and request.history and not request.cache
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.mode = Mode.STAGED  # type: ignore[misc]
    assert dataclasses.replace(request, mode=Mode.STAGED).mode is Mode.STAGED
