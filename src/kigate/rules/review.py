"""Review: the manifest is reviewed as often as the policy asks (KG130).

KG131 (the manifest is older than the AI it describes) needs git history: ``history.py``.
"""

from __future__ import annotations

from kigate import i18n
from kigate.rules.base import Context


def overdue_review(ctx: Context) -> None:
    """KG130: ``last_reviewed`` is older than the policy's ``review_max_days``."""
    for manifest in ctx.valid_manifests:
        reviewed = manifest.system.last_reviewed
        if reviewed is None:
            continue
        age = (ctx.today - reviewed).days
        if age > ctx.policy.review_max_days:
            ctx.add(
                "KG130",
                i18n.t(
                    "check.KG130",
                    date=reviewed.isoformat(),
                    days=age,
                    max=ctx.policy.review_max_days,
                ),
                path=manifest.path,
                line=manifest.system.line_of("last_reviewed"),
            )
