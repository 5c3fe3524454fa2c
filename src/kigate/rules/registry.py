"""The rule registry: one entry per rule, the single place a rule id is defined.

Each entry says what the rule is called, how grave it is by default, which family it belongs
to (JUnit and summaries group by it), which catalogue keys its messages use, and which
function checks it (``module:function`` inside ``kigate.rules``). Texts live in the
catalogue (``rule.<id>.title|why|fix`` and the message keys); a policy may change the severity.
"""

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
    check: str  # "module:function" in kigate.rules that produces its findings
    messages: tuple[str, ...]  # catalogue keys of its finding messages
    # "tree": judged from the files alone (every check and scan); "history": needs git
    # history, run by the engine only where the history is asked for; "signoff": needs the
    # repository root and the --base tree (whom to trust), run by the engine.
    stage: str = "tree"

    @property
    def title(self) -> Text:
        return i18n.t(f"rule.{self.id}.title")

    @property
    def why(self) -> Text:
        return i18n.t(f"rule.{self.id}.why")

    @property
    def fix(self) -> Text:
        return i18n.t(f"rule.{self.id}.fix")

    @property
    def module(self) -> str:
        return self.check.split(":", 1)[0]


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

# fmt: off
RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("KG100", "ai-without-manifest", _E, "coverage", "coverage:uncovered_ai",
             ("check.KG100",)),
        Rule("KG101", "manifest-invalid", _E, "manifest", "manifest:manifest_problems",
             ("manifest.*",)),
        Rule("KG102", "manifest-unknown-key", _W, "manifest", "manifest:manifest_problems",
             ("manifest.unknown_key", "manifest.unknown_aspect")),
        Rule("KG104", "file-unreadable", _W, "detection", "manifest:unreadable_files",
             ("detect.*",)),
        Rule("KG110", "aspect-missing", _E, "aspects", "aspects:missing_aspects",
             ("check.KG110",)),
        Rule("KG111", "field-missing", _E, "aspects", "aspects:missing_fields",
             ("check.KG111", "check.KG111_system_missing")),
        Rule("KG112", "text-placeholder", _E, "aspects", "aspects:placeholder_texts",
             ("check.KG112_placeholder", "check.KG112_short", "check.KG112_echo",
              "check.KG112_questions", "check.KG112_short_field", "check.KG112_system",
              "check.KG112_purpose", "check.KG112_generic")),
        Rule("KG113", "not-applicable-unjustified", _E, "aspects", "aspects:unjustified",
             ("check.KG113",)),
        Rule("KG114", "answer-copied", _E, "substance", "substance:copied_answers",
             ("check.KG114",)),
        Rule("KG115", "claim-without-proof", _W, "substance", "substance:unproven_claims",
             ("check.KG115",)),
        Rule("KG116", "plan-undated", _W, "substance", "substance:undated_plans",
             ("check.KG116_missing", "check.KG116_overdue")),
        Rule("KG117", "evidence-empty", _W, "substance", "substance:empty_evidence",
             ("check.KG117", "binding.KG117_template")),
        Rule("KG118", "answer-off-topic", _I, "substance", "topics:off_topic",
             ("check.KG118", "check.no_terms")),
        Rule("KG119", "answer-misplaced", _E, "substance", "topics:off_topic",
             ("check.KG119",)),
        Rule("KG120", "evidence-missing", _W, "evidence", "evidence:missing_evidence",
             ("check.KG120_missing", "check.KG120_outside")),
        Rule("KG130", "review-overdue", _W, "review", "review:overdue_review",
             ("check.KG130",)),
        Rule("KG131", "manifest-stale", _W, "review", "history:stale_manifests",
             ("gates.KG131",), stage="history"),
        Rule("KG140", "component-undeclared", _W, "inventory", "inventory:undeclared",
             ("check.KG140",)),
        Rule("KG141", "component-gone", _I, "inventory", "inventory:gone",
             ("check.KG141",)),
        Rule("KG150", "waiver-invalid", _W, "waivers", "waivers:invalid_waivers",
             ("check.KG150", "check.KG150_rule", "check.KG150_reason",
              "check.KG150_no_expiry", "check.KG150_expired")),
        Rule("KG160", "manifest-unsigned", _W, "manifest", "signoff:check",
             ("binding.KG16x.unsigned",), stage="signoff"),
        Rule("KG161", "signoff-stale", _W, "manifest", "signoff:check",
             ("binding.KG16x.stale",), stage="signoff"),
        Rule("KG162", "signoff-untrusted", _W, "manifest", "signoff:check",
             ("binding.KG16x.untrusted", "binding.KG16x.unreadable"), stage="signoff"),
        Rule("KG163", "signoff-not-owner", _W, "manifest", "signoff:check",
             ("binding.KG16x.not_owner",), stage="signoff"),
        Rule("KG164", "waiver-approval-unverified", _W, "manifest", "signoff:check",
             ("binding.KG164", "binding.state.*"), stage="signoff"),
        Rule("KG170", "risk-class-below-capability", _W, "coverage",
             "risk:risk_below_capability", ("binding.KG170",)),
    )
}
# fmt: on

# What the manifest parser reports, by kind; the parser itself knows no rule ids.
PROBLEM_RULES = {"invalid": "KG101", "unknown": "KG102"}
UNREADABLE = "KG104"  # a detection problem: a file that may reveal AI could not be examined
STALE = "KG131"
WAIVER = "KG150"  # never waivable itself: a waiver cannot excuse a broken waiver
REVIEW_OVERDUE = "KG130"


def get(rule_id: str) -> Rule | None:
    return RULES.get(rule_id.upper())
