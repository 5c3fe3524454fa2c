"""The repository as kigate sees it: which files exist and their bytes.

All git access lives here, and gitpython is imported only when a command needs
git, so ``kigate --help`` and an idle hook stay fast. Nothing here ever writes
into the repository, runs its code, or follows a symlink out of it.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

# Directories of vendored, installed or generated code: not the project's own.
DEFAULT_EXCLUDES = (
    ".git",
    "node_modules",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "site-packages",
    "vendor",
    "third_party",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "build",
    "dist",
    "target",
    ".eggs",
)

# Git must never run a command on our behalf (fsmonitor hooks, filters, pagers).
SAFE_GIT_CONFIG = (
    "--no-optional-locks",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.pager=cat",
    "-c",
    "diff.external=",
    "-c",
    "core.hooksPath=/dev/null",
)


def _import_git() -> Any:
    """gitpython, or None when it or the git executable is unavailable."""
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    try:
        import git
    except ImportError:
        return None
    try:
        git.Git().version_info  # noqa: B018 - probes that the executable runs
    except Exception:
        return None
    return git


class Tree(Protocol):
    """Read-only view of the files kigate judges (working tree, index, ...)."""

    @property
    def root(self) -> Path: ...

    def files(self) -> tuple[str, ...]: ...

    def read(self, path: str, limit: int) -> bytes | None:
        """At most ``limit`` bytes of a regular file inside the repository, else None."""

    def size(self, path: str) -> int | None: ...

    def exists(self, path: str) -> bool: ...


def is_excluded(path: str, excludes: Iterable[str]) -> bool:
    parts = path.split("/")
    for pattern in excludes:
        if "/" not in pattern and not any(c in pattern for c in "*?["):
            if pattern in parts[:-1]:
                return True
        elif fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*"):
            return True
    return False


def inside(root: Path, candidate: Path) -> bool:
    """True if ``candidate`` (after resolving links) stays within ``root``."""
    try:
        real = Path(os.path.realpath(candidate))
    except (OSError, ValueError):
        return False
    return real == root or root in real.parents


@dataclass
class WorkTree:
    """The files on disk below ``root``: tracked and untracked-but-not-ignored under git,
    every file of a walk otherwise."""

    root: Path
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    use_git: bool = True
    notes: list[str] = field(default_factory=list)
    _files: tuple[str, ...] | None = None
    _folders: dict[str, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(os.path.realpath(self.root))

    def files(self) -> tuple[str, ...]:
        if self._files is None:
            listed = self._git_files() if self.use_git else None
            if listed is None:
                listed = self._walk()
            self._files = tuple(sorted(p for p in listed if not is_excluded(p, self.excludes)))
        return self._files

    def _git_files(self) -> list[str] | None:
        git = _import_git()
        if git is None:
            return None
        try:
            out = git.Git(str(self.root)).execute(
                [
                    "git",
                    *SAFE_GIT_CONFIG,
                    "ls-files",
                    "-z",
                    "--cached",
                    "--others",
                    "--exclude-standard",
                ],
                stdout_as_string=False,
            )
        except Exception:
            return None
        names = {n.decode("utf-8", "surrogateescape") for n in out.split(b"\0") if n}
        return [n for n in names if self._is_file(n)]

    def _is_file(self, rel: str) -> bool:
        try:
            mode = os.lstat(self.root / rel).st_mode
        except (OSError, ValueError):
            return False
        return stat.S_ISREG(mode) or stat.S_ISLNK(mode)

    def _walk(self) -> list[str]:
        found: list[str] = []
        skip = {e for e in self.excludes if "/" not in e}
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            dirnames[:] = [d for d in dirnames if d not in skip]
            rel_dir = os.path.relpath(dirpath, self.root)
            for name in filenames:
                rel = name if rel_dir == "." else f"{rel_dir}/{name}"
                found.append(rel.replace(os.sep, "/"))
        return found

    def _safe(self, path: str) -> Path | None:
        full = self.root / path
        if not inside(self.root, full):
            return None
        return full

    def _open(self, path: str) -> int | None:
        """A descriptor for ``path`` if it stays inside the repository, else None.

        Resolving every path in full costs more than reading most files, so each folder is
        resolved once (cached) and the file opened without following a final link; only a
        file that is itself a link is resolved in full.
        """
        full = os.path.join(self.root, path)
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
        return full is not None and full.exists()

    def is_dir(self, path: str) -> bool:
        full = self._safe(path)
        return full is not None and full.is_dir()


def strip_credentials(url: str) -> str:
    """``https://user:token@host/x`` -> ``https://host/x``; scp-like URLs keep their user."""
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    host_part, sep, tail = rest.partition("/")
    if "@" in host_part:
        host_part = host_part.rsplit("@", 1)[1]
    return f"{scheme}://{host_part}{sep}{tail}"


def repo_info(root: Path, shown: str) -> dict[str, Any]:
    """Identity of the repository for reports: remote (no credentials), HEAD, branch, dirty."""
    info: dict[str, Any] = {"root_name": root.name, "path": shown, "git": False}
    git = _import_git()
    if git is None:
        return info
    try:
        repo = git.Repo(str(root), search_parent_directories=True)
    except Exception:
        return info
    info["git"] = True
    info["root_name"] = Path(repo.working_tree_dir or root).name
    with contextlib.suppress(Exception):
        top = Path(os.path.realpath(repo.working_tree_dir))
        rel = Path(os.path.realpath(root)).relative_to(top).as_posix()
        info["subdir"] = "" if rel == "." else rel
    try:
        remotes = {r.name: r for r in repo.remotes}
        remote = remotes.get("origin") or next(iter(remotes.values()), None)
        if remote is not None:
            info["remote_url"] = strip_credentials(next(iter(remote.urls)))
    except Exception:
        pass
    with contextlib.suppress(Exception):
        info["commit"] = repo.head.commit.hexsha
    with contextlib.suppress(Exception):
        info["branch"] = None if repo.head.is_detached else repo.active_branch.name
    try:
        status = repo.git.execute(
            ["git", *SAFE_GIT_CONFIG, "status", "--porcelain", "--untracked-files=no"]
        )
        info["dirty"] = bool(str(status).strip())
    except Exception:
        pass
    return info
