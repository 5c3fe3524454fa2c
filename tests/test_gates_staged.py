"""``kigate check --staged``: the index is judged, never the working tree."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kigate import tree as trees
from kigate.git import IndexTree
from tests.conftest import MakeRepo, complete_manifest, example_files, git, write_files
from tests.gates_support import commit, complete_files, snapshot

BROKEN = "kigate = 1\n[system]\nname = \n"
PASS_TAIL = "0 errors, 0 warnings, 0 info; 8/8 aspects covered\n"


def test_staged_complete_manifest_passes_although_working_copy_is_broken(
    make_repo: MakeRepo, run_cli
) -> None:
    root = make_repo(complete_files())
    (root / "ai-values.toml").write_text(BROKEN, encoding="utf-8")
    assert run_cli("check", str(root)).exit_code == 1
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 0, result.output
    assert result.output == "1 AI component found.\n\n" + PASS_TAIL


def test_staged_broken_manifest_fails_although_working_copy_is_complete(
    make_repo: MakeRepo, run_cli
) -> None:
    root = make_repo(complete_files())
    (root / "ai-values.toml").write_text(BROKEN, encoding="utf-8")
    git(root, "add", "ai-values.toml")
    (root / "ai-values.toml").write_text(complete_manifest(), encoding="utf-8")
    assert run_cli("check", str(root)).exit_code == 0
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 1
    assert "ai-values.toml:3:8: KG101 error the manifest is not valid TOML" in result.output


def test_manifest_staged_as_deleted_but_on_disk_counts_as_deleted(
    make_repo: MakeRepo, run_cli
) -> None:
    root = make_repo(complete_files())
    git(root, "rm", "-q", "--cached", "ai-values.toml")
    assert (root / "ai-values.toml").is_file()
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 1
    assert result.output == (
        "1 AI component found.\n\n"
        "requirements.txt:3: KG100 error AI component pypi:openai (llm-api) found in "
        "requirements.txt, but no ai-values.toml covers it; run 'kigate init' in the project "
        "directory\n\n1 error, 0 warnings, 0 info; 0/8 aspects covered\n"
    )


def test_unstaged_ai_dependency_is_not_judged(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(example_files("no-ai"))
    write_files(root, {"requirements.txt": "openai\n"})
    assert run_cli("check", str(root)).exit_code == 1
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 0
    assert result.output == "No AI components found.\n\n0 errors, 0 warnings, 0 info\n"


def test_staged_before_the_first_commit(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo({"requirements.txt": "torch\n"}, commit=False)
    git(root, "add", "-A")
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 1
    assert "requirements.txt:1: KG100 error AI component pypi:torch" in result.output


def test_staged_outside_git_is_one_sentence(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo({"requirements.txt": "torch\n"}, use_git=False)
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 2
    assert result.output == (
        "kigate: --staged reads the git index, but this is not a git repository; "
        "run it inside a git work tree or drop --staged\n"
    )


def test_conflict_markers_in_staged_manifest(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    text = complete_manifest().replace(
        'risk_class = "limited"', '<<<<<<< HEAD\nrisk_class = "limited"\n=======\n>>>>>>> x'
    )
    commit(root, {"ai-values.toml": text})
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 1
    assert "KG101 error the manifest contains merge conflict markers" in result.output


def test_unmerged_index_uses_our_side(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    git(root, "checkout", "-q", "-b", "other")
    commit(root, {"requirements.txt": "openai\ntorch\n"}, "other")
    git(root, "checkout", "-q", "main")
    commit(root, {"requirements.txt": "openai\nkeras\n"}, "main")
    git(root, "merge", "-q", "other", check=False)
    tree = IndexTree(root)
    assert tree.conflicts == frozenset({"requirements.txt"})
    assert tree.read("requirements.txt", 100) == b"openai\nkeras\n"
    result = run_cli("check", "--staged", str(root))
    assert "KG140 warning AI component pypi:keras" in result.output


def test_index_tree_reads_odd_paths_and_never_links(make_repo: MakeRepo) -> None:
    files: dict[str, str | bytes] = {
        "with space/requirements.txt": "openai\r\n",
        "ümlaut/requirements.txt": "torch\n",
        "new\nline/requirements.txt": "keras\n",
        "big.bin": b"\0" * 70000,
    }
    root = make_repo(files)
    (root / "link.txt").symlink_to("/etc/passwd")
    git(root, "add", "link.txt")
    tree = IndexTree(root)
    assert tree.files() == (
        "big.bin",
        "link.txt",
        "new\\nline/requirements.txt",  # shown escaped, as in the working tree
        "with space/requirements.txt",
        "ümlaut/requirements.txt",
    )
    assert tree.read("with space/requirements.txt", 100) == b"openai\r\n"
    assert tree.read("new\\nline/requirements.txt", 3) == b"ker"
    assert tree.read("big.bin", 10) == b"\0" * 10
    assert tree.size("big.bin") == 70000
    assert tree.read("link.txt", 100) is None
    assert tree.read("missing", 100) is None
    assert tree.exists("ümlaut")
    assert tree.exists("with space/")
    assert not tree.exists("nope")


def test_submodule_entry_is_not_a_file(make_repo: MakeRepo, run_cli) -> None:
    inner = make_repo({"requirements.txt": "torch\n"}, name="inner")
    root = make_repo(example_files("no-ai"))
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "sub")
    tree = IndexTree(root)
    assert "sub" not in tree.files()
    assert ".gitmodules" in tree.files()
    assert run_cli("check", "--staged", str(root)).exit_code == 0


def test_staged_in_a_linked_worktree(make_repo: MakeRepo, run_cli, tmp_path: Path) -> None:
    root = make_repo(complete_files())
    other = tmp_path / "linked tree"
    git(root, "worktree", "add", "-q", str(other), "-b", "side")
    git(other, "rm", "-q", "--cached", "ai-values.toml")
    assert run_cli("check", "--staged", str(other)).exit_code == 1
    assert run_cli("check", "--staged", str(root)).exit_code == 0


def test_staged_check_of_a_subdirectory(make_repo: MakeRepo, run_cli) -> None:
    files = {f"svc/{k}": v for k, v in complete_files().items()}
    root = make_repo({**files, "other/requirements.txt": "torch\n"})
    result = run_cli("check", "--staged", str(root / "svc"))
    assert result.exit_code == 0, result.output


def test_nothing_is_written_into_git(make_repo: MakeRepo, run_cli) -> None:
    root = make_repo(complete_files())
    commit(root, {"requirements.txt": "openai\ntorch\n"})
    write_files(root, {"README.md": "touched\n"})
    git(root, "add", "README.md")
    before = snapshot(root)
    run_cli("check", "--staged", str(root))
    run_cli("check", "--base", "HEAD~1", str(root))
    run_cli("check", str(root))
    assert snapshot(root) == before


def test_windows_line_endings_in_staged_manifest(make_repo: MakeRepo, run_cli) -> None:
    files = complete_files()
    files["ai-values.toml"] = complete_manifest().replace("\n", "\r\n")
    root = make_repo(files)
    result = run_cli("check", "--staged", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.endswith(PASS_TAIL)


def test_index_tree_batches_return_each_files_own_bytes(make_repo: MakeRepo) -> None:
    files: dict[str, str | bytes] = {f"d/{i:04d}.txt": f"file {i}\n" * (i % 7) for i in range(1100)}
    files["d/0500-big.bin"] = bytes(range(256)) * 8192  # 2 MiB: read alone, not batched
    root = make_repo(files)
    tree = IndexTree(root)
    assert len(tree.files()) == 1101
    for path in (*tree.files(), "d/0003.txt", "d/1099.txt", "d/0000.txt"):
        assert tree.read(path, 1 << 22) == (root / path).read_bytes()
    assert tree.read("d/0500-big.bin", 5) == bytes(range(5))
    assert tree.size("d/0500-big.bin") == 2 << 20


def test_huge_blob_is_read_only_as_far_as_asked(make_repo: MakeRepo) -> None:
    root = make_repo({"model.bin": b"GGUF" + b"\0" * (9 << 20), "small.txt": "x\n"})
    tree = IndexTree(root)
    assert tree.read("model.bin", 4) == b"GGUF"
    assert tree.read("small.txt", 100) == b"x\n"
    assert tree.size("model.bin") == 4 + (9 << 20)


segment = st.text(alphabet="ab.*?[]_", min_size=1, max_size=4)
paths = st.lists(segment, min_size=1, max_size=4).map("/".join)


@settings(max_examples=200, deadline=None)
@given(paths, st.lists(st.one_of(segment, paths), max_size=4))
def test_compiled_excludes_agree_with_is_excluded(path: str, excludes: list[str]) -> None:
    assert trees.excluder(excludes)(path) is trees.is_excluded(path, excludes)


def test_index_content_key_is_the_blob_id(make_repo: MakeRepo) -> None:
    root = make_repo({"requirements.txt": "openai\n"})
    (root / "link").symlink_to("requirements.txt")
    git(root, "add", "link")
    blob = git(root, "hash-object", "requirements.txt").strip()
    tree = IndexTree(root)
    assert tree.content_key("requirements.txt") == f"git:{blob}"
    assert tree.content_key("link") is None
    assert tree.content_key("missing") is None
