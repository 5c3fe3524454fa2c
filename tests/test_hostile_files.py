"""Special files anywhere kigate (or the git it runs) opens a path: never waited on, never
streamed. FIFOs without a writer block a plain ``open()`` forever; ``/dev/zero`` never ends."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.hostile_support import ai_repo, base_env, one_sentence, run_hostile

# Where a repository can plant a FIFO that kigate or git would open.
PLANTED = (
    ".gitignore",
    "sub/.gitignore",
    ".gitattributes",
    "sub/.gitattributes",
    ".git/index",
    ".git/objects/info/alternates",
    ".git/info/exclude",
    ".git/info/attributes",
    ".git/packed-refs",
    ".git/shallow",
    "ai-values.toml",
    ".kigate.toml",
    "pyproject.toml",
    "requirements-dev.txt",
    "notebook.ipynb",
)


@pytest.mark.parametrize("where", PLANTED)
@pytest.mark.parametrize("mode", [(), ("--staged",)], ids=["worktree", "staged"])
def test_a_fifo_anywhere_never_blocks(tmp_path: Path, where: str, mode: tuple[str, ...]) -> None:
    root = ai_repo(tmp_path, files={"sub/app.py": "import anthropic\n"})
    planted = root / where
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.unlink(missing_ok=True)
    os.mkfifo(planted)
    run_hostile(root, tmp_path, "check", "--format", "json", *mode, str(root))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_links_to_endless_devices_are_not_read(tmp_path: Path, device: str) -> None:
    root = ai_repo(tmp_path)
    for name in ("ai-values.toml", "requirements-x.txt", ".kigate.toml", "model.onnx"):
        (root / name).symlink_to(device)
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root))
    assert done.code == 1


@pytest.mark.parametrize("policy", ["/dev/stdin", "/dev/zero", "fifo", "directory"])
def test_a_policy_that_is_no_regular_file_is_refused(tmp_path: Path, policy: str) -> None:
    root = ai_repo(tmp_path)
    if policy == "fifo":
        policy = str(tmp_path / "policy.toml")
        os.mkfifo(policy)
    elif policy == "directory":
        policy = str(tmp_path)
    done = run_hostile(root, tmp_path, "check", "--policy", policy, str(root), allowed=(2,))
    assert "not a regular file" in one_sentence(done.stderr)


def test_a_signal_catalogue_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    os.mkfifo(tmp_path / "signals.toml")
    policy = tmp_path / "org.toml"
    policy.write_text(
        'kigate-policy = 1\nextends = "demokratische-ki"\nsignals = ["./signals.toml"]\n',
        encoding="utf-8",
    )
    done = run_hostile(root, tmp_path, "check", "--policy", str(policy), str(root), allowed=(2,))
    one_sentence(done.stderr)


@pytest.mark.parametrize("source", ["@fifo", "@/dev/zero", "fifo", "/dev/zero", "@/dev/stdin"])
def test_aggregate_sources_that_are_special_files(tmp_path: Path, source: str) -> None:
    watched = tmp_path / "in"
    watched.mkdir()
    os.mkfifo(watched / "fifo")
    source = source.replace("fifo", str(watched / "fifo"))
    done = run_hostile(watched, tmp_path, "aggregate", "--format", "json", source)
    assert done.code in (1, 2)


def test_a_cache_entry_that_is_a_fifo_is_ignored(tmp_path: Path) -> None:
    root = ai_repo(tmp_path)
    env = base_env(tmp_path)
    folder = Path(env["XDG_CACHE_HOME"]) / "kigate"
    folder.mkdir(parents=True)
    name = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:32]
    os.mkfifo(folder / f"{name}.v1.cache")
    done = run_hostile(root, tmp_path, "check", "--format", "json", str(root), env=env)
    assert done.code == 1
    assert '"pypi:openai"' in done.stdout
