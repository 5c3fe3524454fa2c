"""History and ref questions, answered against real git on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from kigate.git import history
from kigate.git.runner import GitUnavailable
from tests.conftest import MakeRepo, git, write_files


def commit(root: Path, message: str, files: dict[str, str | bytes] | None = None) -> str:
    write_files(root, files or {})
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def test_changed_between_matches_git_diff(make_repo: MakeRepo) -> None:
    root = make_repo({"a.txt": "a\n", "sub/deep/b.py": "b\n", "sub/c.md": "c\n", "x/y": "y\n"})
    old = git(root, "rev-parse", "HEAD").strip()
    (root / "x" / "y").unlink()
    (root / "x").rmdir()  # a folder becomes a file: a type change on both sides
    (root / "sub" / "deep" / "link").symlink_to("b.py")
    new = commit(root, "two", {"sub/deep/b.py": "B\n", "new/n.txt": "n\n", "x": ""})
    for under in ("", "sub", "sub/deep", "new", "nothing"):
        expected = git(root, "diff", "--name-only", "--no-renames", old, new, "--", under or ".")
        assert history.changed_between(root, old, new, under) == tuple(expected.split()), under
    inner = root / "sub"
    expected = git(inner, "diff", "--name-only", "--relative", old, new, "--", ".")
    assert history.changed_between(inner, old, new) == tuple(sorted(expected.split()))


def test_head_commit_loose_packed_detached_and_unborn(make_repo: MakeRepo) -> None:
    empty = make_repo({}, commit=False)
    assert history.head_commit(empty) is None
    root = make_repo({"a.txt": "a\n"})
    first = git(root, "rev-parse", "HEAD").strip()
    assert history.head_commit(root) == first
    git(root, "pack-refs", "--all")
    assert not (root / ".git" / "refs" / "heads" / "main").exists()
    assert history.head_commit(root) == first
    second = commit(root, "two")
    git(root, "checkout", "-q", "--detach", first)
    assert history.head_commit(root) == first
    git(root, "checkout", "-q", "main")
    assert history.head_commit(root) == second


def test_resolve_base_reasons(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"a.txt": "a\n"})
    first = git(root, "rev-parse", "HEAD").strip()
    git(root, "tag", "v1")
    git(root, "pack-refs", "--all")
    second = commit(root, "two")
    for ref in ("v1", "HEAD~1", first[:10], "main~1"):
        assert history.resolve_base(root, ref) == history.BaseRef(ref, first, first)
    assert history.resolve_base(root, "main").merge_base == second
    for ref, reason in [("nope", "bad_ref"), ("-x", "bad_ref"), ("v1\ninfo HEAD", "bad_ref")]:
        with pytest.raises(GitUnavailable) as caught:
            history.resolve_base(root, ref)
        assert caught.value.reason == reason
    git(root, "checkout", "-q", "--orphan", "lonely")
    commit(root, "orphan")
    with pytest.raises(GitUnavailable) as unrelated:
        history.resolve_base(root, "main")
    assert unrelated.value.reason == "no_merge_base"
    with pytest.raises(GitUnavailable) as outside:
        history.resolve_base(tmp_path, "main")
    assert outside.value.reason == "not_repo"


def test_last_and_first_changes_and_trailers(make_repo: MakeRepo) -> None:
    root = make_repo({"m.toml": "1\n", "a.py": "a\n"})
    since = git(root, "rev-parse", "HEAD").strip()
    commit(root, "a changes", {"a.py": "b\n"})
    git(
        root, "commit", "-q", "--allow-empty", "-m", "x\n\nCo-authored-by: Claude <c@anthropic.com>"
    )
    last = history.last_change(root, "m.toml")
    assert last is not None
    assert last.commit == since
    assert history.last_change(root, "missing.toml") is None
    dates = history.first_change_after(root, since, ["a.py", "m.toml"])
    assert set(dates) == {"a.py"}
    trailers = history.ai_trailers(root)
    assert [(t.key, t.value) for t in trailers] == [("Co-authored-by", "Claude <c@anthropic.com>")]


def test_shallow_boundary(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"a.txt": "a\n"})
    commit(root, "two", {"a.txt": "b\n"})
    assert history.shallow_boundary(root) == frozenset()
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", root.as_uri(), str(clone))
    head = git(clone, "rev-parse", "HEAD").strip()
    assert history.shallow_boundary(clone) == frozenset({head})
    assert history.is_shallow(clone)
    last = history.last_change(clone, "a.txt")
    assert last is not None
    assert last.commit == head
