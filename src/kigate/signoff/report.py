"""``kigate verify``: every manifest's sign-offs, judged and written out for a person."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kigate import i18n, terminal
from kigate.manifest import Manifest
from kigate.policy import Policy
from kigate.rules.signoff import Judged, allowed_signers, judge
from kigate.signoff import trust
from kigate.signoff.keygen import SignoffError
from kigate.signoff.verify import State, Verifier
from kigate.tree import Tree


def trusted_source(
    policy: Policy, root: Path, explicit: str | None, base_tree: Tree | None, base: str | None
) -> trust.AllowedSigners:
    """The allowed signers to verify against: the command line's, else the policy's."""
    if explicit is not None:
        return trust.read_outside(explicit, root)
    source = allowed_signers(policy, root, base_tree, base)
    if source is None:
        raise SignoffError(i18n.t("binding.no_trust_anchor_policy"))
    if not isinstance(source, trust.AllowedSigners):
        raise SignoffError(source)
    return source


def verify_all(
    policy: Policy,
    manifests: Sequence[Manifest],
    tree: Tree,
    root: Path,
    source: trust.AllowedSigners,
) -> list[Judged]:
    with Verifier(source, policy) as verifier:
        return judge(verifier, policy, manifests, tree, root)


def render(judged: Sequence[Judged], origin: str, lang: str) -> str:
    lines: list[str] = []

    def t(name: str, /, **params: object) -> str:
        return i18n.t(f"binding.verify.{name}", **params)(lang)

    for item in judged:
        path = item.manifest.path
        lines.append(t("header", manifest=path, origin=origin))
        for record in item.verdict.records:
            who = t("by", identity=", ".join(record.identities)) if record.identities else ""
            lines.append(
                t(
                    "line",
                    state=i18n.t(f"binding.state.{record.state.value}")(lang),
                    file=record.file,
                    key=record.fingerprint or "?",
                    date=record.signed_at or "?",
                    who=who,
                )
            )
        if item.verdict.state is State.OK:
            lines.append(t("verdict_ok", manifest=path))
        elif not item.verdict.records:
            lines.append(t("none", manifest=path))
        for waiver, verdict in item.waivers:
            state = i18n.t(f"binding.state.{verdict.state.value}")(lang)
            lines.append(
                t("waiver", rule=waiver.rule or "?", who=waiver.approved_by or "?", state=state)
            )
        lines.append("")
    # file names come from the repository: a terminal must not obey what they carry
    return "\n".join(terminal.safe(line, one_line=True) for line in lines)


def all_ok(judged: Sequence[Judged]) -> bool:
    return all(
        j.verdict.state is State.OK and all(v.state is State.OK for _, v in j.waivers)
        for j in judged
    )
