"""What differs from HEAD, in one git process: the working tree (``git status``) or the
index (``git diff-index --cached``), each path with a content key.

A key names one content of a path: ``git:<blob>`` (the content git recorded), ``st:...``
(device, inode, size and modification time of a file on disk), ``None`` for a link (its
target may change unseen: always looked at again) and ``ABSENT`` for a path that is gone.
The keys match ``WorkTree.content_key`` and ``GitTree.content_key``, so a result found
under one key stays valid wherever the same key comes back.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

from kigate.git import runner
from kigate.names import decode, display_name

ABSENT = "-"
Key = str | None
_FILES = ("100644", "100755")
_LINK = "120000"


class Delta:
    """Paths (display names, relative to the repository's top) that differ from HEAD, with
    their keys now; ``dirty``: a tracked file differs (``git status --untracked-files=no``
    would print something). A plain class: this module is loaded before ``kigate check``
    starts git, and ``dataclasses`` costs more to import than git needs to start."""

    __slots__ = ("dirty", "keys")

    def __init__(self, keys: dict[str, Key], dirty: bool) -> None:
        self.keys, self.dirty = keys, dirty


def disk_key(root: Path, path: str) -> Key:
    """The key of a file on disk: its stat data, None for a link, ABSENT otherwise."""
    try:
        info = os.lstat(os.path.join(root, path))
    except (OSError, ValueError):
        return ABSENT
    if stat.S_ISLNK(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        return ABSENT
    return f"st:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"


def index_key(mode: str, sha: str) -> Key:
    """The key of an index or tree entry: its blob, None for a link, ABSENT otherwise."""
    if mode in _FILES:
        return "git:" + sha
    return None if mode == _LINK else ABSENT  # a submodule is no file


class Pending:
    """A git command running in the background, and how to read its answer (or an answer
    already there: ``proc`` None)."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes] | None,
        parse: Callable[[bytes], Delta | None],
        known: Delta | None = None,
    ):
        self._proc, self._parse, self._known = proc, parse, known

    def result(self) -> Delta | None:
        """The parsed answer; None when git failed or did not answer in time."""
        if self._proc is None:
            return self._known
        out = runner.finish(self._proc)  # killed when it waits on a planted FIFO
        self._proc = None
        self._known = None if out is None else self._parse(out)
        return self._known


def _start(root: Path, parse: Callable[[bytes], Delta | None], *args: str) -> Pending | None:
    try:
        return Pending(runner.start(root, *args), parse)
    except runner.GitUnavailable:
        return None


def worktree_delta(root: Path) -> Pending | None:
    """The working tree against HEAD: staged, unstaged and untracked (not ignored) files.

    Its answer is None when the index holds a conflict (then the caller lists everything).
    ``--no-renames``: a rename is a deletion and an addition, as detection sees it. A
    ``git status`` that ``prefetch`` started for ``root`` is taken over.
    """
    early = _EARLY.pop(os.path.realpath(root), None)
    if early is not None:
        return early
    args = ["status", "--porcelain=v2", "-z", "--no-renames", "--untracked-files=all"]
    return _start(root, lambda out: parse_status(root, out), *args, "--ignore-submodules=all")


_EARLY: dict[str, Pending] = {}
_EARLY_INDEX: dict[tuple[str, str], Pending] = {}
_NOT_EARLY = ("--base", "--no-cache", "--help", "-h")


def drop_prefetched() -> None:
    """Reap what ``prefetch`` started and no check took."""
    while _EARLY:
        _EARLY.popitem()[1].result()
    while _EARLY_INDEX:
        _EARLY_INDEX.popitem()[1].result()


