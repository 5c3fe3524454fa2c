"""Signing: the owner's key over a manifest's (or waiver's) canonical content."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kigate import i18n, manifest
from kigate.policy import Policy
from kigate.signoff import gather, keygen, records
from kigate.signoff.canonical import Subject
from kigate.signoff.keygen import SignoffError
from kigate.signoff.sshsig import MalformedSignature, parse
from kigate.worktree import WorkTree


@dataclass(frozen=True)
class Signed:
    file: Path
    subject: Subject
    fingerprint: str
    signed_at: str


def now_utc() -> str:
    moment = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def subjects(root: Path, name: str, policy: Policy, waiver_rule: str | None) -> list[Subject]:
    """The manifest ``name`` in ``root`` as a subject, or its waivers for ``waiver_rule``."""
    try:
        str(root.resolve()).encode("utf-8")
    except UnicodeEncodeError:  # a record names the path in TOML, which holds only UTF-8
        raise SignoffError(i18n.t("binding.path_not_utf8", path=str(root))) from None
    tree = WorkTree(root, use_git=False)
    data = tree.read(name, manifest.MAX_BYTES + 1)
    if data is None or len(data) > manifest.MAX_BYTES:
        raise SignoffError(i18n.t("binding.no_manifest", path=str(root), name=name))
    if waiver_rule is None:
        return [gather.manifest_subject(root, policy, name, data)]
    parsed = manifest.parse(name, data, policy)
    if not parsed.valid:
        raise SignoffError(i18n.t("binding.manifest_unreadable", path=str(root / name)))
    wanted = waiver_rule.strip().upper()
    found = [w for w in parsed.waivers if (w.rule or "").upper() == wanted]
    if not found:
        raise SignoffError(i18n.t("binding.no_waiver", path=str(root / name), rule=wanted))
    return [gather.waiver_subject(root, policy, name, w) for w in found]


def sign(root: Path, name: str, policy: Policy, key: Path, waiver_rule: str | None) -> list[Signed]:
    """Sign and store one record per subject in ``root/.kigate/approvals`` (``name`` is the
    manifest's file name in ``root``); nothing else is written."""
    done = []
    for subject in subjects(root, name, policy, waiver_rule):
        signed_at = now_utc()
        armored = keygen.sign(key, subject.namespace, subject.signed_bytes(signed_at))
        try:
            info = parse(armored)
        except MalformedSignature:
            raise SignoffError(
                i18n.t("binding.sign_failed", path=str(key), reason="no SSH signature")
            ) from None
        text = records.render(subject, signed_at, armored, info)
        written = records.write(root, records.file_name(subject, info), text)
        done.append(Signed(written, subject, info.fingerprint, signed_at))
    return done
