"""Questions about commits and refs: HEAD, ``--base``, when a file last changed, trailers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kigate.git import runner
from kigate.git.blobs import shared_reader
from kigate.git.objects import changed_paths
from kigate.git.refs import resolve_head
from kigate.git.runner import GitUnavailable
from kigate.git.shadow import shadow_dir
from kigate.names import decode, read_small

_EMPTY = frozenset[str]()
_SHALLOW_LIMIT = 16 << 20

# ``git log`` must not verify signatures, follow a mailmap or decorate: plain data only
# (the shadow config sets none of them; the options keep it so under any default).
_QUIET_LOG = ("--no-show-signature", "--no-mailmap", "--no-decorate")


@dataclass(frozen=True)
class BaseRef:
    """``--base REF`` resolved: the commit REF names and where HEAD's branch left it."""

    ref: str
    commit: str
    merge_base: str


def git_toplevel(root: Path) -> Path:
    """The work tree's top directory; GitUnavailable when ``root`` is not inside one or
    git is missing."""
    runner.executable()
    return runner.location(root).top


def shallow_boundary(root: Path) -> frozenset[str]:
    """Commits whose parents are missing because the clone is shallow (none when it is not)."""
    try:
        where = runner.location(root)
    except GitUnavailable:
        return _EMPTY
    data = read_small(where.common / "shallow", _SHALLOW_LIMIT)
    if not data:
        return _EMPTY
    return frozenset(line.strip() for line in decode(data).splitlines() if line.strip())


def is_shallow(root: Path) -> bool:
    return bool(shallow_boundary(root))


def _commit_of(root: Path, rev: str) -> str | None:
    """The commit ``rev`` names, asked of the shared ``cat-file`` process."""
    found = shared_reader(root).resolve(rev + "^{commit}")
    return found[0] if found is not None and found[1] == "commit" else None


def head_commit(root: Path) -> str | None:
    """HEAD's commit, also when detached; None before the first commit or when the commit
    object is missing. The ref is read from the repository's files (``refs.py``), the
    object looked up by the shared ``cat-file`` process."""
    where = runner.location(root)
    sha = resolve_head(where.git_dir, where.common)[1]
    return None if sha is None else _commit_of(root, sha)


def resolve_base(root: Path, ref: str) -> BaseRef:
    """REF and its merge base with HEAD; GitUnavailable with the reason when either is missing.

    Reasons: ``no_git``, ``not_repo``, ``no_head``, ``bad_ref`` / ``bad_ref_shallow``,
    ``no_merge_base`` / ``no_merge_base_shallow``.
    """
    where = runner.location(root)
    runner.executable()
    shadow_dir(where, with_refs=True)  # the one question that needs the repository's refs
    shallow = is_shallow(root)
    head = head_commit(root)
    if head is None:
        raise GitUnavailable("no_head")
    commit = _commit_of(root, ref) if ref and not ref.startswith("-") else None
    if commit is None:
        raise GitUnavailable("bad_ref_shallow" if shallow else "bad_ref")
    try:
        merge_base = runner.text(root, "merge-base", commit, head)
    except RuntimeError:
        merge_base = ""
    if not merge_base:
        raise GitUnavailable("no_merge_base_shallow" if shallow else "no_merge_base")
    return BaseRef(ref, commit, merge_base)


@dataclass(frozen=True)
class LastChange:
    commit: str
    date: str  # committer date, YYYY-MM-DD


def last_change(root: Path, path: str) -> LastChange | None:
    """The newest commit reachable from HEAD that changed ``path`` (relative to ``root``);
    None when none did. RuntimeError when git cannot read the history."""
    out = runner.text(
        root, "--literal-pathspecs", "log", *_QUIET_LOG, "-1", "--format=%H %cs", "HEAD", "--", path
    )
    if not out:
        return None
    commit, _, date = out.partition(" ")
    return LastChange(commit, date)


def changed_between(root: Path, old: str, new: str, under: str = "") -> tuple[str, ...]:
    """Paths (relative to ``root``) that differ between two commits, below ``under``
    (compared tree by tree through the shared ``cat-file`` process: no process of its own)."""
    return changed_paths(root, old, new, under)


def first_change_after(root: Path, since: str, paths: Iterable[str]) -> dict[str, str]:
    """For each path, the date (YYYY-MM-DD) of its earliest commit after ``since`` up to HEAD."""
    wanted = sorted(set(paths))
    keep = set(wanted)
    if not wanted:
        return {}
    args = ["--literal-pathspecs", "log", *_QUIET_LOG, "--reverse", "--format=%x01%cs"]
    args += ["--name-only", "-z", "--relative", f"{since}..HEAD", "--", *wanted]
    out = decode(runner.run(root, *args))
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
        out = runner.text(root, "log", *_QUIET_LOG, f"--max-count={limit}", fmt, revisions, "--")
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
