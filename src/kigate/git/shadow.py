"""Where a repository's git data lives, and the private git directory kigate runs git in.

Git never reads the checked repository's configuration: every command runs with
``GIT_DIR`` set to a "shadow" directory made once per process and repository in a fresh
temporary directory (never inside the repository, removed at exit). It holds OUR config
(only an allow-list of harmless layout values copied from the real one, parsed here without
following includes), ``HEAD`` as the commit the real one names (``refs.py``) and an empty
``refs`` folder; the runner points git at the real objects, shallow file, ``info/exclude``
and ``info/attributes`` by environment and ``-c`` options (no link, no copy of the objects).
No filter, diff driver, fsmonitor, hook, pager, credential
helper, transport or promisor remote can be configured there, whatever their names, so
nothing the repository configures can run, and a partial clone cannot fetch a missing
object: git reports it missing. The files read here (``.git`` files, ``commondir``,
``HEAD``, ``config``) are small and read through ``read_small``: FIFOs and devices refused.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from kigate.git.refs import copy_refs, resolve_head
from kigate.names import decode, read_small

_SMALL = 64 << 10  # .git files, commondir, HEAD
_CONFIG_LIMIT = 1 << 20
_MAX_DEPTH = 256  # directories walked up looking for ``.git``

# Values copied from the repository's config: how its objects, refs and files are laid out.
# Each must match its pattern in full, so nothing else (no command, no path) is ever copied.
_BOOL = r"true|false|yes|no|on|off|1|0"
_ALLOWED = {
    ("extensions", "objectformat"): r"sha1|sha256",
    ("extensions", "refstorage"): r"files|reftable",
    ("core", "ignorecase"): _BOOL,
    ("core", "symlinks"): _BOOL,
    ("core", "filemode"): _BOOL,
    ("core", "precomposeunicode"): _BOOL,
    ("core", "protectntfs"): _BOOL,
    ("core", "protecthfs"): _BOOL,
}


class Location:
    """A work tree and the git directories behind it (linked worktrees share ``common``).
    A plain class: found before ``kigate check`` starts git, ahead of ``dataclasses``."""

    __slots__ = ("common", "git_dir", "top")

    def __init__(self, top: Path, git_dir: Path, common: Path) -> None:
        self.top, self.git_dir, self.common = top, git_dir, common


def locate(start: Path) -> Location | None:
    """The work tree containing ``start``, found the way git finds it (a ``.git`` directory
    or a ``gitdir:`` file, in ``start`` or a parent), without running git."""
    here = Path(os.path.realpath(start))
    for folder in [here, *here.parents][:_MAX_DEPTH]:
        dot_git = folder / ".git"
        if os.path.isdir(dot_git):
            return _checked(folder, dot_git)
        if os.path.lexists(dot_git):
            data = read_small(dot_git, _SMALL)
            text = decode(data).strip() if data else ""
            if not text.startswith("gitdir:"):
                return None
            return _checked(folder, folder / text[len("gitdir:") :].strip())
    return None


def _checked(top: Path, git_dir: Path) -> Location | None:
    git_dir = Path(os.path.realpath(git_dir))
    common = git_dir
    data = read_small(git_dir / "commondir", _SMALL)
    if data is not None:
        common = Path(os.path.realpath(git_dir / decode(data).strip()))
    if not os.path.isfile(git_dir / "HEAD") or not os.path.isdir(common / "objects"):
        return None
    return Location(top, git_dir, common)


def parse_config(text: str) -> dict[tuple[str, str, str], str]:
    """(section, subsection, key) -> last value of a git config file; includes are NOT
    followed (nothing here needs them, and following them is how configs reach files)."""
    values: dict[tuple[str, str, str], str] = {}
    section = subsection = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        header = re.match(r'\[\s*([A-Za-z0-9.-]+)\s*(?:"((?:[^"\\]|\\.)*)")?\s*\]', line)
        if header:
            section, _, dotted = header.group(1).lower().partition(".")
            subsection = header.group(2) if header.group(2) is not None else dotted
            line = line[header.end() :].strip()
            if not line or line[0] in "#;":
                continue
        key, eq, value = line.partition("=")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", key.strip()):
            continue
        values[(section, subsection, key.strip().lower())] = _value(value) if eq else "true"
    return values


def _value(raw: str) -> str:
    out: list[str] = []
    quoted = False
    chars = iter(raw.strip())
    for ch in chars:
        if ch == '"':
            quoted = not quoted
        elif ch == "\\":
            nxt = next(chars, "")
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(nxt, nxt))
        elif ch in "#;" and not quoted:
            break
        else:
            out.append(ch)
    return "".join(out).strip()


def read_config(location: Location) -> dict[tuple[str, str, str], str]:
    data = read_small(location.common / "config", _CONFIG_LIMIT)
    return parse_config(decode(data)) if data else {}


def _our_config(real: dict[tuple[str, str, str], str]) -> str:
    kept = {
        (section, key): value
        for (section, key), pattern in _ALLOWED.items()
        if re.fullmatch(pattern, value := real.get((section, "", key), "").lower())
    }
    extensions = [f"\t{key} = {v}\n" for (s, key), v in sorted(kept.items()) if s == "extensions"]
    core = [f"\t{key} = {v}\n" for (s, key), v in sorted(kept.items()) if s == "core"]
    version = "1" if extensions else "0"
    text = f"[core]\n\trepositoryformatversion = {version}\n" + "".join(core)
    return text + ("[extensions]\n" + "".join(extensions) if extensions else "")


_SHADOWS: dict[Path, Path] = {}
_LOCK = threading.Lock()  # ``aggregate`` checks projects in threads


def shadow_dir(location: Location, with_refs: bool = False) -> Path:
    """The private git directory for ``location``: made once per process, ``HEAD`` brought
    up to date on every call (a run may commit or switch branches between two checks);
    ``with_refs`` copies the repository's refs in (for resolving ``--base REF``)."""
    with _LOCK:
        shadow = _SHADOWS.get(location.git_dir)
        if shadow is None or not shadow.is_dir():
            shadow = Path(tempfile.mkdtemp(prefix="kigate-git-"))
            atexit.register(shutil.rmtree, shadow, True)
            (shadow / "config").write_text(_our_config(read_config(location)), "utf-8")
            (shadow / "refs").mkdir()
            _SHADOWS[location.git_dir] = shadow
        head = resolve_head(location.git_dir, location.common)[0].encode("ascii")
        if read_small(shadow / "HEAD", _SMALL) != head:
            # Replaced, not rewritten: a git process running meanwhile never reads half a HEAD.
            with contextlib.suppress(OSError):
                (shadow / "HEAD.new").write_bytes(head)
                os.replace(shadow / "HEAD.new", shadow / "HEAD")
        if with_refs:
            copy_refs(location.common, shadow)
    return shadow


def head_symref(location: Location) -> str | None:
    """The branch HEAD names (``main``), or None when HEAD is detached or unreadable."""
    data = read_small(location.git_dir / "HEAD", _SMALL)
    text = decode(data).strip() if data else ""
    if text.startswith("ref: refs/heads/"):
        return text[len("ref: refs/heads/") :]
    return None
