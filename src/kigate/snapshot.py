"""The detection result of a whole tree, kept in the user's cache directory.

A snapshot describes one state of a repository (its working tree or its index) as a commit
plus the paths that differ from it, each with its content key (``git/delta.py``), and holds
what detection found: per file, only for the few files that found something, and the
requirement includes followed across files. The next check asks git what differs from the
commit now, compares keys, and detects again only where they differ: nothing is looked up
for an unchanged path. One file per repository and view, written whole and renamed, with a
header (format, namespace, checksums) like the per-file cache; a snapshot that cannot be
read, is of another namespace or fails its checksum is ignored, never trusted.

The names of all files (100,000 of them in a large repository, megabytes) follow the rest
with a checksum of their own and are read only when a run needs them: most checks do not
(``DeltaTree`` answers a folder from HEAD plus git's changes). Names that changed meanwhile
fail their checksum and read as None; the caller then asks git for the full listing.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kigate import cache, cachedir, safeio

FORMAT = 3
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
    files: str | None  # None until ``names`` reads them
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
    source: _Names | None = field(default=None, compare=False)  # where the names wait

    def names(self) -> str | None:
        """The files, NUL-joined: read on first use; None when they cannot be (then the
        full listing is the answer)."""
        if self.files is None and self.source is not None:
            self.files, self.source = self.source.read(), None
        return self.files

    def plain(self) -> tuple[Any, ...]:
        """Everything but the names, which are stored apart."""
        return (
            self.commit,
            self.delta,
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


@dataclass(frozen=True)
class _Names:
    """The names' place in a snapshot file, and the checksum they must have."""

    file: Path
    offset: int
    digest: bytes

    def read(self) -> str | None:
        try:
            fd = safeio.open_regular(self.file, follow_links=False)
        except OSError:  # safeio.Refused too: gone or replaced by something else
            return None
        try:
            os.lseek(fd, self.offset, os.SEEK_SET)
            data = safeio.read_fd(fd, MAX_TOTAL_BYTES)  # to the end, within the budget
        except OSError:  # safeio.Refused too
            return None
        finally:
            os.close(fd)
        if hashlib.sha256(data).hexdigest().encode() != self.digest:
            return None  # rewritten by another run meanwhile: never mixed with this one
        return data.decode("utf-8", "surrogatepass")


def _read_at(fd: int, size: int, offset: int) -> bytes:
    """Up to ``size`` bytes from ``offset`` (fewer only at the end of the file)."""
    os.lseek(fd, offset, os.SEEK_SET)
    chunks, got = [], 0
    while got < size:
        chunk = os.read(fd, size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


_HEAD_BYTES = 512  # the header: magic, format, namespace, two checksums, a length


def load(file: Path, namespace: str) -> Snapshot | None:
    """The snapshot in ``file`` if it is whole and of ``namespace``, else None (its names
    are checked when they are read)."""
    try:
        fd = safeio.open_regular(file, follow_links=False)
    except OSError:
        return None
    try:
        start = _read_at(fd, _HEAD_BYTES, 0)
        head, sep, _ = start.partition(b"\n\n")
        lines = head.split(b"\n")
        if not sep or len(lines) != 6 or lines[0] + b"\n" != MAGIC:
            return None
        if lines[1] != str(FORMAT).encode() or lines[2] != namespace.encode():
            return None
        length = int(lines[5]) if lines[5].isdigit() else -1
        if not 0 <= length <= MAX_TOTAL_BYTES:
            return None
        offset = len(head) + 2
        body = _read_at(fd, length, offset)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(body) != length or hashlib.sha256(body).hexdigest().encode() != lines[3]:
        return None
    try:
        parts = marshal.loads(body)
        snap = Snapshot(parts[0], parts[1], None, *parts[2:])
    except (EOFError, ValueError, TypeError, IndexError, KeyError):
        return None
    shapes = (parts[0], str), (parts[1], dict), (parts[2], dict)  # what marshal gave back
    if not all(isinstance(value, kind) for value, kind in shapes):
        return None
    snap.source = _Names(file, offset + length, lines[4])
    return snap


def save(file: Path, namespace: str, snap: Snapshot) -> bool:
    """Write ``snap`` whole (a concurrent reader sees the old file or the new one); False
    when it cannot be written."""
    names = snap.names()
    if names is None or names.count("\0") >= MAX_FILES:
        return False
    body = marshal.dumps(snap.plain())
    tail = names.encode("utf-8", "surrogatepass")
    head = b"%s%d\n%s\n%s\n%s\n%d\n\n" % (
        MAGIC,
        FORMAT,
        namespace.encode(),
        hashlib.sha256(body).hexdigest().encode(),
        hashlib.sha256(tail).hexdigest().encode(),
        len(body),
    )
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        safeio.write_beside(file, head + body + tail)  # nothing planted there is followed
    except OSError:  # safeio.Refused too
        return False
    cache.evict(file.parent, MAX_TOTAL_BYTES, keep=file)
    return True
