"""Files as git records them: the index (what the next commit holds) and one commit.

Both read blobs through one ``cat-file`` process and parse git's listings here, once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kigate.git import runner
from kigate.git.blobs import shared_reader
from kigate.git.objects import tree_entries
from kigate.names import decode, display_name
from kigate.tree import DEFAULT_EXCLUDES, excluder

Entry = tuple[str, str]  # (mode, object id): a plain tuple, 100k of them are built per run
FILE_MODES = ("100644", "100755", "120000")  # regular, executable, link; not a submodule
SYMLINK = "120000"
# More paths than this are filtered after one full listing instead of on the command line.
_MAX_PATHSPECS = 500
# One batch of blob reads: this many files, blobs up to 1 MiB each, 16 MiB in all.
_BATCH_FILES = 512
_BATCH_BLOB_BYTES = 1 << 20
_BATCH_BYTES = 16 << 20


def parse_stage(records: Iterable[str]) -> tuple[dict[str, Entry], frozenset[str]]:
    """The records of ``git ls-files --stage -z``: stage 0, or "ours" (stage 2) for a
    conflicted path; and the conflicted paths."""
    entries: dict[str, Entry] = {}
    conflicts: set[str] = set()
    # "<mode> <sha> <stage>\t<path>": fixed-width fields, sliced rather than split
    for record in records:
        meta, tab, path = record.partition("\t")
        if not tab:
            continue
        stage = meta[-1]
        if stage != "0":
            conflicts.add(path)
            if stage != "2":
                continue
        entries[path] = (meta[:6], meta[7:-2])
    return entries, frozenset(conflicts)


def parse_ls_tree(out: bytes) -> dict[str, Entry]:
    """``git ls-tree -r -z``: "<mode> <type> <sha>\t<path>"."""
    entries: dict[str, Entry] = {}
    for record in decode(out).split("\0"):
        meta, tab, path = record.partition("\t")
        if tab:
            mode, _kind, sha = meta.split(" ")
            entries[path] = (mode, sha)
    return entries


class GitTree:
    """Files recorded by git (not on disk): shared by the index and commit views.

    Detection reads files in listing order, so a read that misses fetches the small blobs
    that follow it in one batch; later reads are served from that batch.
    """

    def __init__(self, root: Path, entries: dict[str, Entry], excludes: tuple[str, ...]) -> None:
        self.root = Path(os.path.realpath(root))
        entries = {display_name(p): e for p, e in entries.items()}  # as WorkTree shows names
        self._entries = entries
        self._reader = shared_reader(self.root)
        excluded = excluder(excludes)
        self._files = tuple(
            sorted(p for p, e in entries.items() if e[0] in FILE_MODES and not excluded(p))
        )
        self._position: dict[str, int] | None = None
        self._batch: dict[str, bytes] = {}
        self._dirs: frozenset[str] | None = None

    def files(self) -> tuple[str, ...]:
        return self._files

    def _blob(self, path: str) -> Entry | None:
        entry = self._entries.get(path)
        # A link's target is not read: it may point anywhere, in or out of the repository.
        if entry is None or entry[0] == SYMLINK or entry[0] not in FILE_MODES:
            return None
        return entry

    def content_key(self, path: str) -> str | None:
        """The blob id: the same key a detection cache gives an unchanged tracked file of
        the working tree, so a commit-time check reuses what earlier runs found."""
        entry = self._blob(path)
        return None if entry is None else "git:" + entry[1]

    def is_link(self, path: str) -> bool:
        """Whether git records ``path`` as a symbolic link."""
        entry = self._entries.get(path)
        return entry is not None and entry[0] == SYMLINK

    def read(self, path: str, limit: int) -> bytes | None:
        entry = self._blob(path)
        if entry is None:
            return None
        if path not in self._batch:
            self._fetch_from(path)
        data = self._batch.get(path)
        if data is None:  # too large to batch, or missing (a partial clone: never fetched)
            return self._reader.read(entry[1], limit)
        return data[:limit]

    def _fetch_from(self, path: str) -> None:
        """The small blobs of ``path`` and the files listed after it, in one round trip each
        for sizes and contents."""
        if self._position is None:
            self._position = {p: i for i, p in enumerate(self._files)}
        start = self._position.get(path)
        following = [path] if start is None else self._files[start : start + _BATCH_FILES]
        blobs = [(p, e[1]) for p in following if (e := self._blob(p)) is not None]
        sizes = self._reader.exchange("info", [sha for _p, sha in blobs])
        chosen: list[tuple[str, str]] = []
        total = 0
        for (name, sha), answer in zip(blobs, sizes, strict=True):
            if answer is None or answer[0] != "blob" or answer[1] > _BATCH_BLOB_BYTES:
                continue
            if total + answer[1] > _BATCH_BYTES and chosen:
                break
            chosen.append((name, sha))
            total += answer[1]
        contents = self._reader.exchange("contents", [sha for _n, sha in chosen])
        self._batch = {
            name: answer[2]
            for (name, _sha), answer in zip(chosen, contents, strict=True)
            if answer is not None and answer[2] is not None
        }

    def size(self, path: str) -> int | None:
        entry = self._blob(path)
        return None if entry is None else self._reader.size(entry[1])

    def _is_dir(self, path: str) -> bool:
        if self._dirs is None:
            dirs = {""}
            for name in self._entries:
                parts = name.split("/")[:-1]
                dirs.update("/".join(parts[: i + 1]) for i in range(len(parts)))
            self._dirs = frozenset(dirs)
        return path.strip("/") in self._dirs or path in (".", "./")

    def exists(self, path: str) -> bool:
        return path in self._entries or self._is_dir(path)


class IndexTree(GitTree):
    """What the next commit will contain: blobs from the index, never the working tree."""

    def __init__(self, root: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> None:
        try:
            out = runner.run(root, "ls-files", "--stage", "-z")
        except RuntimeError:
            raise runner.GitUnavailable("not_repo") from None
        entries, self.conflicts = parse_stage(decode(out).split("\0"))
        super().__init__(root, entries, excludes)


class CommitTree(GitTree):
    """The files of one commit, below ``root`` (paths relative to ``root``)."""

    def __init__(
        self,
        root: Path,
        commit: str,
        excludes: tuple[str, ...] = DEFAULT_EXCLUDES,
        only: Iterable[str] | None = None,
    ) -> None:
        if only is not None and len(set(only)) <= _MAX_PATHSPECS:
            entries = tree_entries(root, commit, set(only))
        else:
            entries = parse_ls_tree(runner.run(root, "ls-tree", "-r", "-z", commit))
            if only is not None:
                keep = set(only)
                entries = {p: e for p, e in entries.items() if p in keep}
        self.commit = commit
        super().__init__(root, entries, excludes)
