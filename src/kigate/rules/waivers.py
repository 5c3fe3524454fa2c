"""Waivers: time-boxed exceptions that are never silent (KG150), and applying them."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
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
    glob, component and aspect it narrows to), one waiver at a time: what ``apply_waivers``
    answers for all of them at once. KG150 itself cannot be waived."""
    return (
        _valid(waiver, today)
        and waiver.rule == finding.rule
        and finding.path is not None
        and (waiver.path is None or fnmatch.fnmatchcase(finding.path, waiver.path))
        and (waiver.component is None or waiver.component == finding.component)
        and (waiver.aspect is None or waiver.aspect == finding.aspect)
    )


_GLOB = frozenset("*?[")
_FEW_GLOBS = 16  # more path globs in one bucket are matched as one regular expression


class _Bucket:
    """The valid waivers of one manifest, rule, component and aspect: all that is left to
    tell them apart is the path, so a finding is waived when any of their paths matches."""

    def __init__(self) -> None:
        self.any_path = False
        self.exact: set[str] = set()
        self.globs: list[str] = []
        self._combined: re.Pattern[str] | None = None

    def add(self, path: str | None) -> None:
        if path is None:
            self.any_path = True
        elif _GLOB.isdisjoint(path):
            self.exact.add(path)
        else:
            self.globs.append(path)
            self._combined = None

    def matches(self, path: str) -> bool:
        if self.any_path or path in self.exact:
            return True
        if len(self.globs) <= _FEW_GLOBS:
            return any(fnmatch.fnmatchcase(path, glob) for glob in self.globs)
        if self._combined is None:  # one pass over the path, however many globs
            self._combined = re.compile("|".join(fnmatch.translate(g) for g in self.globs))
        return self._combined.match(path) is not None


def _valid(waiver: Waiver, today: dt.date) -> bool:
    """What a waiver must be by itself, before any finding is looked at."""
    return (
        waiver.rule is not None
        and waiver.rule != WAIVER
        and bool(waiver.reason)
        and waiver.expires is not None
        and waiver.expires >= today
    )


_Key = tuple[int, str, str | None, str | None]  # manifest, rule, component, aspect


def apply_waivers(
    findings: Iterable[Finding], manifests: Sequence[Manifest], today: dt.date
) -> list[Finding]:
    """Every finding, marked waived when a waiver of the manifest covering it matches.

    The valid waivers are put in buckets by rule, component and aspect once; a finding
    looks in the (at most four) buckets that can hold its waivers, and there only its path
    is matched: a set for exact paths, one regular expression for many globs. So ten
    thousand waivers cost about as much as ten (``benchmarks/waivers.py``), never findings
    x waivers. Same verdicts as ``waives`` for each waiver in turn."""
    buckets: dict[_Key, _Bucket] = {}
    for manifest in manifests:
        for waiver in manifest.waivers:
            if _valid(waiver, today) and waiver.rule is not None:
                key = (id(manifest), waiver.rule, waiver.component, waiver.aspect)
                buckets.setdefault(key, _Bucket()).add(waiver.path)
    out = []
    for finding in findings:
        path = finding.path
        cover = covering(manifests, path) if path is not None and buckets else None
        waived = False
        if cover is not None and path is not None:
            keys = {
                (id(cover), finding.rule, component, aspect)
                for component in (None, finding.component)
                for aspect in (None, finding.aspect)
            }
            waived = any(k in buckets and buckets[k].matches(path) for k in keys)
        out.append(replace(finding, waived=True) if waived else finding)
    return out
