"""The rules: (components, manifests, policy, repository facts) -> findings and aspect status."""

from __future__ import annotations

import datetime as dt
import fnmatch
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from kigate import i18n, rules
from kigate.detect import DetectProblem
from kigate.manifest import AspectEntry, Manifest
from kigate.model import (
    AspectResult,
    AspectStatus,
    Component,
    Evidence,
    Finding,
    ManifestSummary,
    Scope,
    Text,
)
from kigate.policy import AspectDef, Policy
from kigate.repo import Tree

_WORD = re.compile(r"\w+", re.UNICODE)
_TRIM = " \t\r\n.,;:!?\"'`()[]{}<>*_~"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?")


class _Findings:
    """Collects findings with the policy's severity; rules turned off produce nothing."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.items: list[Finding] = []

    def add(
        self,
        rule: str,
        message: Text,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        aspect: str | None = None,
        component: str | None = None,
        scope: Scope = Scope.PRODUCT,
    ) -> None:
        severity = self.policy.severity(rule, scope)
        if severity is None:
            return
        self.items.append(Finding(rule, severity, message, path, line, column, aspect, component))


def is_placeholder(text: str, policy: Policy) -> bool:
    normal = " ".join(text.lower().split()).strip(_TRIM)
    if normal in policy.placeholders or not normal:
        return True
    words = set(_WORD.findall(normal))
    for marker in policy.placeholder_markers:
        if (" " in marker and marker in normal) or marker in words:
            return True
    return False


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def covering(manifests: Sequence[Manifest], path: str) -> Manifest | None:
    """The nearest manifest at or above ``path``'s directory."""
    best: Manifest | None = None
    for manifest in manifests:
        d = manifest.directory
        if (d in ("", path) or path.startswith(d + "/")) and (
            best is None or len(d) > len(best.directory)
        ):
            best = manifest
    return best


def check_coverage(
    out: _Findings, components: Sequence[Component], manifests: Sequence[Manifest]
) -> None:
    """KG100, KG140, KG141."""
    covered_by: dict[str, set[str]] = {m.path: set() for m in manifests}
    for comp in components:
        uncovered: list[Evidence] = []
        undeclared: dict[str, Evidence] = {}
        for evidence in comp.evidence:
            manifest = covering(manifests, evidence.path)
            if manifest is None:
                uncovered.append(evidence)
                continue
            covered_by[manifest.path].add(comp.id)
            declared = {c.id for c in manifest.components}
            if manifest.valid and comp.id not in declared:
                undeclared.setdefault(manifest.path, evidence)
        if uncovered:
            first = uncovered[0]
            out.add(
                "KG100",
                i18n.t(
                    "check.KG100",
                    component=comp.id,
                    category=comp.category,
                    where=first.path,
                    manifest=out.policy.manifest_name,
                ),
                path=first.path,
                line=first.line,
                component=comp.id,
                scope=comp.scope,
            )
        for manifest_path, evidence in undeclared.items():
            out.add(
                "KG140",
                i18n.t(
                    "check.KG140", component=comp.id, manifest=manifest_path, where=evidence.path
                ),
                path=evidence.path,
                line=evidence.line,
                component=comp.id,
                scope=comp.scope,
            )
    for manifest in manifests:
        for entry in manifest.components:
            if entry.id not in covered_by.get(manifest.path, set()):
                out.add(
                    "KG141",
                    i18n.t("check.KG141", component=entry.id),
                    path=manifest.path,
                    line=entry.line,
                    component=entry.id,
                )


def _check_texts(out: _Findings, manifest: Manifest, entry: AspectEntry, aspect: AspectDef) -> None:
    policy = out.policy
    if entry.statement is not None:
        line = entry.line_of("statement")
        if is_placeholder(entry.statement, policy):
            out.add(
                "KG112",
                i18n.t("check.KG112_placeholder", aspect=aspect.id, field="statement"),
                path=manifest.path,
                line=line,
                aspect=aspect.id,
            )
        elif word_count(entry.statement) < aspect.min_words:
            out.add(
                "KG112",
                i18n.t(
                    "check.KG112_short",
                    aspect=aspect.id,
                    words=word_count(entry.statement),
                    min=aspect.min_words,
                ),
                path=manifest.path,
                line=line,
                aspect=aspect.id,
            )
    for measure in entry.measures:
        if is_placeholder(measure, policy):
            out.add(
                "KG112",
                i18n.t("check.KG112_placeholder", aspect=aspect.id, field="measures"),
                path=manifest.path,
                line=entry.line_of("measures"),
                aspect=aspect.id,
            )
            break
    if entry.owner is not None and is_placeholder(entry.owner, policy):
        out.add(
            "KG112",
            i18n.t("check.KG112_placeholder", aspect=aspect.id, field="owner"),
            path=manifest.path,
            line=entry.line_of("owner"),
            aspect=aspect.id,
        )


