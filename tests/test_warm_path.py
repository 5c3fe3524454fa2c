"""The warm path of ``kigate check``: git starts before kigate loads, a check that knows the
tree from its snapshot lists nothing it does not need, and what it answers stays exact."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kigate import delta_tree
from kigate.git.trees import IndexTree
from kigate.tree import files_under
from kigate.worktree import WorkTree
from tests.conftest import MakeRepo, git, write_files
from tests.test_git_runner import started  # noqa: F401 - the fixture that counts git

PROBE = """
import json, subprocess, sys
seen = []
def hook(event, args):
    if event == "subprocess.Popen" and any(str(a) in ("status", "diff-index") for a in args[1]):
        names = ("click", "kigate.engine", "kigate.i18n")
        seen.append(sorted(m for m in names if m in sys.modules))
sys.addaudithook(hook)
from kigate.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": seen}), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [("check",), ("check", "--staged")])
def test_git_starts_before_click_and_the_engine_are_loaded(
    make_repo: MakeRepo, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """``git status`` (``git diff-index`` for the index) works while kigate loads, and
    the check takes that answer instead of asking again."""
    root = make_repo({"app.py": "import openai\n"})
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args, str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    answer = json.loads(done.stderr.strip().splitlines()[-1])
    assert answer == {"code": 1, "loaded": [[]]}, done.stderr


NAMES = st.lists(
    st.sampled_from(
        (
            ".kigate/approvals/a.toml",
            ".kigate/approvals/b.toml",
            ".kigate/approvals.toml",
            ".kigate/approvals/sub/c.toml",
            ".kigate/approvalsx/d.toml",
            ".kigate/x",
            "a.py",
            "web/.kigate/approvals/w.toml",
            "zz",
        )
    ),
    unique=True,
)


FOLDERS = (".kigate/approvals/", "web/.kigate/approvals/", "a/", ".kigate/", "")


@settings(max_examples=12, deadline=None)
@given(committed=NAMES, added=NAMES, removed=NAMES)
def test_a_folder_is_listed_from_head_and_changes_as_from_every_file(
    committed: list[str], added: list[str], removed: list[str]
) -> None:
    """``DeltaTree.in_folder`` (HEAD's tree of the folder plus git's changes, no listing
    read) answers what the full listing of the working tree, then of the index, says."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        write_files(root, {"base.txt": "x\n", **{p: p for p in committed}})
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
        write_files(root, {p: "new " + p for p in added})
        for path in removed:
            if (root / path).is_file():
                (root / path).unlink()
        for view, reference in (("worktree", WorkTree), ("staged", IndexTree)):
            if view == "staged":
                git(root, "add", "-A")
            tree = delta_tree.open_tree(root, view, ())
            assert tree is not None
            for folder in FOLDERS:
                expected = files_under(reference(root, ()), folder)
                assert files_under(tree, folder) == expected, (view, folder)


def test_another_views_cache_is_verified_once_not_on_every_check(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staged view's cold run rewrites the per-file cache; the working tree's snapshot
    then checks that file once and is rewritten, so the next check does not read it again."""
    from kigate import engine, policy

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = make_repo({"app.py": "import openai\n", "lib.py": "import os\n"})
    request = engine.CheckRequest(root=root, policy=policy.load(), cache=True, history=False)
    staged = engine.CheckRequest(
        root=root, policy=request.policy, cache=True, history=False, mode=engine.Mode.STAGED
    )
    engine.check(request)
    (root / "new.py").write_text("import anthropic\n", encoding="utf-8")
    git(root, "add", "new.py")
    engine.check(staged)  # cold for the index: the per-file cache is written again
    (cache,) = (tmp_path / "xdg" / "kigate").iterdir()
    reads: list[int] = []
    for _ in range(3):
        with counting_opens() as opened:
            result = engine.check(request)
        reads.append(opened.count(str(cache)))
    assert reads == [1, 0, 0]
    assert "anthropic" in json.dumps([c.id for c in result.report.components])


OPENED: list[list[str]] = []


@contextlib.contextmanager
def counting_opens() -> Iterator[list[str]]:
    """The paths this process opens inside the block, in order."""
    opened: list[str] = []
    OPENED.append(opened)
    try:
        yield opened
    finally:
        OPENED.clear()


def _count_opens(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and OPENED and isinstance(args[0], str | Path):
        OPENED[-1].append(str(args[0]))


sys.addaudithook(_count_opens)


def _snapshots(cache_home: Path) -> list[Path]:
    from kigate import snapshot

    return sorted((cache_home / "kigate-trees").glob(f"*.v{snapshot.FORMAT}.cache"))


def test_a_warm_check_of_one_edit_reads_the_snapshot_but_not_its_names(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kigate import engine, policy

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    files = {f"pkg/m{i}.py": "import os\n" for i in range(40)}
    root = make_repo({"app.py": "import openai\n", **files})
    request = engine.CheckRequest(root=root, policy=policy.load(), cache=True, history=False)
    cold = engine.check(request).report
    (snap,) = _snapshots(tmp_path / "xdg")
    (root / "pkg" / "m3.py").write_text("import os\nimport sys\n", encoding="utf-8")
    with counting_opens() as opened:
        warm = engine.check(request).report
    assert opened.count(str(snap)) == 1  # the snapshot once; its names were not needed
    assert warm.components == cold.components and warm.findings == cold.findings


def test_damaged_names_are_listed_afresh_and_the_result_stays_exact(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names are checked when read: a snapshot whose names were damaged answers with
    git's full listing, exactly as a check without any cache."""
    from dataclasses import replace

    from kigate import engine, policy

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = make_repo({"app.py": "import openai\n", "models/a.gguf": b"GGUF\x03\x00"})
    request = engine.CheckRequest(root=root, policy=policy.load(), cache=True, history=False)
    engine.check(request)
    (snap,) = _snapshots(tmp_path / "xdg")
    data = bytearray(snap.read_bytes())
    data[-3] ^= 0x20  # a name's letter flips case: the names' checksum fails
    snap.write_bytes(bytes(data))
    (root / "models" / "b.gguf").write_bytes(b"GGUF\x03\x00")  # a file came: names needed
    with counting_opens() as opened:
        warm = engine.check(request).report
    assert opened.count(str(snap)) == 2  # the snapshot, then its names (which fail)
    cold = engine.check(replace(request, cache=False)).report
    assert "models/b.gguf" in json.dumps([e.path for c in warm.components for e in c.evidence])
    assert replace(warm, generated_at="") == replace(cold, generated_at="")


def test_the_idle_hook_starts_one_git_process(
    make_repo: MakeRepo,
    monkeypatch: pytest.MonkeyPatch,
    started: list[list[str]],  # noqa: F811 - the fixture imported above
) -> None:
    """Nothing relevant staged: one ``git diff-index``, no check, exit 0."""
    from kigate import hook

    root = make_repo({"app.py": "import openai\n", "docs/guide.md": "A guide.\n"})
    (root / "docs" / "guide.md").write_text("A longer guide.\n", encoding="utf-8")
    git(root, "add", "docs/guide.md")
    monkeypatch.chdir(root)
    started.clear()
    assert hook.main(["--gate"]) == 0
    assert [c for c in started if "diff-index" in c] == started
    assert len(started) == 1, started


def test_the_console_command_exits_quickly_with_everything_written_and_cleaned(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    """``kigate`` ends without tearing the interpreter down: the whole report still reaches
    a pipe, the exit code is the gate's, and the temporary git directory is gone."""
    files = {f"src/m{i}.py": f"import openai  # {i}\n" for i in range(300)}
    root = make_repo(files)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TMPDIR": str(temp),
    }
    done = subprocess.run(
        [sys.executable, "-m", "kigate", "check", "--format", "json", str(root)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)  # every byte of it
    (component,) = report["components"]
    assert len(component["evidence"]) == 300
    assert list(temp.iterdir()) == []  # the exit handlers ran


def test_two_installations_of_one_kigate_share_the_cache_namespace(tmp_path: Path) -> None:
    """The namespace digests kigate's sources by content: pre-commit's installation and a
    developer's (same files, other times) answer from one snapshot instead of replacing it."""
    import os

    from kigate.cache import source_digest

    first, second = tmp_path / "a", tmp_path / "b"
    for folder, when in ((first, 1_000_000_000), (second, 1_700_000_000)):
        folder.mkdir()
        for name in ("hosts.py", "models.py"):
            (folder / name).write_text(f"# {name}\n", encoding="utf-8")
            os.utime(folder / name, (when, when))
    assert source_digest(first) == source_digest(second)
    (second / "models.py").write_text("# changed\n", encoding="utf-8")
    source_digest.cache_clear()
    assert source_digest(first) != source_digest(second)
