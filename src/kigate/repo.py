"""The repository as kigate sees it: which files exist and their bytes.

All git access lives here, and gitpython is imported only when a command needs
git, so ``kigate --help`` and an idle hook stay fast. Nothing here ever writes
into the repository, runs its code, or follows a symlink out of it.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterable
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


# Config keys whose value git runs as a command when it reads, compares or diffs content.
_DRIVER_COMMANDS = r"^(filter|diff)\..+\.(clean|smudge|process|textconv|command)$"


def neutral_drivers(git: Any, root: Path) -> tuple[str, ...]:
    """``-c`` options that blank every filter and diff driver command defined for ``root``.

    The checked repository's .gitattributes can send any file through such a driver, and
    git runs it on ``status`` or ``diff``; with the commands blanked it runs nothing.
    """
    try:
        out = git.Git(str(root)).execute(
            ["git", "config", "-z", "--name-only", "--get-regexp", _DRIVER_COMMANDS],
            stdout_as_string=False,
        )
    except Exception:  # exit 1: no driver defined
        return ()
    options: list[str] = []
    for raw in out.split(b"\0"):
        key = raw.decode("utf-8", "surrogateescape").strip()
        if key:
            options += ["-c", f"{key}="]
            if key.startswith("filter."):
                options += ["-c", key.rsplit(".", 1)[0] + ".required=false"]
    return tuple(options)


_LISTED_MODES = (b"100644", b"100755", b"120000")  # regular, executable, link


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _git_parallel(root: Path, commands: list[list[str]]) -> list[bytes] | None:
    """Run git commands side by side (each one walks or stats the whole tree); their
    outputs, or None when any of them fails."""
    procs = []
    try:
        for args in commands:
            procs.append(
                subprocess.Popen(
                    ["git", *SAFE_GIT_CONFIG, *args],
                    cwd=root,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            )
    except OSError:
        for proc in procs:
            proc.kill()
            proc.communicate()
        return None
    outputs = [proc.communicate()[0] for proc in procs]
    if any(proc.returncode != 0 for proc in procs):
        return None
    return outputs


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


def _kind(entry: os.DirEntry[str]) -> str:
    """A real directory is "dir"; anything else (a link to a directory too) is "file": listed,
    so that what cannot be read is reported, never silently skipped."""
    try:
        return "dir" if entry.is_dir(follow_symlinks=False) else "file"
    except OSError:
        return "other"


_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(\\|n|t|r|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def display_name(raw: str) -> str:
    """A file name as kigate shows it: printable, one line, encodable.

    Control, format (bidi) and separator characters and undecodable bytes (surrogates from
    ``surrogateescape``) become backslash escapes, and a backslash becomes two, so a name can
    never forge a line of output or break an encoder, and ``raw_name`` can undo it.
    """
    if raw.isprintable() and "\\" not in raw:
        return raw
    out = []
    for ch in raw:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(
                f"\\x{code:02x}"
                if code < 0x80
                else (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
            )
    return "".join(out)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] == "x":
        value = int(code[1:], 16)
        return chr(value if value < 0x80 else 0xDC00 + value)
    if code[0] in "uU":
        return chr(int(code[1:], 16))
    return {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}[code]


def raw_name(shown: str) -> str:
    """The file-system name behind a ``display_name``."""
    return _UNESCAPE.sub(_unescape, shown) if "\\" in shown else shown


def is_excluded(path: str, excludes: Iterable[str]) -> bool:
    names, globs = _compiled_excludes(tuple(excludes))
    if names and "/" in path and not names.isdisjoint(path.split("/")[:-1]):
        return True
    return globs is not None and globs(path) is not None


@functools.lru_cache(maxsize=16)
def _compiled_excludes(
    excludes: tuple[str, ...],
) -> tuple[frozenset[str], Callable[[str], re.Match[str] | None] | None]:
    """Directory names and one regex for the patterns: a listing of 100k paths is matched
    once per path, not once per pattern and path."""
    names: set[str] = set()
    globs: list[str] = []
    for pattern in excludes:
        if "/" not in pattern and not any(c in pattern for c in "*?["):
            names.add(pattern)
        else:
            globs += [fnmatch.translate(pattern), fnmatch.translate(pattern + "/*")]
    return frozenset(names), (re.compile("|".join(globs)).match if globs else None)


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
    every file of a walk otherwise. Paths in and out are ``display_name``s."""

    root: Path
    excludes: tuple[str, ...] = DEFAULT_EXCLUDES
    use_git: bool = True
    notes: list[str] = field(default_factory=list)
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
        """Tracked and untracked-but-not-ignored files. The index says which tracked files
        are regular files or links, so only the ones git reports changed or untracked need
        an lstat here (100k lstat calls in Python cost more than git's own check); the
        unchanged regular ones get their blob id as content key."""
        git = _import_git()
        if git is None:
            return None
        outputs = _git_parallel(
            self.root,
            [
                ["ls-files", "--stage", "-z"],
                ["ls-files", "-z", "--others", "--exclude-standard"],
                [*neutral_drivers(git, self.root), "diff-files", "--name-only", "--relative", "-z"],
            ],
        )
        if outputs is None:
            return None
        index, others, changed = outputs
        dirty = {_decode(n) for n in changed.split(b"\0") if n}
        listed: set[str] = set()
        blobs: dict[str, str] = {}
        for entry in index.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            parts = meta.split()
            if len(parts) != 3 or parts[0] not in _LISTED_MODES:
                continue  # a submodule, or not an entry at all
            path = _decode(name)
            listed.add(path)
            # stage 0 only (no conflict), regular files only (a link's target may change)
            if parts[2] == b"0" and parts[0] != b"120000" and path not in dirty:
                blobs[display_name(path)] = "git:" + parts[1].decode("ascii")
        self._blobs = blobs
        unsure = dirty | {_decode(n) for n in others.split(b"\0") if n}
        return [n for n in listed if n not in unsure] + [n for n in unsure if self._is_file(n)]

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

    def _is_file(self, rel: str) -> bool:
        try:
            mode = os.lstat(os.path.join(self.root, rel)).st_mode  # no pathlib: 100k calls
        except (OSError, ValueError):
            return False
        return stat.S_ISREG(mode) or stat.S_ISLNK(mode)

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
            [
                "git",
                *SAFE_GIT_CONFIG,
                *neutral_drivers(git, root),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--ignore-submodules=all",  # a submodule's own drivers are not blanked
            ]
        )
        info["dirty"] = bool(str(status).strip())
    except Exception:
        pass
    return info
