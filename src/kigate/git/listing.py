"""Which files of the working tree git knows of: one ``ls-files`` process."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kigate.git import runner
from kigate.git.trees import SYMLINK, parse_stage
from kigate.names import decode, display_name


@dataclass(frozen=True)
class Listing:
    """Paths (relative to the root, raw names) and the blob ids of unchanged regular files
    (by display name), which serve as content keys."""

    paths: list[str]
    blobs: dict[str, str]


def work_tree_files(root: Path) -> Listing | None:
    """Tracked and untracked-but-not-ignored files below ``root``; None without git.

    The index says which tracked files are regular files or links, so only the ones git
    reports changed or untracked need an lstat here (100k lstat calls in Python cost more
    than git's own check); the unchanged regular ones get their blob id as content key.
    Submodules are never entered: their configuration is as untrusted as the repository's.
    """
    args = ["ls-files", "-z", "-t", "--stage", "--cached", "--others", "--modified"]
    if not _ignore_files_regular(root):
        return None  # git would block opening a FIFO .gitignore: kigate walks the tree itself
    try:
        out = runner.run(root, *args, "--exclude-standard")
    except (runner.GitUnavailable, RuntimeError):
        return None
    # One listing, each record tagged: "H"/"S"/"M" index entries (stage format),
    # "C"/"R"/"K" changed on disk (also stage format), "?" untracked (a bare path).
    stage: list[str] = []
    unsure: set[str] = set()
    others: list[str] = []
    for record in decode(out).split("\0"):
        tag, body = record[:1], record[2:]
        if tag == "?":
            others.append(body)
        elif tag in ("C", "R", "K"):
            unsure.add(body.partition("\t")[2])
        elif tag:
            stage.append(body)
    entries, conflicts = parse_stage(stage)
    unsure |= conflicts
    listed = [p for p, e in entries.items() if e[0] in ("100644", "100755", SYMLINK)]
    blobs = {
        display_name(p): "git:" + entries[p][1]
        for p in listed
        if entries[p][0] != SYMLINK and p not in unsure
    }
    unsure.update(others)
    paths = [n for n in listed if n not in unsure]
    paths += [n for n in unsure if _is_file(root, n)]
    return Listing(paths, blobs)


def _ignore_files_regular(root: Path) -> bool:
    """False when a ``.gitignore`` git reads first (in ``root`` or a folder above it up to
    the work tree's top) is a FIFO, socket or device: git opens it blocking and would hang.
    A link is git's own business (git refuses to follow a linked ``.gitignore``)."""
    try:
        top = runner.location(root).top.resolve()
    except runner.GitUnavailable:
        return True
    here = root.resolve()
    for folder in (here, *here.parents):
        try:
            mode = os.lstat(folder / ".gitignore").st_mode
        except OSError:
            mode = stat.S_IFREG
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode) or stat.S_ISDIR(mode)):
            return False
        if folder == top:
            break
    return True


def _is_file(root: Path, rel: str) -> bool:
    try:
        mode = os.lstat(os.path.join(root, rel)).st_mode  # no pathlib: 100k calls
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)