def prefetch(args: list[str]) -> None:
    """Start git's answer for ``kigate check [--staged] [PATH]`` before the command line is
    parsed and kigate imported: ``git status`` (or ``git diff-index --cached``) works while
    Python loads, two cores instead of one after the other. Only for a plain check of a
    repository's top; any doubt (an option's value where a path may stand, ``--base``)
    starts nothing, and the check asks itself."""
    if not args or args[0] != "check":
        return
    rest = [a for a in args[1:] if a != "--staged"]
    staged = len(rest) < len(args) - 1
    if any(a.split("=", 1)[0] in _NOT_EARLY for a in rest):
        return
    paths = [a for a in rest if not a.startswith("-")]
    if len(paths) > 1:
        return
    root = Path(paths[0] if paths else ".")
    try:
        where = runner.location(root)
        real = os.path.realpath(root)
    except (runner.GitUnavailable, OSError, ValueError):
        return
    if real != os.path.realpath(where.top):
        return
    if staged:
        from kigate.git.refs import resolve_head

        commit = resolve_head(where.git_dir, where.common)[1]
        if commit is not None and (real, commit) not in _EARLY_INDEX:
            pending = index_delta(root, commit)
            if pending is not None:
                _EARLY_INDEX[(real, commit)] = pending
    elif real not in _EARLY:
        pending = worktree_delta(root)
        if pending is not None:
            _EARLY[real] = pending


def parse_status(root: Path, out: bytes) -> Delta | None:
    """``git status --porcelain=v2 -z`` as a Delta; None for a conflict or a rename."""
    keys: dict[str, Key] = {}
    dirty = False
    untracked: list[str] = []
    for record in decode(out).split("\0"):
        kind = record[:1]
        if kind == "?":
            untracked.append(record[2:])
        elif kind == "1":
            dirty = True
            # "1 XY sub mH mI mW hH hI path": the path may hold spaces, so split 8 times
            fields = record.split(" ", 8)
            if len(fields) != 9:
                return None
            worktree, mode, sha, path = fields[1][1], fields[4], fields[7], fields[8]
            if worktree == ".":  # the working copy is what the index holds
                keys[display_name(path)] = ABSENT if fields[1][0] == "D" else index_key(mode, sha)
            else:
                keys[display_name(path)] = disk_key(root, path)
        elif kind in ("2", "u"):
            return None  # a rename despite --no-renames, or a conflict: list everything
    for path in untracked:  # after the tracked ones: "deleted from the index" + "untracked"
        key = disk_key(root, path)
        if key != ABSENT:
            keys[display_name(path)] = key
    return Delta(keys, dirty)


def index_delta(root: Path, commit: str) -> Pending | None:
    """The index against ``commit``; its answer is None when a path is conflicted. The
    pre-commit hook's answer is used when it asked the same a moment ago (``hand_over``)."""
    known = _HANDED.pop((os.path.realpath(root), commit), None)
    if known is not None:
        return Pending(None, parse_diff_index, known)
    early = _EARLY_INDEX.pop((os.path.realpath(root), commit), None)
    if early is not None:
        return early
    args = ["diff-index", "--cached", "-z", "--no-renames", "--ignore-submodules=all"]
    return _start(root, parse_diff_index, *args, commit, "--")


_HANDED: dict[tuple[str, str], Delta] = {}


def staged_now(root: Path) -> tuple[str, Delta] | None:
    """HEAD's commit and the index against it, asked once by the pre-commit hook: it
    decides whether anything relevant is staged, and the check that follows in the same
    process uses it instead of asking git again. None before the first commit, for a
    conflict, or when git cannot answer."""
    from kigate.git.refs import resolve_head

    try:
        where = runner.location(root)
    except runner.GitUnavailable:
        return None
    commit = resolve_head(where.git_dir, where.common)[1]
    pending = None if commit is None else index_delta(root, commit)
    found = None if pending is None else pending.result()
    if commit is None or found is None:
        return None
    if os.path.realpath(root) == os.path.realpath(where.top):  # what a check would ask
        _HANDED[(os.path.realpath(root), commit)] = found
    return commit, found


def parse_diff_index(out: bytes) -> Delta | None:
    """``git diff-index -z`` (raw) as a Delta; None for a conflict."""
    fields = decode(out).split("\0")
    keys: dict[str, Key] = {}
    # ":<old mode> <new mode> <old sha> <new sha> <status>" then the path, NUL-separated
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        parts = meta.split(" ")
        if len(parts) != 5 or not meta.startswith(":"):
            continue
        status = parts[4][:1]
        if status == "U":
            return None
        keys[display_name(path)] = ABSENT if status == "D" else index_key(parts[1], parts[3])
    return Delta(keys, bool(keys))
