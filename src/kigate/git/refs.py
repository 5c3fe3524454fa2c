"""Refs read from the repository's files, so that git never needs the real git directory.

The shadow git directory (``shadow.py``) holds no refs of its own: ``HEAD`` there is the
commit the real ``HEAD`` names, resolved here, and only ``--base`` copies the repository's
refs in (once per run) so that git can resolve the name a user gives. Every file is read
through ``read_small`` (regular files only, size-bounded); a ref name never leaves ``refs/``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from kigate.names import decode, read_small

_REF_LIMIT = 4 << 10
_PACKED_LIMIT = 64 << 20
_MAX_LOOSE = 100_000  # loose refs copied for ``--base``
_MAX_DEPTH = 32
_SYMREF_HOPS = 5
_NAME = re.compile(r"refs/[A-Za-z0-9._/+@-]+")
_OID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")

_packed_cache: dict[Path, tuple[tuple[int, int, int], dict[str, str]]] = {}


def packed_refs(common: Path) -> dict[str, str]:
    """``packed-refs`` as name -> object id, parsed once per version of the file."""
    path = common / "packed-refs"
    try:
        info = os.stat(path)
    except OSError:
        return {}
    key = (info.st_ino, info.st_size, info.st_mtime_ns)
    cached = _packed_cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    data = read_small(path, _PACKED_LIMIT)
    refs: dict[str, str] = {}
    for line in decode(data or b"").splitlines():
        oid, _, name = line.partition(" ")
        if _OID.fullmatch(oid) and _NAME.fullmatch(name):
            refs[name] = oid
    _packed_cache[path] = (key, refs)
    return refs


def resolve_head(git_dir: Path, common: Path) -> tuple[str, str | None]:
    """(text for the shadow's HEAD, the commit id or None when the branch has no commit).

    A branch HEAD resolves to its commit, written as a detached HEAD; an unborn branch keeps
    its ``ref:`` line so git still knows there is no commit yet.
    """
    text = decode(read_small(git_dir / "HEAD", _REF_LIMIT) or b"").strip()
    for _hop in range(_SYMREF_HOPS):
        if _OID.fullmatch(text):
            return text + "\n", text
        if not text.startswith("ref:"):
            break
        name = text[4:].strip()
        if not _NAME.fullmatch(name) or ".." in name:
            break
        # Per-worktree refs (bisect, worktree) live beside HEAD, all others in the common dir.
        here = git_dir if name.startswith(("refs/bisect/", "refs/worktree/")) else common
        loose = read_small(here / name, _REF_LIMIT)
        if loose is not None:
            text = decode(loose).strip()
            continue
        oid = packed_refs(common).get(name)
        if oid is None:
            return f"ref: {name}\n", None
        text = oid
    return "ref: refs/heads/unknown\n", None


def copy_refs(common: Path, shadow: Path) -> None:
    """The repository's loose and packed refs into ``shadow`` (for ``--base REF``)."""
    target = shadow / "refs"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    data = read_small(common / "packed-refs", _PACKED_LIMIT)
    if data is not None:
        (shadow / "packed-refs").write_bytes(data)
    copied = 0
    pending = [(common / "refs", target, 0)]
    while pending and copied < _MAX_LOOSE:
        source, dest, depth = pending.pop()
        try:
            entries = list(os.scandir(source))
        except OSError:
            continue
        for entry in entries:
            if not re.fullmatch(r"[A-Za-z0-9._+@-]+", entry.name) or entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False) and depth < _MAX_DEPTH:
                (dest / entry.name).mkdir(exist_ok=True)
                pending.append((Path(entry.path), dest / entry.name, depth + 1))
            elif (ref := read_small(entry.path, _REF_LIMIT)) is not None:
                (dest / entry.name).write_bytes(ref)
                copied += 1
