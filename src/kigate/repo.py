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
from collections.abc import Callable, Iterable, Sequence
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


def excluder(excludes: Iterable[str]) -> Callable[[str], bool]:
    """``is_excluded`` with the patterns bound: for listings of 100k paths (index, commit)."""
    frozen = tuple(excludes)
    return lambda path: is_excluded(path, frozen)


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


def repo_info(root: Path, shown: str, dirty: bool = True) -> dict[str, Any]:
    """Identity of the repository for reports: remote (no credentials), HEAD, branch, dirty.

    ``dirty=False`` skips the working-tree scan (``--staged`` does not judge the working tree).
    """
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
    if not dirty:
        return info
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


# --- Git-aware views: staged changes, the index, commits, history --------------------------
#
# The idle pre-commit hook calls ``staged_changes`` only: one plain subprocess, no gitpython,
# so deciding "nothing relevant is staged" costs a few milliseconds. Everything else goes
# through gitpython's ``Git.execute`` with ``SAFE_GIT_CONFIG``.

_EMPTY = frozenset[str]()
_FILE_MODES = ("100644", "100755", "120000")
_SYMLINK = "120000"
# Past this size a blob is read through its own process, so a huge model file is never
# pushed through the shared ``cat-file`` pipe only to be thrown away.
_STREAM_THRESHOLD = 8 << 20
# More paths than this are filtered after one full listing instead of on the command line.
_MAX_PATHSPECS = 500
# One batch of blob reads: this many files, blobs up to 1 MiB each, 16 MiB in all.
_BATCH_FILES = 512
_BATCH_BLOB_BYTES = 1 << 20
_BATCH_BYTES = 16 << 20


