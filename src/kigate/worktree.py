"""The files on disk: what ``kigate check`` judges by default.

Nothing here writes into the repository, runs its code, or follows a link out of it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from kigate.names import display_name, raw_name
from kigate.tree import DEFAULT_EXCLUDES, inside, is_excluded


def _kind(entry: os.DirEntry[str]) -> str:
    """A real directory is "dir"; anything else (a link to a directory too) is "file": listed,
    so that what cannot be read is reported, never silently skipped."""
    try:
        return "dir" if entry.is_dir(follow_symlinks=False) else "file"
    except OSError:
        return "other"


@dataclass
class WorkTree:
    """The files on disk below ``root``: tracked and untracked-but-not-ignored under git,
    every file of a walk otherwise. Paths in and out are ``display_name``s."""

    root: Path
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    use_git: bool = True
    _files: tuple[str, ...] | None = None
    _blobs: dict[str, str] | None = None
    _folders: dict[str, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(os.path.realpath(self.root))

    def files(self) -> tuple[str, ...]:
        if self._files is None:
            listed = self._git_files() if self.use_git else None
            if listed is None:
                listed = self._walk()
            shown = (display_name(p) for p in listed)
            self._files = tuple(sorted(p for p in shown if not is_excluded(p, self.excludes)))
        return self._files

    def _git_files(self) -> list[str] | None:
        from kigate.git.listing import work_tree_files  # git only when a command needs it

        listing = work_tree_files(self.root)
        if listing is None:
            return None
        self._blobs = listing.blobs
        return listing.paths

    def content_key(self, path: str) -> str | None:
        """A key that changes whenever the file's content may have; None: do not cache.

        A tracked file whose working copy matches the index is named by its git blob id,
        which survives checkouts and fresh clones; any other file by device, inode, size
        and modification time. A link is never keyed: its target may change unseen.
        """
        if self._files is None:
            self.files()  # the git listing fills the blob ids
        blob = (self._blobs or {}).get(path)
        if blob is not None:
            return blob
        try:
            info = os.lstat(self.root / raw_name(path))
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return f"st:{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"

    def _walk(self) -> list[str]:
        # Iterative, not os.walk: a 1,000-level directory must not hit the recursion limit.
        found: list[str] = []
        skip = {e for e in self.excludes if "/" not in e}
        pending = [""]
        while pending:
            rel_dir = pending.pop()
            try:
                with os.scandir(self.root / rel_dir if rel_dir else self.root) as entries:
                    listed = [(e.name, _kind(e)) for e in entries]
            except OSError:
                continue
            for name, kind in listed:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if kind == "dir":
                    if name not in skip:
                        pending.append(rel)
                elif kind == "file":
                    found.append(rel)
        return found

    def _safe(self, path: str) -> Path | None:
        full = self.root / raw_name(path)
        if not inside(self.root, full):
            return None
        return full

    def _open(self, path: str) -> int | None:
        """A descriptor for ``path`` if it stays inside the repository, else None.

        Resolving every path in full costs more than reading most files, so each folder is
        resolved once (cached) and the file opened without following a final link; only a
        file that is itself a link is resolved in full.
        """
        full = os.path.join(self.root, raw_name(path))
        folder = os.path.dirname(full)
        ok = self._folders.get(folder)
        if ok is None:
            ok = self._folders[folder] = inside(self.root, Path(folder))
        if not ok:
            return None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        nofollow = getattr(os, "O_NOFOLLOW", 0)
        if nofollow:
            try:
                return os.open(full, flags | nofollow)
            except OSError:
                pass  # a link (or missing): decided below by the full check
            except ValueError:
                return None
        if not inside(self.root, Path(full)):
            return None
        try:
            return os.open(full, flags)
        except (OSError, ValueError):
            return None

    def read(self, path: str, limit: int) -> bytes | None:
        fd = self._open(path)
        if fd is None:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None
            # Ask for what the file holds (one byte more notices growth), not for ``limit``:
            # a buffer of ``limit`` bytes per small file costs more than reading it.
            want = min(limit, info.st_size + 1)
            chunks = []
            while want > 0:
                chunk = os.read(fd, want)
                if not chunk:
                    break
                chunks.append(chunk)
                want -= len(chunk)
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def size(self, path: str) -> int | None:
        full = self._safe(path)
        if full is None:
            return None
        try:
            info = full.stat()
        except (OSError, ValueError):
            return None
        return info.st_size if stat.S_ISREG(info.st_mode) else None

    def exists(self, path: str) -> bool:
        full = self._safe(path)
        try:
            return full is not None and full.exists()
        except (OSError, ValueError):  # a name beyond NAME_MAX / PATH_MAX
            return False

    def is_link(self, path: str) -> bool:
        """Whether ``path`` is a symbolic link (asked without following it)."""
        try:
            return os.path.islink(os.path.join(self.root, raw_name(path)))
        except (OSError, ValueError):
            return False
