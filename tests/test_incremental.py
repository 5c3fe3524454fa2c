"""Incremental checks equal cold ones: after any sequence of edits, renames, deletions, mode
changes, links, staging, commits and branch switches, ``check`` with the whole-tree snapshot
reports exactly what a check without any cache reports, for the working tree and the index.

Example counts: a few in the normal suite, many more with ``KIGATE_FUZZ=long``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kigate import engine, hook, policy
from kigate.model import Report
from tests.conftest import complete_manifest, git, write_files
from tests.test_git_runner import started  # noqa: F401 - the fixture that counts git

POLICY = policy.load()
LONG = os.environ.get("KIGATE_FUZZ") == "long"

PATHS = (
    "app.py",
    "src/a.py",
    "src/b.py",
    "requirements.txt",
    "requirements/dev.txt",
    "base.txt",
    "web/package.json",
    "Dockerfile",
    "vendor/x.py",
    "docs/guide.md",
    "ai-values.toml",
    "models/model-00001-of-00002.safetensors",
    "models/model-00002-of-00002.safetensors",
    "package.json",
    ".kigate/approvals/owner.toml",  # a sign-off record: "could not be checked" comes and goes
)
CONTENTS: tuple[str | bytes, ...] = (
    "import openai\n",
    "import os\n",
    "import anthropic\nimport torch\n",
    "-r base.txt\nflask\n",
    "-r requirements/dev.txt\nopenai\n",
    "openai\n",
    "transformers==4\n",
    '{"dependencies": {"openai": "^4", "react": "1"}}\n',
    "FROM ollama/ollama\n",
    '{"name": "openai", "workspaces": ["web"]}\n',
    b"\x00\x01weights",
    b"\xff\xfeimport openai\n",
    "",
)
MANIFEST = complete_manifest()

OPS = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(PATHS), st.sampled_from(CONTENTS)),
    st.tuples(st.just("manifest"), st.sampled_from(("ai-values.toml", "web/ai-values.toml"))),
    st.tuples(st.just("delete"), st.sampled_from(PATHS)),
    st.tuples(st.just("rename"), st.sampled_from(PATHS), st.sampled_from(PATHS)),
    st.tuples(st.just("chmod"), st.sampled_from(PATHS)),
    st.tuples(st.just("link"), st.sampled_from(PATHS), st.sampled_from(PATHS)),
    st.tuples(st.just("stage"), st.sampled_from(PATHS)),
    st.tuples(st.just("stage-all")),
    st.tuples(st.just("commit")),
    st.tuples(st.just("switch")),
)


def apply(root: Path, op: tuple[Any, ...]) -> None:
    kind = op[0]
    if kind in ("write", "manifest"):
        _remove(root / op[1])  # a link is replaced, never written through
        write_files(root, {op[1]: op[2] if kind == "write" else MANIFEST})
    elif kind == "delete":
        _remove(root / op[1])
    elif kind == "rename" and op[1] != op[2] and (root / op[1]).is_file():
        _remove(root / op[2])
        (root / op[2]).parent.mkdir(parents=True, exist_ok=True)
        os.replace(root / op[1], root / op[2])
    elif kind == "chmod" and (root / op[1]).is_file() and not (root / op[1]).is_symlink():
        mode = (root / op[1]).stat().st_mode
        os.chmod(root / op[1], mode ^ 0o111)
    elif kind == "link" and op[1] != op[2]:
        _remove(root / op[1])
        (root / op[1]).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.path.relpath(root / op[2], (root / op[1]).parent), root / op[1])
    elif kind == "stage":
        git(root, "add", "-A", "--", op[1], check=False)  # nothing there: nothing staged
    elif kind == "stage-all":
        git(root, "add", "-A")
    elif kind == "commit":
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", "step")
    elif kind == "switch":
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", "before switch")
        other = "other" if git(root, "branch", "--show-current").strip() == "main" else "main"
        git(root, "checkout", "-q", other)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def check(root: Path, mode: engine.Mode, cache: bool) -> Report:
    request = engine.CheckRequest(root=root, policy=POLICY, mode=mode, cache=cache)
    report = engine.check(request).report
    return dataclasses.replace(report, generated_at="")


@pytest.fixture
def workspace() -> Iterator[Path]:
    # Not tmp_path: hypothesis runs many examples in one test, each needs a fresh folder.
    folder = Path(tempfile.mkdtemp(prefix="kigate-incremental-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fresh_repo(folder: Path) -> Path:
    root = Path(tempfile.mkdtemp(dir=folder))
    write_files(root, {"app.py": "import openai\n", "requirements.txt": "-r base.txt\n"})
    write_files(root, {"base.txt": "anthropic\n", "docs/guide.md": "A guide.\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    git(root, "branch", "other")
    return root


def assert_same(root: Path, step: int) -> None:
    for mode in (engine.Mode.WORKTREE, engine.Mode.STAGED):
        warm = check(root, mode, cache=True)
        cold = check(root, mode, cache=False)
        assert warm == cold, f"step {step}, {mode.value}: incremental and cold differ"


# The fixtures are shared on purpose: each example makes its own repository and cache.
@settings(
    max_examples=400 if LONG else 8,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(OPS, min_size=1, max_size=12 if LONG else 6))
def test_incremental_equals_cold(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, ops: list[tuple[Any, ...]]
) -> None:
    root = fresh_repo(workspace)
    monkeypatch.setenv("XDG_CACHE_HOME", str(Path(tempfile.mkdtemp(dir=workspace))))
    assert_same(root, 0)  # fills the snapshots
    for step, op in enumerate(ops, 1):
        apply(root, op)
        assert_same(root, step)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX audit of os.open")
def test_a_warm_check_reads_only_what_changed(workspace: Path, monkeypatch: Any) -> None:
    root = fresh_repo(workspace)
    write_files(root, {f"pkg/m{i}.py": f"import os  # {i}\n" for i in range(50)})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "more")
    monkeypatch.setenv("XDG_CACHE_HOME", str(workspace / "xdg"))
    check(root, engine.Mode.WORKTREE, cache=True)
    (root / "pkg" / "m7.py").write_text("import openai\n", encoding="utf-8")
    opened: list[str] = []
    OPENED.append(opened)
    try:
        report = check(root, engine.Mode.WORKTREE, cache=True)
    finally:
        OPENED.clear()
    inside = sorted(
        {os.path.relpath(p, root) for p in opened if p.startswith(str(root) + "/")}
        - {".git/HEAD", ".git/commondir", ".git/config", ".git/refs/heads/main"}
    )
    assert inside == ["pkg/m7.py"], inside
    assert any(e.path == "pkg/m7.py" for c in report.components for e in c.evidence)
    assert report == check(root, engine.Mode.WORKTREE, cache=False)


OPENED: list[list[str]] = []


def _count_opens(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and OPENED and isinstance(args[0], str):
        OPENED[-1].append(os.path.realpath(args[0]))


sys.addaudithook(_count_opens)


def test_the_hook_asks_git_for_the_index_once(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: list[list[str]],  # noqa: F811 - the fixture imported above
) -> None:
    """The idle decision and the check that follows share one ``git diff-index``."""
    root = fresh_repo(workspace)
    monkeypatch.setenv("XDG_CACHE_HOME", str(workspace / "xdg"))
    monkeypatch.chdir(root)
    (root / "src").mkdir()
    (root / "src" / "a.py").write_text("import anthropic\n", encoding="utf-8")
    git(root, "add", "src/a.py")
    started.clear()
    assert hook.main(["--gate"]) == 1  # AI without a manifest: KG100
    asked = [c for c in started if "diff-index" in c or "diff" in c]
    assert len(asked) == 1, asked
    assert len(started) <= 4, started


def test_kigate_check_starts_git_status_once_before_loading(
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    started: list[list[str]],  # noqa: F811 - the fixture imported above
) -> None:
    """``kigate check`` starts ``git status`` before click parses, and the check takes it."""
    from kigate.cli import main

    root = fresh_repo(workspace)
    monkeypatch.setenv("XDG_CACHE_HOME", str(workspace / "xdg"))
    assert main(["check", "--format", "json", str(root)]) == 1  # an option's value: no early start
    cold = capsys.readouterr().out
    (root / "app.py").write_text("import anthropic\n", encoding="utf-8")
    started.clear()
    assert main(["check", "--format=json", str(root)]) == 1
    statuses = [c for c in started if "status" in c]
    assert len(statuses) == 1, started
    warm = json.loads(capsys.readouterr().out)
    assert warm["components"] != json.loads(cold)["components"]
    again = check(root, engine.Mode.WORKTREE, cache=False)
    assert [c["id"] for c in warm["components"]] == [c.id for c in again.components]