@dataclass(frozen=True)
class Change:
    """One staged change: git's status letter (A, M, D, R, C, T, U) and the path(s)."""

    status: str
    path: str
    old_path: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if self.old_path is None else (self.old_path, self.path)


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def parse_name_status(out: bytes) -> tuple[Change, ...]:
    """``git diff --name-status -z`` output; renames and copies carry two paths."""
    fields = out.split(b"\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = _decode(fields[i])[:1]
        if status in ("R", "C") and i + 2 < len(fields):
            changes.append(Change(status, _decode(fields[i + 2]), _decode(fields[i + 1])))
            i += 3
        elif i + 1 < len(fields):
            changes.append(Change(status, _decode(fields[i + 1])))
            i += 2
        else:
            break
    return tuple(changes)


def staged_changes(root: Path) -> tuple[Change, ...] | None:
    """What the next commit changes (index against HEAD, or against nothing before the
    first commit); None when git cannot answer (no git, not a repository).

    Runs in the environment git gave the hook, so ``GIT_INDEX_FILE`` of ``git commit -a``
    or ``git commit <paths>`` is honoured.
    """
    import subprocess

    command = ["git", *SAFE_GIT_CONFIG, "diff", "--cached", "--name-status", "-z", "-M"]
    command += ["--no-ext-diff", "--no-textconv", "--ignore-submodules=none"]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return parse_name_status(done.stdout)


class GitUnavailable(Exception):
    """Git cannot answer here; ``reason`` says why (a ``repo.*`` catalogue key)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _git_bytes(root: Path, *args: str) -> bytes:
    """Stdout of one git command, or GitUnavailable / RuntimeError(stderr) when it fails."""
    git = _import_git()
    if git is None:
        raise GitUnavailable("no_git")
    status, out, err = git.Git(str(root)).execute(
        ["git", *SAFE_GIT_CONFIG, *args],
        with_extended_output=True,
        with_exceptions=False,
        stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    if status != 0:
        raise RuntimeError(err if isinstance(err, str) else _decode(err or b""))
    return bytes(out)


def _git_text(root: Path, *args: str) -> str:
    return _decode(_git_bytes(root, *args)).strip()


def git_toplevel(root: Path) -> Path:
    """The work tree's top directory; GitUnavailable when ``root`` is not inside one."""
    try:
        top = _git_text(root, "rev-parse", "--show-toplevel")
    except RuntimeError:
        raise GitUnavailable("not_repo") from None
    if not top:
        raise GitUnavailable("not_repo")
    return Path(top)


class _BlobReader:
    """Blob bytes through one long-lived ``git cat-file --batch-command --buffer`` process.

    Requests go in batches: one round trip per batch rather than per file, which is what
    makes reading 100k small files from the index take a second instead of ten.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._proc: Any = None

    def _process(self) -> Any:
        if self._proc is None:
            import subprocess
            import weakref

            git = _import_git()
            if git is None:
                raise GitUnavailable("no_git")
            self._proc = git.Git(str(self.root)).execute(
                ["git", *SAFE_GIT_CONFIG, "cat-file", "--batch-command", "--buffer"],
                istream=subprocess.PIPE,
                as_process=True,
            )
            weakref.finalize(self, _close_process, self._proc)
        return self._proc

    def exchange(
        self, command: str, shas: Sequence[str]
    ) -> list[tuple[str, int, bytes | None] | None]:
        """``command`` ("info" or "contents") for every sha: (type, size, bytes) or None."""
        import threading

        proc = self._process().proc
        payload = "".join(f"{command} {sha}\n" for sha in shas).encode("ascii") + b"flush\n"
        # A writer thread: a long batch must not fill the pipe while git waits for us to read.
        writer = threading.Thread(target=_write_all, args=(proc.stdin, payload), daemon=True)
        writer.start()
        answers: list[tuple[str, int, bytes | None] | None] = []
        for _sha in shas:
            header = proc.stdout.readline().split()
            if len(header) != 3:
                answers.append(None)  # "<sha> missing"
                continue
            kind, size = _decode(header[1]), int(header[2])
            data = None
            if command == "contents":
                data = bytes(proc.stdout.read(size))
                proc.stdout.read(1)  # the newline after every object
            answers.append((kind, size, data))
        writer.join()
        return answers

    def size(self, sha: str) -> int | None:
        answer = self.exchange("info", [sha])[0]
        return answer[1] if answer and answer[0] == "blob" else None

    def read(self, sha: str, limit: int) -> bytes | None:
        size = self.size(sha)
        if size is None:
            return None
        if size > _STREAM_THRESHOLD and size > limit:
            return self._read_head(sha, limit)
        answer = self.exchange("contents", [sha])[0]
        return None if answer is None or answer[2] is None else answer[2][:limit]

    def _read_head(self, sha: str, limit: int) -> bytes | None:
        git = _import_git()
        if git is None:
            return None
        proc = git.Git(str(self.root)).execute(
            ["git", *SAFE_GIT_CONFIG, "cat-file", "blob", sha], as_process=True
        )
        try:
            return bytes(proc.proc.stdout.read(limit))
        finally:
            _close_process(proc)


def _write_all(stream: Any, payload: bytes) -> None:
    with contextlib.suppress(OSError, ValueError):
        stream.write(payload)
        stream.flush()


def _close_process(proc: Any) -> None:
    with contextlib.suppress(Exception):
        proc.proc.stdin.close()
    with contextlib.suppress(Exception):
        proc.proc.kill()
        proc.proc.wait()


_Entry = tuple[str, str]  # (mode, object id): a plain tuple, 100k of them are built per run


class _GitTree:
    """Files recorded by git (not on disk): shared by the index and commit views.

    Detection reads files in listing order, so a read that misses fetches the small blobs
    that follow it in one batch; later reads are served from that batch.
    """

    def __init__(self, root: Path, entries: dict[str, _Entry], excludes: tuple[str, ...]) -> None:
        self.root = Path(os.path.realpath(root))
        entries = {display_name(p): e for p, e in entries.items()}  # as WorkTree shows names
        self._entries = entries
        self._reader = _BlobReader(self.root)
        excluded = excluder(excludes)
        self._files = tuple(
            sorted(p for p, e in entries.items() if e[0] in _FILE_MODES and not excluded(p))
        )
        self._position: dict[str, int] | None = None
        self._batch: dict[str, bytes] = {}
        self._dirs: frozenset[str] | None = None

    def files(self) -> tuple[str, ...]:
        return self._files

    def _blob(self, path: str) -> _Entry | None:
        entry = self._entries.get(path)
        # A link's target is not read: it may point anywhere, in or out of the repository.
        if entry is None or entry[0] == _SYMLINK or entry[0] not in _FILE_MODES:
            return None
        return entry

    def read(self, path: str, limit: int) -> bytes | None:
        entry = self._blob(path)
        if entry is None:
            return None
        if path not in self._batch:
            self._fetch_from(path)
        data = self._batch.get(path)
        if data is None:  # too large to batch, or gone
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

    def is_dir(self, path: str) -> bool:
        if self._dirs is None:
            dirs = {""}
            for name in self._entries:
                parts = name.split("/")[:-1]
                dirs.update("/".join(parts[: i + 1]) for i in range(len(parts)))
            self._dirs = frozenset(dirs)
        return path.strip("/") in self._dirs or path in (".", "./")

    def exists(self, path: str) -> bool:
        return path in self._entries or self.is_dir(path)


def _ls_files_stage(out: bytes) -> tuple[dict[str, _Entry], frozenset[str]]:
    """``git ls-files --stage -z``: stage 0, or "ours" (stage 2) for a conflicted path."""
    entries: dict[str, _Entry] = {}
    conflicts: set[str] = set()
    # "<mode> <sha> <stage>\t<path>": fixed-width fields, sliced rather than split
    for record in _decode(out).split("\0"):
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


class IndexTree(_GitTree):
    """What the next commit will contain: blobs from the index, never the working tree."""

    def __init__(self, root: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> None:
        try:
            out = _git_bytes(root, "ls-files", "--stage", "-z")
        except RuntimeError:
            raise GitUnavailable("not_repo") from None
        entries, self.conflicts = _ls_files_stage(out)
        super().__init__(root, entries, excludes)

    def content_key(self, path: str) -> str | None:
        """The blob id: the same key a detection cache gives an unchanged tracked file of
        the working tree, so a commit-time check reuses what earlier runs found."""
        entry = self._blob(path)
        return None if entry is None else "git:" + entry[1]


def _ls_tree(out: bytes) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for record in _decode(out).split("\0"):
        meta, tab, path = record.partition("\t")
        if tab:
            mode, _kind, sha = meta.split(" ")
            entries[path] = (mode, sha)
    return entries


class CommitTree(_GitTree):
    """The files of one commit, below ``root`` (paths relative to ``root``)."""

    def __init__(
        self,
        root: Path,
        commit: str,
        excludes: tuple[str, ...] = DEFAULT_EXCLUDES,
        only: Iterable[str] | None = None,
    ) -> None:
        wanted = sorted(set(only)) if only is not None else None
        if wanted is not None and len(wanted) <= _MAX_PATHSPECS:
            entries = (
                _ls_tree(
                    _git_bytes(
                        root, "--literal-pathspecs", "ls-tree", "-r", "-z", commit, "--", *wanted
                    )
                )
                if wanted
                else {}
            )
        else:
            entries = _ls_tree(_git_bytes(root, "ls-tree", "-r", "-z", commit))
            if wanted is not None:
                keep = set(wanted)
                entries = {p: e for p, e in entries.items() if p in keep}
        self.commit = commit
        super().__init__(root, entries, excludes)


# --- Refs and history -----------------------------------------------------------------------


@dataclass(frozen=True)
class BaseRef:
    """``--base REF`` resolved: the commit REF names and where HEAD's branch left it."""

    ref: str
    commit: str
    merge_base: str


def is_shallow(root: Path) -> bool:
    try:
        return _git_text(root, "rev-parse", "--is-shallow-repository") == "true"
    except RuntimeError:
        return False


def shallow_boundary(root: Path) -> frozenset[str]:
    """Commits whose parents are missing because the clone is shallow."""
    if not is_shallow(root):
        return _EMPTY
    try:
        name = _git_text(root, "rev-parse", "--git-path", "shallow")
        text = (root / name).read_text(encoding="ascii")
    except (RuntimeError, OSError, UnicodeDecodeError):
        return _EMPTY
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _commit_of(root: Path, rev: str) -> str | None:
    try:
        sha = _git_text(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"
        )
    except RuntimeError:
        return None
    return sha or None


def head_commit(root: Path) -> str | None:
    """HEAD's commit, also when detached; None before the first commit."""
    return _commit_of(root, "HEAD")


def resolve_base(root: Path, ref: str) -> BaseRef:
    """REF and its merge base with HEAD; GitUnavailable with the reason when either is missing.

    Reasons: ``no_git``, ``not_repo``, ``no_head``, ``bad_ref`` / ``bad_ref_shallow``,
    ``no_merge_base`` / ``no_merge_base_shallow``.
    """
    git_toplevel(root)
    shallow = is_shallow(root)
    head = head_commit(root)
    if head is None:
        raise GitUnavailable("no_head")
    commit = _commit_of(root, ref) if ref and not ref.startswith("-") else None
    if commit is None:
        raise GitUnavailable("bad_ref_shallow" if shallow else "bad_ref")
    try:
        merge_base = _git_text(root, "merge-base", commit, head)
    except RuntimeError:
        merge_base = ""
    if not merge_base:
        raise GitUnavailable("no_merge_base_shallow" if shallow else "no_merge_base")
    return BaseRef(ref, commit, merge_base)


# ``git log`` must not verify signatures (log.showSignature would run the configured gpg
# program) nor follow a configured mailmap or decoration: plain data only.
_QUIET_LOG = ("--no-show-signature", "--no-mailmap", "--no-decorate")


@dataclass(frozen=True)
class LastChange:
    commit: str
    date: str  # committer date, YYYY-MM-DD


def last_change(root: Path, path: str) -> LastChange | None:
    """The newest commit reachable from HEAD that changed ``path`` (relative to ``root``);
    None when none did. RuntimeError when git cannot read the history."""
    out = _git_text(
        root, "--literal-pathspecs", "log", *_QUIET_LOG, "-1", "--format=%H %cs", "HEAD", "--", path
    )
    if not out:
        return None
    commit, _, date = out.partition(" ")
    return LastChange(commit, date)


def changed_between(root: Path, old: str, new: str, under: str = "") -> tuple[str, ...]:
    """Paths (relative to ``root``) that differ between two commits, below ``under``."""
    args = ["--literal-pathspecs", "diff", "--name-only", "-z", "--no-renames", old, new]
    args += ["--no-ext-diff", "--no-textconv", "--relative", "--", under or "."]
    out = _git_bytes(root, *args)
    return tuple(sorted(_decode(p) for p in out.split(b"\0") if p))


def first_change_after(root: Path, since: str, paths: Iterable[str]) -> dict[str, str]:
    """For each path, the date (YYYY-MM-DD) of its earliest commit after ``since`` up to HEAD."""
    wanted = sorted(set(paths))
    keep = set(wanted)
    if not wanted:
        return {}
    args = ["--literal-pathspecs", "log", *_QUIET_LOG, "--reverse", "--format=%x01%cs"]
    args += ["--name-only", "-z"]
    args += ["--relative", f"{since}..HEAD", "--", *wanted]
    out = _decode(_git_bytes(root, *args))
    found: dict[str, str] = {}
    for block in out.split("\x01")[1:]:
        date, *names = block.split("\0")
        for raw in names:
            name = raw.strip("\n")
            if name in keep and name not in found:
                found[name] = date.strip()
    return found


@dataclass(frozen=True)
class Trailer:
    commit: str  # abbreviated
    key: str  # Co-authored-by | Assisted-by
    value: str


def ai_trailers(root: Path, revisions: str = "HEAD", limit: int = 1000) -> tuple[Trailer, ...]:
    """``Co-authored-by`` / ``Assisted-by`` trailers of the newest ``limit`` commits."""
    fmt = "--format=%x01%h%x02%(trailers:key=Co-authored-by,key=Assisted-by,unfold)"
    try:
        out = _git_text(root, "log", *_QUIET_LOG, f"--max-count={limit}", fmt, revisions, "--")
    except RuntimeError:
        return ()
    found: list[Trailer] = []
    for block in out.split("\x01"):
        commit, _, body = block.partition("\x02")
        for line in body.splitlines():
            key, sep, value = line.partition(":")
            if sep and value.strip():
                found.append(Trailer(commit.strip(), key.strip(), value.strip()))
    return tuple(found)


def hooks_dir(root: Path) -> Path:
    """Where git looks for this repository's hooks (honours ``core.hooksPath``).

    The one git call without ``SAFE_GIT_CONFIG``'s ``core.hooksPath`` override, which
    would hide the answer; ``rev-parse`` itself runs no hook.
    """
    git = _import_git()
    if git is None:
        raise GitUnavailable("no_git")
    status, out, _err = git.Git(str(root)).execute(
        [
            "git",
            "--no-optional-locks",
            "-c",
            "core.fsmonitor=false",
            "rev-parse",
            "--git-path",
            "hooks",
        ],
        with_extended_output=True,
        with_exceptions=False,
    )
    if status != 0 or not str(out).strip():
        raise GitUnavailable("not_repo")
    path = Path(str(out).strip())
    return path if path.is_absolute() else root / path
