"""Helpers for the gates tests: commits, branches, clones and a guard that .git stays untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import GIT_ENV, example_files, git, write_files

BIN = Path(sys.executable).parent


def commit(repo: Path, files: Mapping[str, str | bytes], message: str = "change") -> str:
    """Write ``files``, stage everything and commit; the new commit's sha."""
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def snapshot(repo: Path) -> dict[str, tuple[int, int]]:
    """Every file of the work tree and its .git with size and modification time: kigate
    must change none."""
    state = {}
    for path in sorted(repo.rglob("*")):
        if path.is_file():
            info = path.stat()
            state[str(path.relative_to(repo))] = (info.st_size, info.st_mtime_ns)
    return state


def env_with_kigate(home: Path) -> dict[str, str]:
    """The environment of a real git command that runs kigate's hooks from this venv."""
    return {
        **os.environ,
        **GIT_ENV,
        "HOME": str(home),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "LANG": "C",
        "LC_ALL": "",
    }


def run(
    args: list[str], cwd: Path, env: Mapping[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=dict(env), input=stdin, capture_output=True, text=True, check=False
    )


def complete_files() -> dict[str, str | bytes]:
    """The complete example without its code: the dependency file stays the only evidence,
    so a finding's place does not move when detection learns more signals."""
    files = example_files("complete")
    del files["app.py"]
    return files
