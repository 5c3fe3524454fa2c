"""Index and commit trees, the one ``ls-files`` listing and the shared blob reader."""

from __future__ import annotations

import os

import pytest

from kigate.git import blobs
from kigate.git.blobs import shared_reader
from kigate.git.listing import work_tree_files
from kigate.git.objects import tree_entries
from kigate.git.trees import CommitTree, IndexTree, parse_ls_tree, parse_stage
from kigate.names import decode
from tests.conftest import MakeRepo, git, write_files


def test_tree_entries_match_ls_tree(make_repo: MakeRepo) -> None:
    root = make_repo({"a.txt": "a\n", "d/e/f.py": "f\n", "d/g.md": "g\n", "sp ace/ü.txt": "u"})
    (root / "link").symlink_to("a.txt")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "two")
    head = git(root, "rev-parse", "HEAD").strip()
    full = parse_ls_tree(git(root, "ls-tree", "-r", "-z", head).encode("utf-8"))
    wanted = {"a.txt", "d/e/f.py", "sp ace/ü.txt", "link", "d", "missing", "d/e/none"}
    assert tree_entries(root, head, wanted) == {p: e for p, e in full.items() if p in wanted}
    inner = tree_entries(root / "d", head, {"e/f.py", "g.md"})
    assert inner == {"e/f.py": full["d/e/f.py"], "g.md": full["d/g.md"]}


def test_commit_tree_reads_only_what_it_was_asked(make_repo: MakeRepo) -> None:
    root = make_repo({"a.txt": "a\n", "b/c.txt": "c\n"})
    head = git(root, "rev-parse", "HEAD").strip()
    tree = CommitTree(root, head, excludes=(), only=["b/c.txt", "zzz"])
    assert tree.files() == ("b/c.txt",)
    assert tree.read("b/c.txt", 10) == b"c\n"
    assert tree.exists("b") and not tree.exists("a.txt")
    assert CommitTree(root, head, excludes=()).files() == ("a.txt", "b/c.txt")


def test_listing_tags_changed_untracked_and_conflicts(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"same.txt": "s\n", "edit.txt": "e\n", "gone.txt": "g\n", ".gitignore": "*.log\n"}
    )
    write_files(root, {"edit.txt": "E\n", "new.txt": "n\n", "x.log": "ignored\n"})
    (root / "gone.txt").unlink()
    listing = work_tree_files(root)
    assert listing is not None
    assert sorted(listing.paths) == [".gitignore", "edit.txt", "new.txt", "same.txt"]
    blob = git(root, "rev-parse", "HEAD:same.txt").strip()
    assert listing.blobs["same.txt"] == "git:" + blob
    assert "edit.txt" not in listing.blobs and "new.txt" not in listing.blobs


def test_parse_stage_keeps_our_side_of_a_conflict() -> None:
    sha = "a" * 40
    records = [f"100644 {sha} 1\tc.txt", f"100644 {'b' * 40} 2\tc.txt", f"100755 {sha} 0\tx.sh"]
    entries, conflicts = parse_stage(records)
    assert entries == {"c.txt": ("100644", "b" * 40), "x.sh": ("100755", sha)}
    assert conflicts == frozenset({"c.txt"})


def test_blob_reader_resolves_and_refuses_smuggled_commands(make_repo: MakeRepo) -> None:
    root = make_repo({"a.txt": "a\n"})
    reader = shared_reader(root)
    head = git(root, "rev-parse", "HEAD").strip()
    assert reader.resolve("HEAD") == (head, "commit")
    assert reader.resolve("HEAD\ncontents HEAD:a.txt") is None
    assert reader.resolve("nope") is None
    blob = git(root, "rev-parse", "HEAD:a.txt").strip()
    assert reader.read(blob, 1) == b"a"
    assert reader.read("0" * 40, 10) is None
    assert shared_reader(root) is reader
    assert decode(b"\xff") == "\udcff"


def test_fifo_planted_as_a_loose_object_does_not_hang(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"requirements.txt": "openai\n", "b.txt": "b\n"})
    blob = git(root, "rev-parse", "HEAD:requirements.txt").strip()
    loose = root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.unlink()
    os.mkfifo(loose)
    monkeypatch.setattr(blobs, "BATCH_TIMEOUT", 2.0)
    tree = IndexTree(root, excludes=())
    assert tree.read("requirements.txt", 100) is None  # could not be examined
    assert tree.read("b.txt", 100) == b"b\n"  # a fresh process answers the next request
