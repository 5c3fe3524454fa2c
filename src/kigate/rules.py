"""The rule table: stable ids, names and default severities. Texts live in the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from kigate import i18n
from kigate.model import Severity, Text


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # stable slug, used by SARIF as rule name
    severity: Severity  # default; a policy may change it
    family: str  # groups rules for JUnit and summaries

    @property
    def title(self) -> Text:
        return i18n.t(f"rule.{self.id}.title")

    @property
    def why(self) -> Text:
        return i18n.t(f"rule.{self.id}.why")

    @property
    def fix(self) -> Text:
        return i18n.t(f"rule.{self.id}.fix")


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("KG100", "ai-without-manifest", _E, "coverage"),
        Rule("KG101", "manifest-invalid", _E, "manifest"),
        Rule("KG102", "manifest-unknown-key", _W, "manifest"),
        Rule("KG104", "file-unreadable", _W, "detection"),
        Rule("KG110", "aspect-missing", _E, "aspects"),
        Rule("KG111", "field-missing", _E, "aspects"),
        Rule("KG112", "text-placeholder", _W, "aspects"),
        Rule("KG113", "not-applicable-unjustified", _E, "aspects"),
        Rule("KG120", "evidence-missing", _W, "evidence"),
        Rule("KG130", "review-overdue", _W, "review"),
        Rule("KG131", "manifest-stale", _W, "review"),
        Rule("KG140", "component-undeclared", _W, "inventory"),
        Rule("KG141", "component-gone", _I, "inventory"),
        Rule("KG150", "waiver-invalid", _W, "waivers"),
        Rule("KG160", "manifest-unsigned", _W, "manifest"),
        Rule("KG161", "signoff-stale", _W, "manifest"),
        Rule("KG162", "signoff-untrusted", _W, "manifest"),
        Rule("KG163", "signoff-not-owner", _W, "manifest"),
        Rule("KG164", "waiver-approval-unverified", _W, "manifest"),
        Rule("KG170", "risk-class-below-capability", _W, "coverage"),
    )
}


def get(rule_id: str) -> Rule | None:
    return RULES.get(rule_id.upper())
