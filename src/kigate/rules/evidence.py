"""Evidence: every repository path an aspect names exists inside the repository (KG120)."""

from __future__ import annotations

import posixpath
import re

from kigate import i18n
from kigate.above import leaves
from kigate.manifest import AspectEntry, Manifest
from kigate.rules.base import Context
from kigate.tree import Tree

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")  # a Windows path looks like a URL scheme


def evidence_problem(item: str, directory: str, tree: Tree) -> str | None:
    """The catalogue key saying what is wrong with evidence ``item``; None when it is fine.
    URLs are taken as given: kigate never goes on the network."""
    if _URL.match(item) and not _DRIVE.match(item):
        return None
    target = item.strip()
    if target.startswith("/") or _DRIVE.match(target):
        return "check.KG120_outside"
    joined = posixpath.normpath(posixpath.join(directory, target))
    if leaves(joined, tree):
        return "check.KG120_outside"
    return None if tree.exists(joined) else "check.KG120_missing"


def _entry_evidence(ctx: Context, manifest: Manifest, entry: AspectEntry, tree: Tree) -> None:
    for item in entry.evidence:
        key = evidence_problem(item, manifest.directory, tree)
        if key is not None:
            ctx.add(
                "KG120",
                i18n.t(key, aspect=entry.id, path=item),
                path=manifest.path,
                line=entry.line_of("evidence"),
                aspect=entry.id,
            )


def missing_evidence(ctx: Context) -> None:
    """KG120 for every aspect the policy asks for."""
    if ctx.tree is None:
        return
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            if entry is not None:
                _entry_evidence(ctx, manifest, entry, ctx.tree)
