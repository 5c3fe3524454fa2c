"""Repositories built to break a scanner: kigate survives each with a correct result.

Every case is checked three ways: the CLI in-process (exact components and findings from
the JSON report), a digest of the whole tree including ``.git/`` before and after (nothing
written), and a subprocess under a Python audit hook that records every write attempted
inside the tree, every command started and every network connection (none but git).
Inputs are generated and bounded; nothing large is committed to this repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from kigate import engine, policy
from kigate.worktree import WorkTree
from tests.conftest import git

RunCli = Callable[..., Result]
GIT_ID = ("-c", "user.name=Test", "-c", "user.email=test@example.org")

# Runs kigate in a fresh interpreter under an audit hook; writes what it saw to argv[2].
PROBE = r"""
import atexit, json, os, sys
root = os.path.realpath(sys.argv[1])
seen = {"writes": [], "commands": [], "connections": []}
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
MUTATE = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link",
          "os.chmod", "os.chown", "os.truncate", "os.utime", "os.mkfifo", "os.mknod",
          "shutil.rmtree", "shutil.copyfile", "shutil.move"}
busy = []
def inside(path):
    if isinstance(path, int):
        return False
    real = os.path.realpath(os.fsdecode(path))
    return real == root or real.startswith(root + os.sep)
def hook(event, args):
    if busy:
        return
    busy.append(1)
    try:
        if event == "open" and args[2] is not None and args[2] & WRITE and inside(args[0]):
            seen["writes"].append([event, os.fsdecode(args[0])])
        elif event in MUTATE and any(inside(a) for a in args[:2] if isinstance(a, (str, bytes))):
            seen["writes"].append([event, os.fsdecode(args[0])])
        elif event == "subprocess.Popen":
            seen["commands"].append([os.fsdecode(a) for a in args[1]])
        elif event in ("socket.connect", "socket.getaddrinfo"):
            seen["connections"].append(repr(args))
    finally:
        busy.pop()
