"""The incremental cache: content keys, the cache file, damage, bounds and two processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kigate import cache
from kigate.model import Component, Evidence, Scope, Text
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, git

RESULT = cache.FileResult(
    components=(
        Component(
            "pypi:openai",
            "openai",
            "pypi",
            "llm-api",
            Scope.PRODUCT,
            (Evidence("requirements.txt", 1, "openai", "dependency"),),
        ),
    ),
    problems=((3, Text(en="bad", de="schlecht")),),
)


def fresh(root: Path, folder: Path, namespace: str = "ns") -> cache.Cache:
    store = cache.Cache(root, namespace, folder)
    store.load()
    return store


def test_results_come_back_for_the_same_content_key_only(tmp_path: Path) -> None:
    first = fresh(tmp_path / "repo", tmp_path / "c")
    assert first.get("requirements.txt", "git:1") is None
    first.put("requirements.txt", "git:1", RESULT)
    first.put("empty.py", "git:2", cache.FileResult((), ()))
    first.save()
    second = fresh(tmp_path / "repo", tmp_path / "c")
    assert second.get("requirements.txt", "git:1") == RESULT
    assert second.get("empty.py", "git:2") == cache.FileResult((), ())
    assert second.get("requirements.txt", "git:changed") is None
    assert second.get("requirements.txt", None) is None
    assert (second.hits, second.misses, second.notes) == (2, 2, [])


def test_a_file_not_seen_in_a_run_is_dropped(tmp_path: Path) -> None:
    first = fresh(tmp_path / "repo", tmp_path / "c")
    first.put("a", "k", RESULT)
    first.put("b", "k", RESULT)
    first.save()
    second = fresh(tmp_path / "repo", tmp_path / "c")
    assert second.get("a", "k") == RESULT
    second.save()
    third = fresh(tmp_path / "repo", tmp_path / "c")
    assert third.get("b", "k") is None
    assert third.get("a", "k") == RESULT


def test_another_namespace_or_repository_is_a_silent_miss(tmp_path: Path) -> None:
    first = fresh(tmp_path / "repo", tmp_path / "c", "one")
    first.put("a", "k", RESULT)
    first.save()
    other_ns = fresh(tmp_path / "repo", tmp_path / "c", "two")
    other_repo = fresh(tmp_path / "elsewhere", tmp_path / "c", "one")
    assert other_ns.get("a", "k") is None and other_ns.notes == []
    assert other_repo.get("a", "k") is None and other_repo.notes == []


def test_namespace_covers_version_catalogue_and_code() -> None:
    assert cache.namespace({"a": 1}, "x") == cache.namespace({"a": 1}, "x")
    assert cache.namespace({"a": 1}, "x") != cache.namespace({"a": 2}, "x")
    assert cache.namespace({"a": 1}, "x") != cache.namespace({"a": 1}, "y")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[: len(data) // 2], "checksum"),
        (lambda data: data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:], "checksum"),
        (lambda data: b"something else entirely\n\n" + data, "header"),
        (lambda data: b"", "header"),
    ],
)
def test_a_damaged_cache_is_ignored_with_a_note_and_rebuilt(
    tmp_path: Path, damage: object, reason: str
) -> None:
    first = fresh(tmp_path / "repo", tmp_path / "c")
    first.put("a", "k", RESULT)
    first.save()
    first.file.write_bytes(damage(first.file.read_bytes()))  # type: ignore[operator]
    second = fresh(tmp_path / "repo", tmp_path / "c")
    assert second.get("a", "k") is None
    assert [n.en for n in second.notes] == [
        f"the cache {second.file} is damaged ({reason}); it is ignored and rebuilt"
    ]
    second.put("a", "k", RESULT)
    second.save()
    assert fresh(tmp_path / "repo", tmp_path / "c").get("a", "k") == RESULT


def test_an_unreadable_or_unwritable_cache_only_leaves_a_note(tmp_path: Path) -> None:
    store = cache.Cache(tmp_path / "repo", "ns", tmp_path / "c")
    store.file.mkdir(parents=True)  # a directory where the cache file belongs
    store.load()
    store.put("a", "k", RESULT)
    store.save()
    assert [n.en.split(" (")[0] for n in store.notes] == [
        f"the cache {store.file} cannot be read",
        f"the cache {store.file} cannot be written",
    ]
    assert [p.name for p in store.folder.iterdir()] == [store.file.name]  # no temp left


def test_the_folder_is_bounded_least_recently_written_first(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    for index in range(5):
        path = folder / f"{index}.v1.cache"
        path.write_bytes(b"x" * 100)
        os.utime(path, ns=(index * 10**9, index * 10**9))
    (folder / "unrelated.txt").write_bytes(b"x" * 1000)
    cache.evict(folder, 300, keep=folder / "0.v1.cache")
    assert sorted(p.name for p in folder.iterdir()) == [
        "0.v1.cache",
        "3.v1.cache",
        "4.v1.cache",
        "unrelated.txt",
    ]


def test_never_inside_the_checked_directory(tmp_path: Path) -> None:
    store = fresh(tmp_path / "repo", tmp_path / "repo" / ".cache")
    store.put("a", "k", RESULT)
    store.save()
    assert store.get("a", "k") is None
    assert not (tmp_path / "repo").exists()
    assert [n.en.split(";")[0] for n in store.notes] == [
        f"the cache directory {tmp_path / 'repo' / '.cache'} lies inside the checked directory"
    ]


def test_the_cache_lives_in_xdg_cache_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache.directory() == Path("/somewhere/cache/kigate")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/invalid")
    monkeypatch.setenv("HOME", "/home/user")
    assert cache.directory() == Path("/home/user/.cache/kigate")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.directory() == Path("/home/user/.cache/kigate")


WRITER = r"""
import sys
from pathlib import Path
from kigate import cache
root, folder, tag = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
for round_ in range(150):
    store = cache.Cache(root, "ns", folder)
    store.load()
    assert store.notes == [], [n.en for n in store.notes]
    for index in range(200):
        store.put(f"{tag}/{index}", f"{tag}:{round_}", cache.EMPTY_RESULT)
    store.save()
    assert store.notes == [], [n.en for n in store.notes]
"""


def test_two_processes_never_see_half_a_cache(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path / "repo"), str(folder), tag],
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("one", "two")
    ]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    last = fresh(tmp_path / "repo", folder)
    assert last.notes == []
    assert [p.name for p in folder.iterdir()] == [last.file.name]


def test_content_keys_name_unchanged_tracked_files_by_blob(make_repo: MakeRepo) -> None:
    repo = make_repo({"a.txt": "a\n", "b.txt": "b\n", "sub/c.txt": "c\n"})
    (repo / "b.txt").write_text("changed\n", encoding="utf-8")
    (repo / "new.txt").write_text("new\n", encoding="utf-8")
    (repo / "link").symlink_to("a.txt")
    tree = WorkTree(repo)
    blob = git(repo, "hash-object", "a.txt").strip()
    info = (repo / "b.txt").stat()
    assert tree.content_key("a.txt") == f"git:{blob}"
    assert tree.content_key("b.txt") == (
        f"st:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"
    )
    assert str(tree.content_key("new.txt")).startswith("st:")
    assert tree.content_key("link") is None
    assert tree.content_key("missing") is None
    sub = WorkTree(repo / "sub")
    assert sub.content_key("c.txt") == "git:" + git(repo, "hash-object", "sub/c.txt").strip()
    assert str(WorkTree(repo, use_git=False).content_key("a.txt")).startswith("st:")
