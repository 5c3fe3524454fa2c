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
from dataclasses import dataclass
from pathlib import Path

from kigate.git import runner
from kigate.tree import decode, display_name

ABSENT = "-"
Key = str | None
_FILES = ("100644", "100755")
_LINK = "120000"


@dataclass(frozen=True)
class Delta:
    """Paths (display names, relative to the repository's top) that differ from HEAD, with
    their keys now; ``dirty``: a tracked file differs (``git status --untracked-files=no``
    would print something)."""

    keys: dict[str, Key]
    dirty: bool


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


def worktree_delta(root: Path) -> Delta | None:
    """The working tree against HEAD: staged, unstaged and untracked (not ignored) files.

    None when git cannot answer or the index holds a conflict (then the caller lists
    everything). ``--no-renames``: a rename is a deletion and an addition, as detection
    sees it.
    """
    args = ["status", "--porcelain=v2", "-z", "--no-renames", "--untracked-files=all"]
    try:
        out = runner.run(root, *args, "--ignore-submodules=all")
    except (runner.GitUnavailable, RuntimeError):
        return None
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


def index_delta(root: Path, commit: str) -> Delta | None:
    """The index against ``commit``; None when git cannot answer or a path is conflicted."""
    args = ["diff-index", "--cached", "-z", "--no-renames", "--ignore-submodules=all"]
    try:
        out = runner.run(root, *args, commit, "--")
    except (runner.GitUnavailable, RuntimeError):
        return None
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
