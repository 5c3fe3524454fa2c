"""KG160-KG164: the manifest (and every waiver) signed, currently, by its owner's trusted key.

Runs only when the policy names whom to trust (``allowed_signers`` or
``allowed_signers_in_base``): without a trust anchor a signature proves nothing, so signatures
found then are reported as not checked, never as a pass. ``require_signoff`` makes every
finding of these rules an error (a policy may still switch one off).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kigate import i18n
from kigate.model import Finding, Severity, Text, Unchecked
from kigate.policy import Policy
from kigate.schema import Manifest, Waiver
from kigate.signoff import where
from kigate.tree import Tree

if TYPE_CHECKING:  # verification is loaded only when a policy names whom to trust
    from kigate.signoff import trust
    from kigate.signoff.verify import Verdict, Verifier

SIGNOFF_RULES = ("KG160", "KG161", "KG162", "KG163", "KG164")
_MANIFEST_RULE = {  # by ``State`` value
    "unsigned": "KG160",
    "stale": "KG161",
    "untrusted": "KG162",
    "unreadable": "KG162",
    "not_owner": "KG163",
}


@dataclass(frozen=True)
class Outcome:
    findings: tuple[Finding, ...]
    unchecked: tuple[Unchecked, ...]


def severity(policy: Policy, rule: str) -> Severity | None:
    found = policy.severity(rule)
    if found is not None and policy.require_signoff:
        return Severity.ERROR
    return found


def allowed_signers(
    policy: Policy, root: Path, base_tree: Tree | None, base: str | None
) -> trust.AllowedSigners | Text | None:
    """Whom to trust; a Text when the policy's source cannot be asked in this run, None when
    the policy names no source at all."""
    from kigate.signoff import trust

    if policy.allowed_signers is not None:
        return trust.read_outside(policy.allowed_signers, root)
    name = policy.allowed_signers_in_base
    if name is None:
        return None
    if base_tree is None:
        return i18n.t("binding.needs_base", path=name)
    return trust.from_bytes(base_tree.read(name, trust.MAX_ALLOWED_BYTES + 1), f"{base}:{name}")


@dataclass(frozen=True)
class Judged:
    """One manifest's verdict and the verdict of each of its waivers."""

    manifest: Manifest
    verdict: Verdict
    waivers: tuple[tuple[Waiver, Verdict], ...]


def judge(
    verifier: Verifier, policy: Policy, manifests: Sequence[Manifest], tree: Tree, root: Path
) -> list[Judged]:
    from kigate.signoff import gather

    out = []
    for manifest in manifests:
        content = gather.read_manifest(tree, manifest)
        if not manifest.valid or content is None:
            continue
        found = gather.records(tree, manifest)
        subject = gather.manifest_subject(root, policy, manifest.path, content)
        verdict = verifier.judge(subject, found.manifest, manifest.system.owner)
        waivers = []
        for waiver in manifest.waivers:
            ws = gather.waiver_subject(root, policy, manifest.path, waiver)
            records = found.waivers.get(ws.digest[:16], [])
            waivers.append((waiver, verifier.judge(ws, records, waiver.approved_by)))
        out.append(Judged(manifest, verdict, tuple(waivers)))
    return out


def check(
    policy: Policy,
    manifests: Sequence[Manifest],
    tree: Tree,
    root: Path,
    base_tree: Tree | None = None,
    base: str | None = None,
) -> Outcome:
    valid = [m for m in manifests if m.valid and not m.path.startswith("../")]
    # A manifest above the checked directory: its approvals folder is not listed from here.
    above = [m.path for m in manifests if m.valid and m.path.startswith("../")]
    anchored = policy.allowed_signers is not None or policy.allowed_signers_in_base is not None
    if not anchored and not policy.require_signoff and not where.has_records(tree, valid):
        return Outcome((), ())  # nothing to verify and nothing to say: no verification loaded
    from kigate.signoff import trust
    from kigate.signoff.verify import Verifier

    source = allowed_signers(policy, root, base_tree, base)
    if not isinstance(source, trust.AllowedSigners):
        if source is not None:
            reason = source
        elif where.has_records(tree, valid):
            reason = i18n.t("binding.no_trust_anchor")
        else:
            reason = i18n.t("binding.required_without_anchor")
        return Outcome((), tuple(Unchecked(r, reason) for r in SIGNOFF_RULES))
    with Verifier(source, policy) as verifier:
        judged = judge(verifier, policy, valid, tree, root)
    findings: list[Finding] = []
    for item in judged:
        findings += findings_of(item, policy, source.origin)
    unchecked = tuple(
        Unchecked(rule, i18n.t("binding.above", manifest=path))
        for path in above
        for rule in SIGNOFF_RULES
    )
    return Outcome(tuple(findings), unchecked)


def _add(
    out: list[Finding], policy: Policy, rule: str, message: Text, path: str, line: int | None
) -> None:
    level = severity(policy, rule)
    if level is not None:
        out.append(Finding(rule, level, message, path, line))


def findings_of(item: Judged, policy: Policy, origin: str) -> list[Finding]:
    out: list[Finding] = []
    manifest, verdict = item.manifest, item.verdict
    if verdict.state.value != "ok":
        text = _manifest_text(verdict, manifest.path, manifest.system.owner, origin)
        _add(out, policy, _MANIFEST_RULE[verdict.state.value], text, manifest.path, 1)
    for waiver, wv in item.waivers:
        if wv.state.value == "ok":
            continue
        state = i18n.t(f"binding.state.{wv.state.value}")
        text = i18n.t(
            "binding.KG164",
            rule=waiver.rule or "?",
            who=waiver.approved_by or "?",
            problem=state.en,
            problem_de=state.de,
        )
        _add(out, policy, "KG164", text, manifest.path, waiver.line)
    return out


def _manifest_text(verdict: Verdict, path: str, owner: str | None, origin: str) -> Text:
    best = verdict.best
    params: dict[str, object] = {"manifest": path, "owner": owner or "?", "origin": origin}
    if best is not None:
        params.update(
            file=best.file,
            date=best.signed_at or "?",
            key=best.fingerprint or "?",
            identity=", ".join(best.identities) or "?",
        )
    return i18n.t(f"binding.KG16x.{verdict.state.value}", **params)
