"""The tree a check judges, seen as HEAD plus what differs from it (``git/delta.py``).

``open`` asks git one question (``git status`` for the working tree, ``git diff-index
--cached`` for the index) and lists nothing else. Reads go to the disk (working tree) or to
git's objects (index: a changed path by its blob, any other by HEAD's tree); ``files()``
is the snapshot's list patched with what changed, or, before there is a snapshot, git's full
listing. ``warm.py`` decides which of the two it is.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable
from pathlib import Path

from kigate import i18n
from kigate.errors import RepoError
from kigate.git import delta as delta_mod
from kigate.git import runner
from kigate.git.blobs import shared_reader
from kigate.git.delta import ABSENT, Delta, Key
from kigate.git.objects import folder_entries, tree_entries
from kigate.git.refs import resolve_head
from kigate.names import display_name, raw_name
from kigate.tree import Tree, directly_in, excluder
from kigate.worktree import WorkTree

WORKTREE, STAGED = "worktree", "staged"


class DeltaTree:
    """HEAD's commit ``commit`` plus ``delta`` (path -> key now), for one ``view``."""

    def __init__(
        self,
        root: Path,
        view: str,
        excludes: tuple[str, ...],
        commit: str,
        pending: delta_mod.Pending,
    ) -> None:
        self.root = Path(os.path.realpath(root))
        self.view, self.excludes, self.commit = view, excludes, commit
        self._pending: delta_mod.Pending | None = pending
        self._delta: Delta | None = None
        self.excluded = excluder(excludes)
        self._disk = WorkTree(self.root, excludes)
        self._full: Tree | None = None
        self._files: tuple[str, ...] | None = None
        self._joined: str | None = None  # the snapshot's files, NUL-joined, split on demand
        self._names: Callable[[], str | None] | None = None  # reads them when first needed
        self._gone: set[str] = set()
        self._new: set[str] = set()
        self._named: dict[str, tuple[str, ...]] = {}
        self._file_set: frozenset[str] | None = None
        self._keys: dict[str, Key] = {}  # + links and reverted paths at HEAD
        self._at_head: dict[str, tuple[str, str] | None] = {}

    @property
    def delta(self) -> Delta | None:
        """git's answer (waited for here: it ran while kigate loaded its policy)."""
        if self._pending is not None:
            self._delta = self._pending.result()
            self._pending = None
            if self._delta is not None:
                self._keys.update(self._delta.keys)
        return self._delta

    @property
    def dirty(self) -> bool | None:
        found = self.delta if self.view == WORKTREE else None
        return None if found is None else found.dirty

    # -- the two ways of knowing the files ------------------------------------------------
    def full(self) -> Tree:
        """git's full listing of the view (the cold path)."""
        if self._full is None:
            if self.view == STAGED:
                from kigate.git.trees import IndexTree

                try:
                    self._full = IndexTree(self.root, self.excludes)
                except runner.GitUnavailable as exc:  # as views.staged_tree says it
                    raise RepoError(i18n.t(f"gates.staged.{exc.reason}")) from None
            else:
                self._full = self._disk
        return self._full

    def patched(self, names: Callable[[], str | None], gone: set[str], new: set[str]) -> None:
        """The files are the snapshot's (``names`` reads them, NUL-joined, when they are
        first needed; None: they cannot be read, git's full listing answers) without
        ``gone`` and with ``new`` (both few)."""
        self._names, self._gone, self._new = names, gone, new

    def _snapshot_names(self) -> str | None:
        if self._names is not None:
            self._joined, self._names = self._names(), None
            if self._joined is None:  # the full listing is the truth, patched or not
                self._gone, self._new = set(), set()
        return self._joined

    def joined(self) -> str:
        """The files, NUL-joined (as a snapshot keeps them)."""
        joined = self._snapshot_names()
        if joined is not None and not self._gone and not self._new:
            return joined
        return "\0".join(self.files())

    def files(self) -> tuple[str, ...]:
        joined = self._snapshot_names() if self._files is None else None
        if self._files is None and joined is not None:
            listed = joined.split("\0") if joined else []
            if self._gone:
                listed = [f for f in listed if f not in self._gone]
            for path in sorted(self._new):
                at = bisect.bisect_left(listed, path)
                if at == len(listed) or listed[at] != path:
                    listed.insert(at, path)
            self._files = tuple(listed)
        if self._files is None:
            self._files = self.full().files()
        return self._files

    def in_folder(self, folder: str) -> tuple[str, ...]:
        """The files directly in ``folder`` (``a/b/``, with its slash), sorted. Before any
        listing is read: HEAD's tree of that folder with git's changes laid over it (what
        a snapshot's names say too), so a check need not read 100,000 names for one folder."""
        found = self.delta
        if self._files is not None or self._full is not None or found is None:
            return tuple(f for f in self.files() if directly_in(f, folder))
        try:
            entries = folder_entries(self.root, self.commit, raw_name(folder.rstrip("/")))
        except RuntimeError:  # a missing tree: the listing tells
            return tuple(f for f in self.files() if directly_in(f, folder))
        here = {
            folder + display_name(name)
            for name, (mode, _) in entries.items()
            if delta_mod.index_key(mode, "") != ABSENT
        }
        for path, key in self._keys.items():
            if directly_in(path, folder):
                if key == ABSENT:
                    here.discard(path)
                else:
                    here.add(path)
        return tuple(sorted(p for p in here if not self.excluded(p)))

    def name_files(self, name: str, known: tuple[str, ...]) -> None:
        """The snapshot's files named ``name`` (manifests): patched like the files."""
        mine = set(known) - self._gone
        mine.update(p for p in self._new if p.rsplit("/", 1)[-1] == name)
        self._named[name] = tuple(sorted(mine))

    def named(self, name: str) -> tuple[str, ...]:
        """The files named ``name``, without going through every file when a snapshot
        knows them."""
        if name not in self._named:
            self._named[name] = tuple(
                p for p in self.files() if p == name or p.endswith("/" + name)
            )
        return self._named[name]

    def has_file(self, path: str) -> bool:
        if self._file_set is None:
            self._file_set = frozenset(self.files())
        return path in self._file_set

    # -- what a path holds now --------------------------------------------------------------
    def head_entry(self, path: str) -> tuple[str, str] | None:
        """(mode, blob) of ``path`` in HEAD's commit, None when it has none."""
        if path not in self._at_head:
            self.head_entries([path])
        return self._at_head[path]

    def head_entries(self, paths: list[str]) -> None:
        wanted = {raw_name(p): p for p in paths if p not in self._at_head}
        found = tree_entries(self.root, self.commit, set(wanted)) if wanted else {}
        for raw, shown in wanted.items():
            self._at_head[shown] = found.get(raw)

    def key(self, path: str) -> Key:
        """The path's key now: from git's answer, else HEAD's entry."""
        self.delta  # noqa: B018 - git's answer fills the keys
        if path in self._keys:
            return self._keys[path]
        entry = self.head_entry(path)
        return ABSENT if entry is None else delta_mod.index_key(*entry)

    def _listed(self) -> Tree | None:
        """Where reads go when they need no git object: the disk for the working tree, the
        full listing once there is one; None: the index, through HEAD plus the delta."""
        if self.view == WORKTREE:
            return self._disk
        return self._full

    def _blob(self, path: str) -> str | None:
        key = self.key(path)
        # a link's target is never read, and a gone path holds nothing
        return key[4:] if key is not None and key.startswith("git:") else None

    def read(self, path: str, limit: int) -> bytes | None:
        listed = self._listed()
        if listed is not None:
            return listed.read(path, limit)
        blob = self._blob(path)
        return None if blob is None else shared_reader(self.root).read(blob, limit)

    def size(self, path: str) -> int | None:
        listed = self._listed()
        if listed is not None:
            return listed.size(path)
        blob = self._blob(path)
        return None if blob is None else shared_reader(self.root).size(blob)

    def exists(self, path: str) -> bool:
        listed = self._listed()
        if listed is not None:
            return listed.exists(path)
        name = path.strip("/")
        self.delta  # noqa: B018 - git's answer fills the keys
        if name in ("", "."):
            return True
        if name in self._keys:
            return self._keys[name] != ABSENT
        inside = name + "/"
        if any(k.startswith(inside) and v != ABSENT for k, v in self._keys.items()):
            return True
        raw = raw_name(name)
        if raw.isprintable():  # a folder of HEAD counts as there (as its files do)
            return shared_reader(self.root).resolve(f"{self.commit}:{raw}") is not None
        return self.head_entry(name) is not None

    def is_link(self, path: str) -> bool:
        """Whether ``path`` is a symbolic link (never followed to say so)."""
        listed = self._listed()
        if listed is not None:
            probe = getattr(listed, "is_link", None)
            return bool(probe(path)) if callable(probe) else False
        return self.key(path) is None  # in the index, only a link has no key

    def content_key(self, path: str) -> str | None:
        key = self.key(path) if self._full is None else self.full().content_key(path)
        return None if key == ABSENT else key

    def note_key(self, path: str, key: Key) -> None:
        self._keys[path] = key


def open_tree(root: Path, view: str, excludes: tuple[str, ...]) -> DeltaTree | None:
    """The view as HEAD plus a delta, git already asked (its answer is awaited when first
    needed); None when that cannot be told exactly (no git, no commit yet, or ``root`` is
    not the top of its repository)."""
    try:
        where = runner.location(root)
        runner.executable()
    except runner.GitUnavailable:
        return None
    if os.path.realpath(root) != os.path.realpath(where.top):
        return None
    sha = resolve_head(where.git_dir, where.common)[1]
    if sha is None:
        return None
    # git starts first, and works while the commit is looked up and the policy loaded
    pending = (
        delta_mod.worktree_delta(root) if view == WORKTREE else delta_mod.index_delta(root, sha)
    )
    if pending is None:
        return None
    from kigate.git.history import head_commit

    try:
        commit = head_commit(root)
    except (runner.GitUnavailable, RuntimeError):
        commit = None
    if commit is None or commit != sha:  # no commit object, or HEAD moved meanwhile
        pending.result()  # reaped, not left behind
        return None
    return DeltaTree(root, view, excludes, commit, pending)
