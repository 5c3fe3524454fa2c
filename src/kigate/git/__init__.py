"""Everything kigate asks git. Every git process starts in ``runner.py``, in a private git
directory that never reads the repository's config (``shadow.py``); ``trees`` and
``listing`` say which files git records, ``history`` answers about commits and refs, and
``info`` names the repository, its staged changes and its hooks. Only the standard library
is imported, and the names below load their module on first use, so the idle hook
(which needs ``info.staged_changes``) loads neither trees nor history.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not ``typing``'s: ``kigate check`` starts git before it is loaded
if TYPE_CHECKING:
    from typing import Any

    from kigate.git.history import (
        BaseRef,
        LastChange,
        Trailer,
        ai_trailers,
        changed_between,
        first_change_after,
        git_toplevel,
        head_commit,
        is_shallow,
        last_change,
        resolve_base,
        shallow_boundary,
    )
    from kigate.git.info import Change, hooks_dir, parse_name_status, repo_info, staged_changes
    from kigate.git.runner import GitUnavailable
    from kigate.git.trees import CommitTree, IndexTree
    from kigate.tree import Tree

__all__ = [
    "BaseRef",
    "Change",
    "CommitTree",
    "GitUnavailable",
    "IndexTree",
    "LastChange",
    "Trailer",
    "Tree",
    "ai_trailers",
    "changed_between",
    "first_change_after",
    "git_toplevel",
    "head_commit",
    "hooks_dir",
    "is_shallow",
    "last_change",
    "parse_name_status",
    "repo_info",
    "resolve_base",
    "shallow_boundary",
    "staged_changes",
]

_HOMES = {
    "Tree": "kigate.tree",
    "GitUnavailable": "kigate.git.runner",
    "CommitTree": "kigate.git.trees",
    "IndexTree": "kigate.git.trees",
    **dict.fromkeys(
        ("Change", "hooks_dir", "parse_name_status", "repo_info", "staged_changes"),
        "kigate.git.info",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name, "kigate.git.history" if name in __all__ else None)
    if home is None:
        raise AttributeError(f"module 'kigate.git' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
