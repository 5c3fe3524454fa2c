"""The one git runner: how many processes a check starts, in which environment, and
repositories git would refuse or find in other layouts (linked worktrees, other owners)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kigate.git import runner, shadow
from kigate.git.info import repo_info, staged_changes
from kigate.git.listing import work_tree_files
from tests.conftest import MakeRepo, complete_manifest, example_files, git
from tests.test_hostile import RunCli

STARTED: list[list[list[str]]] = []  # the list of the running test, when one counts


def _count(event: str, args: tuple[Any, ...]) -> None:
    if event == "subprocess.Popen" and STARTED:
        STARTED[-1].append([os.fsdecode(a) for a in args[1]])


sys.addaudithook(_count)  # once per test session: audit hooks cannot be removed


@pytest.fixture
def started() -> Iterator[list[list[str]]]:
    STARTED.append([])
    try:
        yield STARTED[-1]
    finally:
        STARTED.clear()


def history_repo(make_repo: MakeRepo) -> Path:
    """examples/complete with a base branch and a later commit that leaves the manifest
    current (the usual state of a repository that passes its gate)."""
    root = make_repo(example_files("complete"))
    git(root, "branch", "base")
    (root / "docs" / "more.md").write_text("notes\n", encoding="utf-8")
    manifest = complete_manifest().replace("Support assistant", "Support assistant 2")
    (root / "ai-values.toml").write_text(manifest, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "later")
    (root / "app.py").write_text("import openai\n# edited\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(("args", "budget"), [((), 4), (("--staged",), 4), (("--base", "base"), 8)])
def test_process_budget(
    make_repo: MakeRepo,
    run_cli: RunCli,
    started: list[list[str]],
    args: tuple[str, ...],
    budget: int,
) -> None:
    root = history_repo(make_repo)
    started.clear()  # the set-up's own git commands do not count
    result = run_cli("check", *args, str(root))
    assert result.exit_code in (0, 1), result.output
    assert len(started) <= budget, "\n".join(" ".join(c) for c in started)
    assert all(Path(c[0]).name == "git" for c in started)
    assert not any(c[-1] == "version" for c in started)


def test_every_command_runs_in_the_shadow_git_dir(make_repo: MakeRepo) -> None:
    root = make_repo({"a.txt": "a\n"})
    where = runner.location(root)
    env = runner.environment(where)
    assert Path(env["GIT_DIR"]).parent == Path(shadow_parent(env["GIT_DIR"]))
    assert not Path(env["GIT_DIR"]).is_relative_to(root)
    assert env["GIT_WORK_TREE"] == str(root.resolve())
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["GIT_ALLOW_PROTOCOL"] == ""
    assert {k for k in env if k.startswith("GIT_")} <= set(ALLOWED_GIT_VARIABLES)
    config = (Path(env["GIT_DIR"]) / "config").read_text(encoding="utf-8")
    assert config == "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n"


def shadow_parent(git_dir: str) -> str:
    return os.path.dirname(git_dir)


ALLOWED_GIT_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_SHALLOW_FILE",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_CONFIG_GLOBAL",
    "GIT_TERMINAL_PROMPT",
    "GIT_PROTOCOL_FROM_USER",
    "GIT_ALLOW_PROTOCOL",
    "GIT_OPTIONAL_LOCKS",
)


def test_inherited_git_variables_are_dropped_but_the_hooks_index_is_kept(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = make_repo({"a.txt": "a\n"})
    other = make_repo({"b.txt": "b\n"})
    (root / "c.txt").write_text("c\n", encoding="utf-8")
    index = tmp_path / "commit-index"
    shutil.copy(root / ".git" / "index", index)
    subprocess.run(
        ["git", "add", "c.txt"],
        cwd=root,
        env={**os.environ, "GIT_INDEX_FILE": str(index)},
        check=True,
        timeout=30,
    )
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))  # would point git elsewhere
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='touch /tmp/x'")
    monkeypatch.setenv("GIT_INDEX_FILE", str(index))
    changes = staged_changes(root)
    assert changes is not None
    assert [(c.status, c.path) for c in changes] == [("A", "c.txt")]
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert staged_changes(root) == ()


def test_linked_worktree(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"requirements.txt": "openai\n"})
    linked = tmp_path / "linked"
    git(root, "worktree", "add", "-q", "-b", "side", str(linked))
    (linked / "new.py").write_text("import torch\n", encoding="utf-8")
    where = runner.location(linked)
    assert (where.top, where.common) == (linked.resolve(), (root / ".git").resolve())
    listing = work_tree_files(linked)
    assert listing is not None
    assert sorted(listing.paths) == ["new.py", "requirements.txt"]
    info = repo_info(linked, "linked")
    assert (info["branch"], info["dirty"], info["root_name"]) == ("side", False, "linked")


def test_subdirectory_and_submodule_gitfile(make_repo: MakeRepo, tmp_path: Path) -> None:
    inner = make_repo({"model.py": "import openai\n"})
    root = make_repo({"a.txt": "a\n"})
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "sub")
    assert (root / "sub" / ".git").is_file()
    where = runner.location(root / "sub")
    assert where.top == (root / "sub").resolve()
    assert where.git_dir == (root / ".git" / "modules" / "sub").resolve()
    listing = work_tree_files(root / "sub")
    assert listing is not None
    assert listing.paths == ["model.py"]


def test_outside_a_repository_and_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(runner.GitUnavailable) as caught:
        runner.location(plain)
    assert caught.value.reason == "not_repo"
    (plain / ".git").mkdir()  # not a repository: no HEAD, no objects
    with pytest.raises(runner.GitUnavailable):
        runner.location(plain)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(runner.GitUnavailable) as missing:
        runner.executable()
    assert missing.value.reason == "no_git"


def test_gitfile_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    os.mkfifo(root / ".git")
    with pytest.raises(runner.GitUnavailable):
        runner.location(root)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_repository_of_another_user(make_repo: MakeRepo, run_cli: RunCli) -> None:
    """Plain git refuses a repository another user owns ("dubious ownership"); kigate reads
    it (it runs nothing from it)."""
    root = make_repo(example_files("complete"))
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files, "."]:
            os.lchown(os.path.join(folder, name), 4242, 4242)
    refused = subprocess.run(
        ["git", "status"], cwd=root, capture_output=True, text=True, check=False, timeout=30
    )
    assert "dubious ownership" in refused.stderr
    result = run_cli("check", "--format", "json", str(root))
    assert result.exit_code == 0, result.output
    assert '"git": true' in result.stdout


def test_shadow_config_keeps_only_layout_values() -> None:
    parsed = shadow.parse_config(
        "[core]\n\tfilemode = false\n\tfsmonitor = touch x\n\tignorecase\n"
        "[extensions]\n\tobjectFormat = sha256 ; comment\n\tpartialClone = origin\n"
        '[remote "origin"]\n\turl = "https://u:p@host/x"\n'
        "[include]\n\tpath = /etc/passwd\n"
    )
    assert parsed[("remote", "origin", "url")] == "https://u:p@host/x"
    assert shadow._our_config(parsed) == (
        "[core]\n\trepositoryformatversion = 1\n\tfilemode = false\n\tignorecase = true\n"
        "[extensions]\n\tobjectformat = sha256\n"
    )
