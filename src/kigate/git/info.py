"""The repository as reports name it, what the next commit changes, and where hooks go.

``staged_changes`` is all the idle pre-commit hook asks: one git process, standard library
only, so deciding "nothing relevant is staged" costs a few milliseconds.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate.git import runner
from kigate.git.runner import GitUnavailable
from kigate.git.shadow import head_symref, read_config
from kigate.names import decode


def strip_credentials(url: str) -> str:
    """``https://user:token@host/x`` -> ``https://host/x``; scp-like URLs keep their user."""
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    host_part, sep, tail = rest.partition("/")
    if "@" in host_part:
        host_part = host_part.rsplit("@", 1)[1]
    return f"{scheme}://{host_part}{sep}{tail}"


def _remote_url(config: dict[tuple[str, str, str], str]) -> str | None:
    """``origin``'s URL, else the first remote's (as the config lists them)."""
    urls = {
        sub: value
        for (section, sub, key), value in config.items()
        if section == "remote" and key == "url"
    }
    url = urls.get("origin") or next(iter(urls.values()), None)
    from kigate import terminal

    return terminal.url(strip_credentials(url)) if url else None


def repo_info(root: Path, shown: str, dirty: bool = True) -> dict[str, Any]:
    """Identity of the repository for reports: remote (no credentials), HEAD, branch, dirty.

    Branch and remote are read from ``HEAD`` and the config file (never through git, which
    would read the whole config); ``dirty=False`` skips the working-tree scan (``--staged``
    does not judge the working tree).
    """
    info: dict[str, Any] = {"root_name": root.name, "path": shown, "git": False}
    try:
        runner.executable()
        where = runner.location(root)
    except GitUnavailable:
        return info
    info.update(git=True, root_name=where.top.name, branch=head_symref(where))
    rel = Path(os.path.realpath(root)).relative_to(where.top).as_posix()
    info["subdir"] = "" if rel == "." else rel
    url = _remote_url(read_config(where))
    if url is not None:
        info["remote_url"] = url
    from kigate.git.history import head_commit  # not needed by the idle hook

    commit = head_commit(root)
    if commit is not None:
        info["commit"] = commit
    if dirty:
        args = ("status", "--porcelain", "--untracked-files=no", "--ignore-submodules=all")
        with contextlib.suppress(GitUnavailable, RuntimeError):
            info["dirty"] = bool(runner.text(root, *args))
    return info


@dataclass(frozen=True)
class Change:
    """One staged change: git's status letter (A, M, D, R, C, T, U) and the path(s)."""

    status: str
    path: str
    old_path: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if self.old_path is None else (self.old_path, self.path)


def parse_name_status(out: bytes) -> tuple[Change, ...]:
    """``git diff --name-status -z`` output; renames and copies carry two paths."""
    fields = out.split(b"\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = decode(fields[i])[:1]
        if status in ("R", "C") and i + 2 < len(fields):
            changes.append(Change(status, decode(fields[i + 2]), decode(fields[i + 1])))
            i += 3
        elif i + 1 < len(fields):
            changes.append(Change(status, decode(fields[i + 1])))
            i += 2
        else:
            break
    return tuple(changes)


def staged_changes(root: Path) -> tuple[Change, ...] | None:
    """What the next commit changes (index against HEAD, or against nothing before the
    first commit); None when git cannot answer (no git, not a repository).

    ``GIT_INDEX_FILE`` of ``git commit -a`` or ``git commit <paths>`` is honoured (the runner
    keeps it).
    """
    args = ["diff", "--cached", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv"]
    args += ["--ignore-submodules=none"]
    try:
        return parse_name_status(runner.run(root, *args))
    except (GitUnavailable, RuntimeError):
        return None


def hooks_dir(root: Path) -> Path:
    """Where git looks for this repository's hooks (honours ``core.hooksPath``).

    The one command that reads the repository's own and the user's global config: it is
    asked by ``install-hook``, which the owner runs on their own repository, and
    ``rev-parse`` runs nothing a config names.
    """
    try:
        out = decode(runner.run(root, "rev-parse", "--git-path", "hooks", own_config=True))
    except RuntimeError:
        raise GitUnavailable("not_repo") from None
    if not out.strip():
        raise GitUnavailable("not_repo")
    path = Path(out.strip())
    return path if path.is_absolute() else root / path
