"""Tree objects read through the shared ``cat-file`` process: a few paths of a commit, and
the paths that differ between two commits, without a git process of their own.

Trees are fetched one directory level per round trip, and only where needed: a diff
descends only into folders whose ids differ, a lookup only into the folders of its paths.
RuntimeError when a commit or tree is missing (a damaged or partial repository).
"""

from __future__ import annotations

import os
from pathlib import Path

from kigate.git import runner
from kigate.git.blobs import BlobReader, shared_reader
from kigate.names import decode

Entry = tuple[str, str]  # (mode, object id)
_TREE = "040000"


def _parse_tree(data: bytes, oid_bytes: int) -> dict[str, Entry]:
    """A raw tree object: "<mode> <name>\\0<binary id>" per entry."""
    entries: dict[str, Entry] = {}
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        oid = data[nul + 1 : nul + 1 + oid_bytes]
        entries[decode(data[space + 1 : nul])] = (decode(data[at:space]).zfill(6), oid.hex())
        at = nul + 1 + oid_bytes
    return entries


def tree_entries(root: Path, commit: str, paths: set[str]) -> dict[str, Entry]:
    """The entries of a few ``paths`` (relative to ``root``) in ``commit``, read from its tree
    objects through the shared ``cat-file`` process: no process of their own, one round
    trip per directory level. RuntimeError when the commit or a tree is missing."""
    if not paths:
        return {}
    prefix = _prefix(root)
    full = {prefix + p: p for p in paths}
    needed = {d for f in full for d in _parents(f)}
    reader = shared_reader(root)
    listings: dict[str, dict[str, Entry]] = {}
    frontier = {"": f"{commit}^{{tree}}"}
    while frontier:
        fetched = _trees(reader, frontier, _oid_bytes(commit))
        listings.update(fetched)
        frontier = {
            path: oid
            for name, listing in fetched.items()
            for child, (mode, oid) in listing.items()
            if mode == _TREE and (path := f"{name}/{child}" if name else child) in needed
        }
    found: dict[str, Entry] = {}
    for path, rel in full.items():
        folder, _, name = path.rpartition("/")
        entry = listings.get(folder, {}).get(name)
        if entry is not None and entry[0] != _TREE:
            found[rel] = entry
    return found


def folder_entries(root: Path, commit: str, folder: str) -> dict[str, Entry]:
    """The entries directly in ``folder`` (relative to ``root``, no trailing slash) of
    ``commit``, by name; empty when the commit has no such folder. One round trip per level
    of ``folder``, through the shared ``cat-file`` process. RuntimeError when the commit or
    a tree is missing."""
    reader = shared_reader(root)
    path = (_prefix(root) + folder).strip("/")
    treeish = f"{commit}^{{tree}}"
    listing = _trees(reader, {"": treeish}, _oid_bytes(commit))[""]
    for part in path.split("/") if path else ():
        mode, oid = listing.get(part, ("", ""))
        if mode != _TREE:
            return {}
        listing = _trees(reader, {part: oid}, _oid_bytes(commit))[part]
    return listing


def _parents(path: str) -> list[str]:
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _prefix(root: Path) -> str:
    """``root`` relative to the work tree's top, as a path prefix ("" or "sub/dir/")."""
    rel = Path(os.path.realpath(root)).relative_to(runner.location(root).top).as_posix()
    return "" if rel == "." else rel + "/"


def _oid_bytes(commit: str) -> int:
    return 32 if len(commit) == 64 else 20


def _trees(
    reader: BlobReader, wanted: dict[str, str], oid_bytes: int
) -> dict[str, dict[str, Entry]]:
    """Folder name -> its entries, for every (folder name, tree-ish) in ``wanted``."""
    names = list(wanted)
    answers = reader.exchange("contents", [wanted[n] for n in names])
    listings = {}
    for name, answer in zip(names, answers, strict=True):
        if answer is None or answer[0] != "tree" or answer[2] is None:
            raise RuntimeError(f"tree {wanted[name]} is missing")
        listings[name] = _parse_tree(answer[2], oid_bytes)
    return listings


def changed_paths(root: Path, old: str, new: str, under: str = "") -> tuple[str, ...]:
    """Paths (relative to ``root``) whose mode or content differ between the commits
    ``old`` and ``new``, below ``under``: what ``git diff --name-only --no-renames`` lists."""
    reader = shared_reader(root)
    top = _prefix(root)
    scope = top + (under.strip("/") + "/" if under.strip("/") not in ("", ".") else "")
    width = _oid_bytes(old)
    changed: list[str] = []
    pending = [("", f"{old}^{{tree}}", f"{new}^{{tree}}")]
    while pending:
        ask = {f"a{i}": a for i, (_n, a, _b) in enumerate(pending) if a}
        ask.update({f"b{i}": b for i, (_n, _a, b) in enumerate(pending) if b})
        got = _trees(reader, ask, width)
        level, pending = pending, []
        for i, (name, _a, _b) in enumerate(level):
            before, after = got.get(f"a{i}", {}), got.get(f"b{i}", {})
            for child in before.keys() | after.keys():
                path = f"{name}/{child}" if name else child
                if not (path + "/").startswith(scope) and not scope.startswith(path + "/"):
                    continue
                one, two = before.get(child), after.get(child)
                if one == two:
                    continue
                old_tree = one[1] if one and one[0] == _TREE else ""
                new_tree = two[1] if two and two[0] == _TREE else ""
                if old_tree or new_tree:
                    pending.append((path, old_tree, new_tree))
                is_file = (one and one[0] != _TREE) or (two and two[0] != _TREE)
                if is_file and path.startswith(scope):
                    changed.append(path[len(top) :])
    return tuple(sorted(changed))