report = sys.argv[2]
def dump():
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(seen, handle)
atexit.register(dump)
sys.addaudithook(hook)
from kigate.cli import entry  # the console command itself, its quick exit included
sys.argv[1:] = sys.argv[3:]
entry()
"""


def digest(root: Path) -> str:
    """Names, types, modes, mtimes, link targets and contents of everything below ``root``."""
    sha = hashlib.sha256()
    pending = [os.fsencode(root)]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                info = entry.stat(follow_symlinks=False)
                sha.update(b"%s\0%o\0%d\0" % (entry.path, info.st_mode, info.st_mtime_ns))
                if stat.S_ISLNK(info.st_mode):
                    sha.update(os.readlink(entry.path))
                elif stat.S_ISDIR(info.st_mode):
                    pending.append(entry.path)
                elif stat.S_ISREG(info.st_mode) and info.st_blocks * 512 >= info.st_size // 2:
                    with open(entry.path, "rb") as handle:  # sparse giants: size + mtime only
                        for block in iter(lambda h=handle: h.read(1 << 20), b""):
                            sha.update(block)
                sha.update(b"%d\n" % info.st_size)
    return sha.hexdigest()


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    components: list[str]
    findings: list[tuple[str, str | None, int | None]]
    report: dict[str, Any]


def check_json(run_cli: RunCli, root: Path, command: str = "check") -> Outcome:
    result = run_cli(command, "--format", "json", str(root))
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    items = report["findings"] if command == "check" else report["problems"]
    return Outcome(
        result.exit_code,
        [c["id"] for c in report["components"]],
        [(f["rule"], f["path"], f["line"]) for f in items],
        report,
    )


def probe(
    root: Path, tmp: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    seen = tmp / "probe.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(seen), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANG": "C", "LC_ALL": "", "NO_COLOR": "1"},
        check=False,
    )
    return done, json.loads(seen.read_text(encoding="utf-8"))


def assert_harmless(seen: dict[str, Any]) -> None:
    assert seen["writes"] == []
    assert seen["connections"] == []
    assert {Path(cmd[0]).name for cmd in seen["commands"]} <= {"git"}


@pytest.fixture
def survives(run_cli: RunCli, tmp_path: Path) -> Callable[[Path], Outcome]:
    """Run check and scan on ``root``; prove nothing was written and nothing but git ran."""

    def run(root: Path) -> Outcome:
        before = digest(root)
        outcome = check_json(run_cli, root)
        inventory = check_json(run_cli, root, "scan")
        assert inventory.components == outcome.components
        done, seen = probe(root, tmp_path, "check", "--format", "json", str(root))
        assert done.returncode == outcome.exit_code, done.stderr
        assert "Traceback" not in done.stderr
        assert [c["id"] for c in json.loads(done.stdout)["components"]] == outcome.components
        assert_harmless(seen)
        assert digest(root) == before
        return outcome

    return run


def new_tree(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    return root


def commit_all(root: Path) -> None:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, *GIT_ID, "commit", "-q", "-m", "hostile")


def finish(root: Path, use_git: bool) -> Path:
    if use_git:
        commit_all(root)
    return root


WITH_AND_WITHOUT_GIT = pytest.mark.parametrize("use_git", [True, False], ids=["git", "plain"])


@WITH_AND_WITHOUT_GIT
def test_symlink_loops_and_links_out_of_the_repository(
    tmp_path: Path, survives: Callable[[Path], Outcome], use_git: bool
) -> None:
    outside = new_tree(tmp_path, "outside")
    (outside / "requirements.txt").write_text("torch\n", encoding="utf-8")
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    for name, target in [
        ("loop1", "loop2"),
        ("loop2", "loop1"),
        ("self", "."),
        ("root", "/"),
        ("up", ".."),
        ("requirements-extra.txt", str(outside / "requirements.txt")),
        ("sub/requirements.txt", "../../outside/requirements.txt"),
        ("ai-values.toml", "/"),
    ]:
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).symlink_to(target)
    outcome = survives(finish(root, use_git))
    assert outcome.exit_code == 1
    assert outcome.components == ["pypi:openai"]  # torch lies outside: never read
    # Links out are reported, never followed; a link to / is no manifest.
    assert outcome.findings == [
        ("KG104", "ai-values.toml", None),
        ("KG101", "ai-values.toml", 1),
        ("KG104", "requirements-extra.txt", None),
        ("KG104", "sub/requirements.txt", None),
    ]


def make_odd_names(root: Path) -> None:
    files = {
        b"-rf": b"openai\n",
        b"-rf-dir/requirements.txt": b"openai\n",
        b"--output=x/requirements.txt": b"openai\n",
        b"requirements\n.txt": b"transformers\n",
        b"requirements-\xff\xfe.txt": b"torch\n",
        b"d\xff/requirements.txt": b"anthropic\n",
        b"\xe2\x80\xaeevil/requirements.txt": b"langchain\n",  # right-to-left override
    }
    for name, content in files.items():
        path = os.path.join(os.fsencode(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content)


@WITH_AND_WITHOUT_GIT
def test_names_that_look_like_options_or_break_lines_and_encodings(
    tmp_path: Path, survives: Callable[[Path], Outcome], run_cli: RunCli, use_git: bool
) -> None:
    root = new_tree(tmp_path, "repo")
    make_odd_names(root)
    outcome = survives(finish(root, use_git))
    assert outcome.components == [
        "pypi:anthropic",
        "pypi:langchain",
        "pypi:openai",
        "pypi:torch",
        "pypi:transformers",
    ]
    evidence = sorted(e["path"] for c in outcome.report["components"] for e in c["evidence"])
    assert evidence == [
        "--output=x/requirements.txt",
        "-rf-dir/requirements.txt",
        "\\u202eevil/requirements.txt",
        "d\\xff/requirements.txt",
        "requirements-\\xff\\xfe.txt",
        "requirements\\n.txt",
    ]
    assert outcome.findings == [
        ("KG100", "--output=x/requirements.txt", 1),
        ("KG100", "\\u202eevil/requirements.txt", 1),
        ("KG100", "d\\xff/requirements.txt", 1),
        ("KG100", "requirements-\\xff\\xfe.txt", 1),
        ("KG100", "requirements\\n.txt", 1),
    ]
    # Each finding on one line of its own: a name with a newline cannot forge another line.
    lines = run_cli("check", "--lang", "en", str(root)).output.splitlines()
    for rule, path, line in outcome.findings:
        assert sum(text.startswith(f"{path}:{line}: {rule} ") for text in lines) == 1
    assert not any(text.startswith(".txt") for text in lines)
    assert not any("\u202e" in text or "\udcff" in text for text in lines)


@WITH_AND_WITHOUT_GIT
def test_directory_nested_a_thousand_levels(
    tmp_path: Path, survives: Callable[[Path], Outcome], use_git: bool
) -> None:
    root = new_tree(tmp_path, "repo")
    chain = [root]
    for _ in range(1000):  # one level at a time: mkdir(parents=True) recurses
        chain.append(chain[-1] / "d")
        chain[-1].mkdir()
    (chain[-1] / "requirements.txt").write_text("openai\n", encoding="utf-8")
    try:
        outcome = survives(finish(root, use_git))
    finally:  # shutil.rmtree recurses too: pytest's clean-up of old temp dirs would fail
        (chain[-1] / "requirements.txt").unlink()
        for folder in reversed(chain[1:]):
            folder.rmdir()
    assert outcome.components == ["pypi:openai"]
    assert outcome.findings == [("KG100", "d/" * 1000 + "requirements.txt", 1)]


def test_manifest_with_100000_keys_lists_the_first_hundred(
    tmp_path: Path, survives: Callable[[Path], Outcome]
) -> None:
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    keys = "".join(f"k{i:x}=1\n" for i in range(100_000))
    (root / "ai-values.toml").write_text(f'kigate = 1\n[system]\nname = "x"\n{keys}')
    outcome = survives(finish(root, True))
    kg102 = [f for f in outcome.report["findings"] if f["rule"] == "KG102"]
    assert len(kg102) == 101
    assert [f["line"] for f in kg102[:3]] == [4, 5, 6]
    assert kg102[-1]["line"] == 104
    assert kg102[-1]["message"] == (
        "99900 further problems in this manifest are not listed; mend the ones above and "
        "run kigate again"
    )


def test_gitattributes_filters_and_textconv_never_run(
    tmp_path: Path, survives: Callable[[Path], Outcome]
) -> None:
    markers = new_tree(tmp_path, "markers")
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (root / ".gitattributes").write_text("* filter=evil diff=evil\n", encoding="utf-8")
    commit_all(root)

    def touch(what: str) -> str:
        return f"touch {markers / what}; cat"

    for key, value in [
        ("filter.evil.clean", touch("clean")),
        ("filter.evil.smudge", touch("smudge")),
        ("filter.evil.required", "true"),
        ("filter.other.process", touch("process")),
        ("diff.evil.textconv", touch("textconv")),
        ("diff.evil.command", touch("command")),
        ("core.fsmonitor", touch("fsmonitor")),
    ]:
        git(root, "config", key, value)
    # Stat-dirty and changed: git status must compare contents, which needs the clean filter.
    with (root / "requirements.txt").open("a", encoding="utf-8") as handle:
        handle.write("torch\n")
    outcome = survives(root)
    assert outcome.components == ["pypi:openai", "pypi:torch"]
    assert outcome.report["repository"]["dirty"] is True
    assert sorted(os.listdir(markers)) == []


def test_git_objects_missing(tmp_path: Path, survives: Callable[[Path], Outcome]) -> None:
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (root / "README.md").write_text("hello\n", encoding="utf-8")
    commit_all(root)
    objects = root / ".git" / "objects"
    for folder in objects.iterdir():
        if len(folder.name) == 2:
            shutil.rmtree(folder)
    outcome = survives(root)
    assert outcome.components == ["pypi:openai"]
    assert outcome.findings == [("KG100", "requirements.txt", 1)]
    assert outcome.report["repository"]["commit"] is None


def test_git_index_and_head_garbage(tmp_path: Path, survives: Callable[[Path], Outcome]) -> None:
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    commit_all(root)
    (root / ".git" / "index").write_bytes(b"DIRC\xff\xff garbage")
    (root / ".git" / "HEAD").write_text("not a ref\n", encoding="utf-8")
    outcome = survives(root)
    assert outcome.components == ["pypi:openai"]
    assert outcome.findings == [("KG100", "requirements.txt", 1)]


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (root / "ai-values.toml").write_text("kigate = 1\n", encoding="utf-8")
    commit_all(root)
    modes = {}
    for path in [root, *root.rglob("*")]:
        modes[path] = path.lstat().st_mode
        if not path.is_symlink():
            path.chmod(stat.S_IMODE(modes[path]) & ~0o222)
    yield root
    for path, mode in sorted(modes.items(), key=lambda item: len(item[0].parts)):
        if not path.is_symlink():
            path.chmod(stat.S_IMODE(mode))


def test_read_only_tree_no_write_attempted(
    read_only: Path, survives: Callable[[Path], Outcome]
) -> None:
    # As root chmod stops nothing: the audit hook and the digest inside ``survives`` prove it.
    outcome = survives(read_only)
    assert outcome.components == ["pypi:openai"]
    assert ("KG140", "requirements.txt", 1) in outcome.findings


MOUNT_RO = """
mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 97
touch "$1/.write-probe" 2>/dev/null && exit 98
echo MOUNTED >&2
shift
exec "$@"
"""


def test_read_only_bind_mount(read_only: Path, run_cli: RunCli) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) for a private read-only bind mount")
    expected = check_json(run_cli, read_only)
    kigate = [sys.executable, "-m", "kigate", "check", "--format", "json", str(read_only)]
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", MOUNT_RO, "sh", str(read_only), *kigate],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANG": "C", "LC_ALL": "", "NO_COLOR": "1"},
        check=False,
    )
    if "MOUNTED" not in done.stderr:
        pytest.skip(f"no private read-only bind mount here ({done.returncode})")
    assert done.returncode == expected.exit_code, done.stderr
    report = json.loads(done.stdout)
    assert [c["id"] for c in report["components"]] == expected.components
    assert [(f["rule"], f["path"], f["line"]) for f in report["findings"]] == expected.findings


# -- cases that need detection -------------------------------------------------------------


class MeteredTree(WorkTree):
    """Records the most bytes any single read of a file returned."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.largest: dict[str, int] = {}

    def read(self, path: str, limit: int) -> bytes | None:
        data = super().read(path, limit)
        self.largest[path] = max(self.largest.get(path, 0), len(data or b""))
        return data


