"""From a checked tree to sign-off subjects and their records (nothing is verified here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kigate.manifest import MAX_BYTES, Manifest, Waiver
from kigate.policy import Policy
from kigate.signoff.canonical import Subject, waiver_content
from kigate.signoff.records import MAX_RECORDS, Record, parse_record
from kigate.signoff.trust import repository_path
from kigate.signoff.where import folder_of
from kigate.tree import Tree, files_under


@dataclass
class Found:
    """The records in one manifest's approvals folder, by subject."""

    manifest: list[Record | str] = field(default_factory=list)
    waivers: dict[str, list[Record | str]] = field(default_factory=dict)  # digest[:16] -> records


def manifest_subject(root: Path, policy: Policy, path: str, content: bytes) -> Subject:
    return Subject("manifest", repository_path(root, path), policy.id, policy.version, content)


def waiver_subject(root: Path, policy: Policy, path: str, waiver: Waiver) -> Subject:
    expires = waiver.expires.isoformat() if waiver.expires is not None else None
    values = (
        waiver.rule, waiver.reason, expires, waiver.approved_by,
        waiver.path, waiver.component, waiver.aspect,
    )  # fmt: skip
    content = waiver_content(values)
    return Subject("waiver", repository_path(root, path), policy.id, policy.version, content)


def read_manifest(tree: Tree, manifest: Manifest) -> bytes | None:
    data = tree.read(manifest.path, MAX_BYTES + 1)
    return None if data is None or len(data) > MAX_BYTES else data


def records(tree: Tree, manifest: Manifest) -> Found:
    """Every record file beside ``manifest``; one that cannot be read is kept by name."""
    prefix = folder_of(manifest.path) + "/"
    names = files_under(tree, prefix)[:MAX_RECORDS]
    found = Found()
    for name in names:
        base = name[len(prefix) :]
        if not base.endswith(".toml") or base.startswith("."):
            continue
        record = parse_record(name, tree.read(name, 64 * 1024 + 1))
        kind = base.split(".", 1)[0]
        if kind == "manifest":
            found.manifest.append(record if record is not None else name)
        elif kind == "waiver":
            key = record.sha256[:16] if record is not None else base.split(".")[1]
            found.waivers.setdefault(key, []).append(record if record is not None else name)
    return found
