"""KG170: a capability the EU AI Act treats as high-risk or prohibited, under a manifest that
declares ``risk_class`` minimal, limited or nothing (an orientation, not legal advice)."""

from __future__ import annotations

from collections.abc import Sequence

from kigate import capabilities, i18n
from kigate.checks import covering
from kigate.manifest import Manifest
from kigate.model import Component, Finding
from kigate.policy import Policy

LOW_CLASSES = (None, "minimal", "limited")


def check(
    policy: Policy, components: Sequence[Component], manifests: Sequence[Manifest]
) -> list[Finding]:
    severity = policy.severity("KG170")
    if severity is None:
        return []
    out = []
    for found in capabilities.find(components):
        reported: set[str] = set()
        for component_id, evidence in found.hits:
            for item in evidence:
                manifest = covering(manifests, item.path)
                if manifest is None or not manifest.valid or manifest.path in reported:
                    continue
                declared = manifest.system.risk_class
                if declared not in LOW_CLASSES:
                    continue
                reported.add(manifest.path)
                where = f"{item.path}:{item.line}" if item.line else item.path
                cap = found.capability
                text = i18n.t(
                    "binding.KG170",
                    title=cap.title.en,
                    title_de=cap.title.de,
                    component=component_id,
                    where=where,
                    annex=cap.annex_iii,
                    article5=", ".join(cap.article_5),
                    declared=declared or "-",
                )
                line = manifest.system.line_of("risk_class")
                out.append(
                    Finding("KG170", severity, text, manifest.path, line, component=component_id)
                )
    return out
