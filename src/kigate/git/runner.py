"""The one way kigate runs git: every git process of kigate starts here.

Each command runs in the shadow git directory (``shadow.py``: the repository's own config
is never read), with a scrubbed environment (no inherited ``GIT_*`` variable except the
index a running ``git commit`` names, no system or global config, no prompts, no transport
protocol allowed), ``--no-optional-locks`` (no index refresh written back), and stdin from
/dev/null. There is no ``git version`` probe: git is looked up on ``PATH`` without starting
it, and ``cat-file --batch-command`` (git 2.36) is the newest feature used. Only the
standard library is imported, so the idle hook stays light.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from kigate.git.shadow import Location, locate, shadow_dir
from kigate.names import decode

TIMEOUT = 300  # seconds for one command: a broken repository fails, it does not hang
_POLL = 0.25  # seconds between looks at a running command
# Where Linux parks a process that opens a FIFO nobody writes to (a pipe read is no sign:
# ``cat-file --batch`` waits on its stdin between requests).
_FIFO_WAITS = frozenset({b"wait_for_partner", b"fifo_open"})

# Belt and braces: the shadow config sets none of these, and git's defaults run nothing.
_OPTIONS = (
    "--no-optional-locks",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.pager=cat",
    "-c",
    "protocol.allow=never",
)


class GitUnavailable(Exception):
    """Git cannot answer here; ``reason`` says why (``no_git``, ``not_repo``, ...: the last
    part of a ``gates.*`` catalogue key)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def executable() -> str:
    """The git program on ``PATH``; GitUnavailable("no_git") without one. Found without
    starting a process (``git version`` is never asked: git 2.36 or newer is required)."""
    found = _which(os.environ.get("PATH", os.defpath))
    if found is None:
        raise GitUnavailable("no_git")
    return found


@functools.lru_cache(maxsize=4)
def _which(path: str) -> str | None:
    return shutil.which("git", path=path)


def location(root: Path) -> Location:
    """The repository ``root`` lies in; GitUnavailable("not_repo") outside of one."""
    found = locate(root)
    if found is None:
        raise GitUnavailable("not_repo")
    return found


def environment(where: Location, own_config: bool = False) -> dict[str, str]:
    """The environment of every git process for the repository at ``where``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    index = os.environ.get("GIT_INDEX_FILE")  # set by ``git commit`` for its hooks
    env.update(
        GIT_INDEX_FILE=os.path.abspath(index) if index else str(where.git_dir / "index"),
        GIT_WORK_TREE=str(where.top),
        GIT_TERMINAL_PROMPT="0",
        GIT_PROTOCOL_FROM_USER="0",
        GIT_ALLOW_PROTOCOL="",
        GIT_OPTIONAL_LOCKS="0",
        GIT_CONFIG_NOSYSTEM="1",
        LC_ALL="C",
    )
    if own_config:  # install-hook only: where the owner's own git looks for hooks
        env["GIT_DIR"] = str(where.git_dir)
        return env
    env["GIT_DIR"] = str(shadow_dir(where))
    env["GIT_OBJECT_DIRECTORY"] = str(where.common / "objects")
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    if os.path.isfile(where.common / "shallow"):
        env["GIT_SHALLOW_FILE"] = str(where.common / "shallow")
    return env


def _files_options(where: Location) -> list[str]:
    """The repository's own exclude and attributes files (``info/``), when they are regular
    files: the shadow git directory has no ``info`` folder of its own."""
    options = []
    for key, name in (("core.excludesFile", "exclude"), ("core.attributesFile", "attributes")):
        path = where.common / "info" / name
        if os.path.isfile(path) and not os.path.islink(path):
            options += ["-c", f"{key}={path}"]
    return options


def _command(where: Location, args: Sequence[str], own_config: bool) -> list[str]:
    git = executable()
    if own_config:
        return [git, "--no-optional-locks", *args]
    return [git, *_OPTIONS, *_files_options(where), *args]


def start(root: Path, *args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
    """A running git command in ``root`` (stdout a pipe; stdin a pipe when asked)."""
    where = location(root)
    env = environment(where)
    try:
        return subprocess.Popen(
            _command(where, args, False),
            cwd=root,
            env=env,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        raise GitUnavailable("no_git") from None


def run(root: Path, *args: str, own_config: bool = False) -> bytes:
    """Stdout of one git command; GitUnavailable when git or the repository is missing,
    RuntimeError (git's message) when the command fails."""
    where = location(root)
    env = environment(where, own_config)
    try:
        process = subprocess.Popen(
            _command(where, args, own_config),
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError:
        raise GitUnavailable("no_git") from None
    with process:
        out, err = _watched(process)
    if process.returncode != 0:
        raise RuntimeError(decode(err).strip())
    return out


def _watched(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """Output of ``process``, which is killed (RuntimeError) after TIMEOUT or as soon as it
    waits twice in a row on a FIFO: a repository can plant one where git opens a file
    (a nested ``.gitignore``, ``.gitattributes``, ``index``, ``objects/info/alternates``)
    and git opens those blocking. Linux tells by the process's wait channel."""
    deadline = time.monotonic() + TIMEOUT
    stuck = 0
    while True:
        try:
            return process.communicate(timeout=_POLL)
        except subprocess.TimeoutExpired:
            stuck = stuck + 1 if waits_on_fifo(process.pid) else 0
            if stuck < 2 and time.monotonic() < deadline:
                continue
            process.kill()
            process.communicate()
            raise RuntimeError("git did not answer in time") from None


def finish(process: subprocess.Popen[bytes]) -> bytes | None:
    """Stdout of a command ``start`` began, once it ended well; None when it failed, took
    longer than TIMEOUT or waited on a FIFO (killed, as ``run`` does)."""
    with process:
        try:
            out, _err = _watched(process)
        except RuntimeError:
            return None
    return out if process.returncode == 0 else None


def waits_on_fifo(pid: int) -> bool:
    """True while process ``pid`` is blocked opening a FIFO (Linux; elsewhere never)."""
    try:
        with open(f"/proc/{pid}/wchan", "rb") as handle:
            channel = handle.read(64)
    except OSError:
        return False
    return channel in _FIFO_WAITS


def text(root: Path, *args: str) -> str:
    return decode(run(root, *args)).strip()
