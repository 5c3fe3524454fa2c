"""Inventory: the manifest's [[components]] against what detection finds (KG140, KG141).
A declared id is compared as ``detect.ids.canonical`` reads it: an old id (``crates:`` is now
``cargo:``) or another case of a NuGet id is the component it names."""

from __future__ import annotations

from collections.abc import Iterable

from kigate import i18n
from kigate.detect import ids
from kigate.manifest import Manifest
from kigate.model import Evidence
from kigate.rules.base import Context, covering


def _declared(manifest: Manifest, detected: Iterable[str]) -> set[str]:
    found = tuple(detected)
    return {ids.canonical(ids.shipped_aliases(), c.id, found)[0] for c in manifest.components}


def undeclared(ctx: Context) -> None:
    """KG140: a component found below a valid manifest that does not declare it."""
    for comp in ctx.components:
        first: dict[str, Evidence] = {}  # per manifest path: where it was first seen
        for evidence in comp.evidence:
            manifest = covering(ctx.manifests, evidence.path)
            if manifest is None or not manifest.valid:
                continue
            if comp.id not in _declared(manifest, (comp.id,)):
                first.setdefault(manifest.path, evidence)
        for manifest_path, evidence in first.items():
            ctx.add(
                "KG140",
                i18n.t(
                    "check.KG140", component=comp.id, manifest=manifest_path, where=evidence.path
                ),
                path=evidence.path,
                line=evidence.line,
                component=comp.id,
                scope=comp.scope,
            )


def gone(ctx: Context) -> None:
    """KG141: a declared component that no evidence below its manifest shows any more."""
    seen: dict[str, set[str]] = {m.path: set() for m in ctx.manifests}
    for comp in ctx.components:
        for evidence in comp.evidence:
            manifest = covering(ctx.manifests, evidence.path)
            if manifest is not None:
                seen[manifest.path].add(comp.id)
    for manifest in ctx.manifests:
        here = seen.get(manifest.path, set())
        for entry in manifest.components:
            if ids.canonical(ids.shipped_aliases(), entry.id, here)[0] not in here:
                ctx.add(
                    "KG141",
                    i18n.t("check.KG141", component=entry.id),
                    path=manifest.path,
                    line=entry.line,
                    component=entry.id,
                )
