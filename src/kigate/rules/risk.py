"""KG170: a capability the EU AI Act treats as high-risk or prohibited, under a manifest that
declares ``risk_class`` minimal, limited or nothing (an orientation, not legal advice)."""

from __future__ import annotations

from kigate import capabilities, i18n
from kigate.rules.base import Context, covering

RULE = "KG170"
LOW_CLASSES = (None, "minimal", "limited")


def risk_below_capability(ctx: Context) -> None:
    """One finding per capability and manifest, at the manifest's ``risk_class``."""
    for found in capabilities.find(ctx.components):
        reported: set[str] = set()
        for component_id, evidence in found.hits:
            for item in evidence:
                manifest = covering(ctx.manifests, item.path)
                if manifest is None or not manifest.valid or manifest.path in reported:
                    continue
                declared = manifest.system.risk_class
                if declared not in LOW_CLASSES:
                    continue
                reported.add(manifest.path)
                cap = found.capability
                text = i18n.t(
                    "binding.KG170",
                    component=component_id,
                    where=f"{item.path}:{item.line}" if item.line else item.path,
                    title=cap.title.en,
                    title_de=cap.title.de,
                    annex=cap.annex_iii,
                    article5=", ".join(cap.article_5),
                    declared=declared or "-",
                )
                line = manifest.system.line_of("risk_class")
                ctx.add(RULE, text, path=manifest.path, line=line, component=component_id)