def _check_evidence(out: _Findings, manifest: Manifest, entry: AspectEntry, tree: Tree) -> None:
    for item in entry.evidence:
        if _URL.match(item) and not re.match(r"^[A-Za-z]:[\\/]", item):
            continue
        target = item.strip()
        if target.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", target):
            key = "check.KG120_outside"
        else:
            joined = posixpath.normpath(posixpath.join(manifest.directory, target))
            if joined == ".." or joined.startswith("../"):
                key = "check.KG120_outside"
            elif tree.exists(joined):
                continue
            else:
                key = "check.KG120_missing"
        out.add(
            "KG120",
            i18n.t(key, aspect=entry.id, path=item),
            path=manifest.path,
            line=entry.line_of("evidence"),
            aspect=entry.id,
        )


def check_aspects(out: _Findings, manifest: Manifest, tree: Tree) -> None:
    """KG110-KG113 and KG120 for every aspect the policy asks for."""
    for aspect in out.policy.aspects:
        entry = manifest.aspect(aspect.id)
        if entry is None:
            out.add(
                "KG110",
                i18n.t(
                    "check.KG110", aspect=aspect.id, title=aspect.title.en, title_de=aspect.title.de
                ),
                path=manifest.path,
                line=manifest.aspects_line,
                aspect=aspect.id,
            )
            continue
        if entry.status == "not_applicable":
            if entry.justification is None or is_placeholder(entry.justification, out.policy):
                out.add(
                    "KG113",
                    i18n.t("check.KG113", aspect=aspect.id),
                    path=manifest.path,
                    line=entry.line_of("status"),
                    aspect=aspect.id,
                )
            _check_evidence(out, manifest, entry, tree)
            continue
        for field_name in aspect.required:
            if not entry.has(field_name):
                out.add(
                    "KG111",
                    i18n.t("check.KG111", aspect=aspect.id, field=field_name),
                    path=manifest.path,
                    line=entry.line,
                    aspect=aspect.id,
                )
        _check_texts(out, manifest, entry, aspect)
        _check_evidence(out, manifest, entry, tree)


def check_system(out: _Findings, manifest: Manifest, today: dt.date) -> None:
    """KG111 for [system], KG130 for an overdue review."""
    system = manifest.system
    for field_name in out.policy.required_system:
        value = getattr(system, field_name)
        if value is None or (isinstance(value, str) and is_placeholder(value, out.policy)):
            out.add(
                "KG111",
                i18n.t("check.KG111_system", field=field_name),
                path=manifest.path,
                line=system.line,
            )
    if system.last_reviewed is not None:
        age = (today - system.last_reviewed).days
        if age > out.policy.review_max_days:
            out.add(
                "KG130",
                i18n.t(
                    "check.KG130",
                    date=system.last_reviewed.isoformat(),
                    days=age,
                    max=out.policy.review_max_days,
                ),
                path=manifest.path,
                line=system.line_of("last_reviewed"),
            )


def check_waivers(out: _Findings, manifest: Manifest, today: dt.date) -> None:
    """KG150: every waiver names a known rule, a reason and an expiry that has not passed."""
    for waiver in manifest.waivers:
        problems = []
        if waiver.rule is None or waiver.rule not in rules.RULES:
            problems.append(i18n.t("check.KG150_rule", rule=waiver.rule or "?"))
        if not waiver.reason or is_placeholder(waiver.reason, out.policy):
            problems.append(i18n.t("check.KG150_reason"))
        if waiver.expires is None:
            problems.append(i18n.t("check.KG150_no_expiry"))
        elif waiver.expires < today:
            problems.append(i18n.t("check.KG150_expired", date=waiver.expires.isoformat()))
        for text in problems:
            out.add(
                "KG150",
                i18n.t("check.KG150", rule=waiver.rule or "?", problem=text.en, problem_de=text.de),
                path=manifest.path,
                line=waiver.line,
            )


