"""Where sign-off records live, and whether a tree holds any: all a check needs to know when
its policy names no trust source (the usual case), without loading the verification."""

from __future__ import annotations

from collections.abc import Sequence

from kigate.schema import Manifest
from kigate.tree import Tree, files_under

FOLDER = (".kigate", "approvals")


def folder_of(manifest_path: str) -> str:
    """The approvals folder (repository-relative) of the manifest at ``manifest_path``."""
    parent = manifest_path.rsplit("/", 1)[0] if "/" in manifest_path else ""
    return "/".join(p for p in (parent, *FOLDER) if p)


def has_records(tree: Tree, manifests: Sequence[Manifest]) -> bool:
    """Whether any manifest's approvals folder holds a file."""
    return any(files_under(tree, folder_of(m.path) + "/") for m in manifests)
