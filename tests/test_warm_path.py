"""The warm path of ``kigate check``: git starts before kigate loads, a check that knows the
tree from its snapshot lists nothing it does not need, and what it answers stays exact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kigate.delta_tree import DeltaTree
from kigate.git.delta import Delta, Pending, parse_diff_index
from kigate.tree import files_under
from tests.conftest import MakeRepo, git

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


def _tree(root: Path) -> DeltaTree:
    known = Pending(None, parse_diff_index, Delta({}, False))
    return DeltaTree(root, "staged", (), "0" * 40, known)


@settings(max_examples=60, deadline=None)
@given(listed=NAMES, gone=NAMES, new=NAMES)
def test_a_folder_is_listed_from_the_snapshot_as_from_every_file(
    listed: list[str], gone: list[str], new: list[str]
) -> None:
    tree = _tree(Path("/nonexistent-kigate-root"))
    tree.patched("\0".join(sorted(listed)), set(gone), set(new))
    for folder in (".kigate/approvals/", "web/.kigate/approvals/", "a/", ".kigate/"):
        expected = tuple(
            f for f in tree.files() if f.startswith(folder) and "/" not in f[len(folder) :]
        )
        fresh = _tree(Path("/nonexistent-kigate-root"))
        fresh.patched("\0".join(sorted(listed)), set(gone), set(new))
        assert files_under(fresh, folder) == expected  # before the names are split
        assert files_under(tree, folder) == expected  # and after


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
        opened: list[str] = []
        OPENED.append(opened)
        try:
            result = engine.check(request)
        finally:
            OPENED.clear()
        reads.append(opened.count(str(cache)))
    assert reads == [1, 0, 0]
    assert "anthropic" in json.dumps([c.id for c in result.report.components])


OPENED: list[list[str]] = []


def _count_opens(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and OPENED and isinstance(args[0], str | Path):
        OPENED[-1].append(str(args[0]))


sys.addaudithook(_count_opens)
