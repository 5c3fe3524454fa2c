"""The detection result of a whole tree, kept in the user's cache directory.

A snapshot describes one state of a repository (its working tree or its index) as a commit
plus the paths that differ from it, each with its content key (``git/delta.py``), and holds
what detection found: per file, only for the few files that found something, and the
requirement includes followed across files. The next check asks git what differs from the
commit now, compares keys, and detects again only where they differ: nothing is looked up
for an unchanged path. One file per repository and view, written whole and renamed, with a
header (format, namespace, checksum) like the per-file cache; a snapshot that cannot be
read, is of another namespace or fails its checksum is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kigate import cache, cachedir, safeio

FORMAT = 2
MAGIC = b"kigate-tree\n"
MAX_FILES = 2_000_000  # more is no source tree, and is not kept
MAX_TOTAL_BYTES = 256 << 20  # all snapshots together; least recently written go first

# (components as FileResult.plain stores them, problems as (path, line, en, de))
Part = tuple[tuple[Any, ...], tuple[tuple[str, int | None, str, str], ...]]


@dataclass
class Snapshot:
    """One state: ``commit`` plus ``delta`` (path -> key, see ``git/delta.py``; None: look
    again every time), the files (sorted display names, NUL-joined: one string loads in
    a blink, 100k do not), and what detection found."""

    commit: str
    delta: dict[str, str | None]
    files: str
    pure: dict[str, Part] = field(default_factory=dict)  # per file, the pure detectors
    fin: dict[str, Part] = field(default_factory=dict)  # per file, the finishers' scans
    fin_paths: tuple[str, ...] = ()  # files a finisher reads
    touched: tuple[str, ...] = ()  # every path the finishers looked at or for
    finish: Part = ((), ())
    named: tuple[str, ...] = ()  # the files named like a manifest
    # The per-file cache as this snapshot left it (size, mtime): changed since, it is checked,
    # and when damaged the snapshot is not used, so a run loads that cache and says so.
    companion: tuple[int, int] | None = None
    composed: Part | None = None  # the whole result, as ``incremental.compose`` made it
    local: tuple[tuple[str, str], ...] = ()  # packages the repository defines (workspaces)
    stale: bool = field(default=False, compare=False)  # to be written again (not stored)

    def plain(self) -> tuple[Any, ...]:
        return (
            self.commit,
            self.delta,
            self.files,
            self.pure,
            self.fin,
            self.fin_paths,
            self.touched,
            self.finish,
            self.named,
            self.companion,
            self.composed,
            self.local,
        )


def directory() -> Path:
    """Beside the per-file cache (``~/.cache/kigate-trees``): each folder bounds its own size."""
    return cachedir.snapshots()


def stat_of(file: Path) -> tuple[int, int] | None:
    try:
        info = file.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


def path_for(root: Path, view: str, folder: Path | None = None) -> Path:
    name = hashlib.sha256(os.fsencode(os.path.realpath(root)) + b"\0" + view.encode())
    return (folder or directory()) / f"{name.hexdigest()[:32]}.v{FORMAT}.cache"


def usable_folder(root: Path, folder: Path | None = None) -> Path | None:
    """The snapshot folder, or None when it lies inside the checked tree (kigate never
    writes into what it checks; the per-file cache says so in a note)."""
    where = folder or directory()
    if not where.is_absolute():  # no HOME and no usable XDG_CACHE_HOME: no snapshot
        return None
    real_root, real = os.path.realpath(root), os.path.realpath(where)
    if real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return where


def load(file: Path, namespace: str) -> Snapshot | None:
    """The snapshot in ``file`` if it is whole and of ``namespace``, else None."""
    data = safeio.read_optional(file, MAX_TOTAL_BYTES, follow_links=False)
    if data is None:
        return None
    end = data.find(b"\n\n")
    head, body = data[: max(end, 0)], memoryview(data)[end + 2 :]  # the body is not copied
    lines = head.split(b"\n")
    if len(lines) != 4 or lines[0] + b"\n" != MAGIC or lines[1] != str(FORMAT).encode():
        return None
    if lines[2] != namespace.encode():
        return None
    if hashlib.sha256(body).hexdigest().encode() != lines[3]:
        return None
    try:
        snap = Snapshot(*marshal.loads(body))
    except (EOFError, ValueError, TypeError):
        return None
    whole = isinstance(snap.commit, str) and isinstance(snap.files, str)
    return snap if whole and isinstance(snap.delta, dict) and isinstance(snap.pure, dict) else None


def save(file: Path, namespace: str, snap: Snapshot) -> bool:
    """Write ``snap`` whole (a concurrent reader sees the old file or the new one); False
    when it cannot be written."""
    if snap.files.count("\0") >= MAX_FILES:
        return False
    body = marshal.dumps(snap.plain())
    head = b"%s%d\n%s\n%s\n\n" % (
        MAGIC,
        FORMAT,
        namespace.encode(),
        hashlib.sha256(body).hexdigest().encode(),
    )
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        safeio.write_beside(file, head + body)  # nothing planted there is followed
    except OSError:  # safeio.Refused too
        return False
    cache.evict(file.parent, MAX_TOTAL_BYTES, keep=file)
    return True