def apply_waivers(
    findings: Iterable[Finding], manifests: Sequence[Manifest], today: dt.date
) -> list[Finding]:
    out = []
    for finding in findings:
        waived = False
        for manifest in manifests:
            if finding.path is None or covering(manifests, finding.path) is not manifest:
                continue
            for waiver in manifest.waivers:
                if (
                    waiver.rule == finding.rule
                    and finding.rule != "KG150"
                    and waiver.reason
                    and waiver.expires is not None
                    and waiver.expires >= today
                    and (waiver.path is None or fnmatch.fnmatchcase(finding.path, waiver.path))
                    and (waiver.component is None or waiver.component == finding.component)
                    and (waiver.aspect is None or waiver.aspect == finding.aspect)
                ):
                    waived = True
        out.append(replace(finding, waived=True) if waived else finding)
    return out


def aspect_results(
    policy: Policy, manifest: Manifest | None, findings: Sequence[Finding]
) -> tuple[AspectResult, ...]:
    results = []
    for aspect in policy.aspects:
        entry = manifest.aspect(aspect.id) if manifest is not None and manifest.valid else None
        own = [
            f
            for f in findings
            if not f.waived
            and f.aspect == aspect.id
            and manifest is not None
            and f.path == manifest.path
        ]
        if entry is None:
            status = AspectStatus.MISSING
        elif entry.status == "not_applicable" and not own:
            status = AspectStatus.NOT_APPLICABLE
        elif own or entry.status != "implemented":
            status = AspectStatus.PARTIAL
        else:
            status = AspectStatus.COVERED
        results.append(AspectResult(aspect.id, aspect.title, status))
    return tuple(results)


_ORDER = {
    AspectStatus.MISSING: 0,
    AspectStatus.PARTIAL: 1,
    AspectStatus.NOT_APPLICABLE: 2,
    AspectStatus.COVERED: 3,
}


def overall(
    policy: Policy, per_manifest: Sequence[tuple[AspectResult, ...]], any_ai: bool
) -> tuple[AspectResult, ...]:
    """The weakest status of each aspect across all manifests."""
    if not per_manifest:
        if not any_ai:
            return ()
        return aspect_results(policy, None, ())
    combined = []
    for index, aspect in enumerate(policy.aspects):
        worst = min((results[index] for results in per_manifest), key=lambda r: _ORDER[r.status])
        combined.append(AspectResult(aspect.id, aspect.title, worst.status))
    return tuple(combined)


def run_checks(
    policy: Policy,
    components: Sequence[Component],
    manifests: Sequence[Manifest],
    tree: Tree,
    today: dt.date,
    detect_problems: Sequence[DetectProblem] = (),
) -> tuple[list[Finding], list[ManifestSummary], tuple[AspectResult, ...]]:
    out = _Findings(policy)
    for problem in detect_problems:
        out.add("KG104", problem.text, path=problem.path, line=problem.line)
    check_coverage(out, components, manifests)
    for manifest in manifests:
        for p in manifest.problems:
            out.add(
                p.rule, p.text, path=manifest.path, line=p.line, column=p.column, aspect=p.aspect
            )
        if not manifest.valid:
            continue
        check_system(out, manifest, today)
        check_aspects(out, manifest, tree)
        check_waivers(out, manifest, today)
    findings = sorted(apply_waivers(out.items, manifests, today), key=lambda f: f.sort_key)
    summaries = []
    per_manifest = []
    for manifest in manifests:
        results = aspect_results(policy, manifest, findings)
        per_manifest.append(results)
        summaries.append(
            ManifestSummary(
                manifest.path,
                manifest.system.name,
                manifest.system.owner,
                manifest.system.last_reviewed,
                results,
                risk_class=manifest.system.risk_class,
            )
        )
    return findings, summaries, overall(policy, per_manifest, bool(components))
