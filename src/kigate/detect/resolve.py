"""After every file was seen: what one file cannot decide about a component.

- A package the repository defines itself (a workspace or path member) is not the registry
  package of the same name: its components are dropped.
- A module several packages provide (``import faiss``: faiss-cpu or faiss-gpu) is the one a
  manifest of the repository declares, so a declared dependency and its import are one
  component with two evidences.
"""

from __future__ import annotations

from collections.abc import Iterable

from kigate.detect.base import Context
from kigate.detect.catalogue import normalize
from kigate.detect.workspaces import local_names
from kigate.model import Component


def resolve(ctx: Context, found: Iterable[Component]) -> list[Component]:
    local = local_names(ctx)
    kept = [c for c in found if not _is_local(local, c)]
    return _fold_alternatives(ctx, kept)


def _is_local(local: set[tuple[str, str]], comp: Component) -> bool:
    if comp.ecosystem not in ("cargo", "npm", "maven", "golang"):
        return False
    if comp.ecosystem == "golang":
        return any(
            eco == "golang" and (comp.name == name or comp.name.startswith(name + "/"))
            for eco, name in local
        )
    return (comp.ecosystem, normalize(comp.ecosystem, comp.name)) in local


def _fold_alternatives(ctx: Context, found: list[Component]) -> list[Component]:
    declared: dict[tuple[str, str], Component] = {}
    for comp in found:
        if any(e.family == "dependency" for e in comp.evidence):
            declared.setdefault((comp.ecosystem, normalize(comp.ecosystem, comp.name)), comp)
    if not declared:
        return found
    tables: dict[str, dict[str, tuple[str, ...]]] = {}
    result = []
    for comp in found:
        eco = comp.ecosystem
        if eco not in tables:
            tables[eco] = {
                normalize(eco, k): tuple(normalize(eco, a) for a in v)
                for k, v in ctx.catalogue.alternatives(eco).items()
            }
        name = normalize(eco, comp.name)
        others = tables[eco].get(name, ())
        target = None
        if (eco, name) not in declared:
            target = next((declared[(eco, o)] for o in others if (eco, o) in declared), None)
        if target is None:
            result.append(comp)
            continue
        result.append(
            Component(
                target.id,
                target.name,
                target.ecosystem,
                target.category,
                comp.scope,
                comp.evidence,
            )
        )
    return result
