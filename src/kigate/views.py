"""The tree a check judges for its mode: the working tree or the index, as HEAD plus git's
changes (``DeltaTree``) when the snapshot may answer, else listed whole; and how the
repository's root is read for a manifest above the checked directory."""

from __future__ import annotations

from pathlib import Path

from kigate import above, delta_tree, git, i18n
from kigate.errors import RepoError
from kigate.requests import Mode
from kigate.tree import Tree
from kigate.worktree import WorkTree


def for_mode(root: Path, mode: Mode, excludes: tuple[str, ...], cache: bool = False) -> Tree:
    if cache:  # HEAD plus git's changes: the whole tree is listed only when no snapshot helps
        found = delta_tree.open_tree(root, mode.value, excludes)
        if found is not None:
            return found
    return staged_tree(root, excludes) if mode is Mode.STAGED else WorkTree(root, excludes)


def top_tree(mode: Mode) -> above.TopTree:
    """How the repository root is read for the manifest above the checked directory."""
    if mode is Mode.STAGED:
        return lambda top, _only: staged_tree(top, ())
    return lambda top, _only: WorkTree(top, (), use_git=False)


def staged_tree(root: Path, excludes: tuple[str, ...]) -> Tree:
    """The index below ``root``; one sentence (exit 2) when there is no index to read."""
    try:
        return git.IndexTree(root, excludes)
    except git.GitUnavailable as exc:
        raise RepoError(i18n.t(f"gates.staged.{exc.reason}")) from None
