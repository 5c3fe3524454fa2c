"""Waivers: time-boxed exceptions that are never silent (KG150), and applying them."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import replace

from kigate import i18n
from kigate.manifest import Manifest, Waiver
from kigate.model import Finding, Text
from kigate.policy import Policy
from kigate.rules.base import Context, covering, is_placeholder
from kigate.rules.registry import RULES, WAIVER


def waiver_problems(waiver: Waiver, policy: Policy, today: dt.date) -> list[Text]:
    """What makes ``waiver`` invalid: an unknown rule, no reason, no or a past expiry."""
    problems = []
    if waiver.rule is None or waiver.rule not in RULES:
        problems.append(i18n.t("check.KG150_rule", rule=waiver.rule or "?"))
    if not waiver.reason or is_placeholder(waiver.reason, policy):
        problems.append(i18n.t("check.KG150_reason"))
    if waiver.expires is None:
        problems.append(i18n.t("check.KG150_no_expiry"))
    elif waiver.expires < today:
        problems.append(i18n.t("check.KG150_expired", date=waiver.expires.isoformat()))
    return problems


def invalid_waivers(ctx: Context) -> None:
    """KG150: one finding per thing wrong with a waiver."""
    for manifest in ctx.valid_manifests:
        for waiver in manifest.waivers:
            for text in waiver_problems(waiver, ctx.policy, ctx.today):
                ctx.add(
                    WAIVER,
                    i18n.t(
                        "check.KG150",
                        rule=waiver.rule or "?",
                        problem=text.en,
                        problem_de=text.de,
                    ),
                    path=manifest.path,
                    line=waiver.line,
                )


def waives(waiver: Waiver, finding: Finding, today: dt.date) -> bool:
    """Whether a valid, unexpired ``waiver`` matches ``finding`` (rule, and any of path
    glob, component and aspect it narrows to). KG150 itself cannot be waived."""
    return (
        waiver.rule == finding.rule
        and finding.rule != WAIVER
        and bool(waiver.reason)
        and waiver.expires is not None
        and waiver.expires >= today
        and finding.path is not None
        and (waiver.path is None or fnmatch.fnmatchcase(finding.path, waiver.path))
        and (waiver.component is None or waiver.component == finding.component)
        and (waiver.aspect is None or waiver.aspect == finding.aspect)
    )


def apply_waivers(
    findings: Iterable[Finding], manifests: Sequence[Manifest], today: dt.date
) -> list[Finding]:
    """Every finding, marked waived when a waiver of the manifest covering it matches.

    Waivers are grouped by rule first: a manifest may hold tens of thousands of them, and
    each finding is compared with those of its own rule only (never findings x waivers)."""
    by_rule: dict[int, dict[str | None, list[Waiver]]] = {}
    for manifest in manifests:
        groups = by_rule.setdefault(id(manifest), {})
        for waiver in manifest.waivers:
            groups.setdefault(waiver.rule, []).append(waiver)
    out = []
    for finding in findings:
        cover = covering(manifests, finding.path) if finding.path is not None else None
        candidates = by_rule[id(cover)].get(finding.rule, []) if cover is not None else []
        waived = any(waives(w, finding, today) for w in candidates)
        out.append(replace(finding, waived=True) if waived else finding)
    return out
