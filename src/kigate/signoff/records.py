"""Sign-off records in ``.kigate/approvals/`` beside the manifest, one per signer and subject.

A record is a small TOML file: what was signed (subject, manifest path, policy and version,
date, SHA-256 of the content) and the armored SSH signature over the framed content
(:mod:`kigate.signoff.canonical`). Writing creates nothing but the approvals folder and one
file in it; a link anywhere on that way is refused, never followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kigate import i18n, safewrite
from kigate._toml import tomllib
from kigate.signoff.canonical import Subject
from kigate.signoff.keygen import SignoffError
from kigate.signoff.sshsig import MalformedSignature, SignatureInfo, parse
from kigate.signoff.where import FOLDER

FORMAT_VERSION = 1
MAX_RECORD_BYTES = 64 * 1024
MAX_RECORDS = 50  # per manifest: each costs ssh-keygen runs; more signers is noise, not a sign-off
_FIELDS = ("subject", "path", "policy", "policy_version", "signed_at", "sha256", "signature")


@dataclass(frozen=True)
class Record:
    file: str  # repository-relative
    subject: str
    path: str
    policy: str
    policy_version: str
    signed_at: str
    sha256: str
    signature: str
    info: SignatureInfo

    def matches(self, subject: Subject) -> bool:
        return (self.subject, self.path, self.policy, self.policy_version, self.sha256) == (
            subject.kind,
            subject.path,
            subject.policy,
            subject.policy_version,
            subject.digest,
        )


def parse_record(file: str, data: bytes | None) -> Record | None:
    """The record in ``data``; None when it cannot be read as one (a finding says so)."""
    if data is None or len(data) > MAX_RECORD_BYTES:
        return None
    try:
        raw: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if raw.get("kigate-signoff") != FORMAT_VERSION:
        return None
    values = [raw.get(name) for name in _FIELDS]
    if not all(isinstance(v, str) for v in values):
        return None
    subject, path, policy, version, signed_at, sha256, signature = (str(v) for v in values)
    try:
        info = parse(signature)
    except MalformedSignature:
        return None
    return Record(file, subject, path, policy, version, signed_at, sha256, signature, info)


def render(subject: Subject, signed_at: str, signature: str, info: SignatureInfo) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "\n".join(
        [
            f"# kigate sign-off by key {info.fingerprint}: `kigate verify` checks it.",
            f"kigate-signoff = {FORMAT_VERSION}",
            f"subject = {q(subject.kind)}",
            f"path = {q(subject.path)}",
            f"policy = {q(subject.policy)}",
            f"policy_version = {q(subject.policy_version)}",
            f"signed_at = {q(signed_at)}",
            f"sha256 = {q(subject.digest)}",
            f'signature = """\n{signature.strip()}\n"""',
            "",
        ]
    )


def file_name(subject: Subject, info: SignatureInfo) -> str:
    if subject.kind == "manifest":
        return f"manifest.{info.key_id}.toml"
    return f"waiver.{subject.digest[:16]}.{info.key_id}.toml"


def write(base: Path, name: str, text: str) -> Path:
    """Write ``text`` as ``name`` in the approvals folder below ``base`` (replacing the
    signer's earlier record); a link on the way is refused, never followed."""
    target = base.joinpath(*FOLDER, name)
    try:
        safewrite.write(base, FOLDER, name, text, replace=True)
    except safewrite.LinkRefused as exc:
        raise SignoffError(i18n.t("binding.folder_link", path=str(exc.path))) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SignoffError(i18n.t("cli.cannot_write", path=str(target), reason=reason)) from None
    return target
