"""Coverage: AI that no manifest covers (KG100)."""

from __future__ import annotations

from kigate import i18n
from kigate.rules.base import Context, covering


def uncovered_ai(ctx: Context) -> None:
    """KG100: a detected component with evidence outside every manifest's subtree."""
    for comp in ctx.components:
        uncovered = [e for e in comp.evidence if covering(ctx.manifests, e.path) is None]
        if not uncovered:
            continue
        first = uncovered[0]
        ctx.add(
            "KG100",
            i18n.t(
                "check.KG100",
                component=comp.id,
                category=comp.category,
                where=first.path,
                manifest=ctx.policy.manifest_name,
            ),
            path=first.path,
            line=first.line,
            component=comp.id,
            scope=comp.scope,
        )