def test_sparse_gigabyte_model_file_is_identified_by_its_header(
    tmp_path: Path, survives: Callable[[Path], Outcome]
) -> None:
    root = new_tree(tmp_path, "repo")
    (root / "README.md").write_text("weights below\n", encoding="utf-8")
    commit_all(root)
    model = root / "models" / "big.gguf"
    model.parent.mkdir()
    with model.open("wb") as handle:  # untracked: git never hashes the gigabyte
        handle.write(b"GGUF\x03\x00\x00\x00")
        handle.truncate(1 << 30)
    outcome = survives(root)
    evidence = [(c["id"], e["path"]) for c in outcome.report["components"] for e in c["evidence"]]
    assert [path for _, path in evidence] == ["models/big.gguf"]
    tree = MeteredTree(root)
    engine.inventory(engine.InventoryRequest(root, policy.load(), tree=tree))
    assert 0 < tree.largest["models/big.gguf"] <= 1 << 20  # a header, not the gigabyte


def test_notebook_nested_ten_thousand_deep(
    tmp_path: Path, survives: Callable[[Path], Outcome]
) -> None:
    root = new_tree(tmp_path, "repo")
    deep = "[" * 10_000 + "]" * 10_000
    cells = '"cells": [{"cell_type": "code", "source": ["import openai"]}]'
    notebook = "{" + cells + ', "x": ' + deep + "}"
    (root / "analysis.ipynb").write_text(notebook, encoding="utf-8")
    (root / "requirements.txt").write_text("torch\n", encoding="utf-8")
    outcome = survives(finish(root, True))
    assert "pypi:torch" in outcome.components
    assert ("KG104", "analysis.ipynb", None) in outcome.findings


def test_requirements_that_include_themselves(
    tmp_path: Path, survives: Callable[[Path], Outcome]
) -> None:
    root = new_tree(tmp_path, "repo")
    (root / "requirements.txt").write_text("-r requirements.txt\nopenai\n", encoding="utf-8")
    (root / "requirements-a.txt").write_text("-r requirements-b.txt\n", encoding="utf-8")
    (root / "requirements-b.txt").write_text(
        "--requirement requirements-a.txt\n-c requirements-b.txt\ntorch\n", encoding="utf-8"
    )
    outcome = survives(finish(root, True))
    assert outcome.components == ["pypi:openai", "pypi:torch"]


def test_setup_py_is_read_never_run(tmp_path: Path, survives: Callable[[Path], Outcome]) -> None:
    marker = tmp_path / "setup-ran"
    root = new_tree(tmp_path, "repo")
    (root / "setup.py").write_text(
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).write_text('ran')\n"
        "from setuptools import setup\n"
        "setup(name='x', install_requires=['openai>=1'])\n",
        encoding="utf-8",
    )
    outcome = survives(finish(root, True))
    assert outcome.components == ["pypi:openai"]
    assert not marker.exists()
