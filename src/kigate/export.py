"""The evidence bundle (``kigate export``): one versioned JSON document an auditor archives.

It holds every manifest (its bytes as text and their SHA-256), the report of the check, the
sign-offs with their verdict, and the SHA-256 of every evidence file the manifests name. Its
schema ships as ``kigate/schemas/export-v1.schema.json``; the report inside follows
``report-v1.schema.json`` unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from collections.abc import Sequence
from typing import Any

from kigate import __version__
from kigate.manifest import MAX_BYTES, Manifest
from kigate.rules.signoff import Judged
from kigate.signoff import gather
from kigate.signoff.records import Record
from kigate.tree import Tree

FORMAT = "kigate-export"
FORMAT_VERSION = 1
MAX_EVIDENCE_BYTES = 64 << 20  # larger evidence is listed, not hashed
MAX_EVIDENCE_FILES = 10_000
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//)?")


def _content(data: bytes) -> dict[str, Any]:
    try:
        return {"content": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"content_base64": base64.b64encode(data).decode("ascii")}


def _record(entry: Record | str, tree: Tree, verdicts: dict[str, Any]) -> dict[str, Any]:
    file = entry if isinstance(entry, str) else entry.file
    data = tree.read(file, 64 * 1024 + 1) or b""
    out: dict[str, Any] = {"file": file, "sha256": hashlib.sha256(data).hexdigest()}
    if not isinstance(entry, str):
        out.update(subject=entry.subject, signed_at=entry.signed_at, key=entry.info.fingerprint)
    checked = verdicts.get(file)
    out["state"] = checked.state.value if checked is not None else None
    out["identities"] = list(checked.identities) if checked is not None else []
    out["record"] = data.decode("utf-8", "replace")
    return out


def _signoffs(manifest: Manifest, tree: Tree, judged: Judged | None) -> list[dict[str, Any]]:
    verdicts: dict[str, Any] = {}
    if judged is not None:
        for verdict in (judged.verdict, *(v for _, v in judged.waivers)):
            verdicts.update({c.file: c for c in verdict.records})
    found = gather.records(tree, manifest)
    entries = [*found.manifest, *(r for group in found.waivers.values() for r in group)]
    return [_record(e, tree, verdicts) for e in entries]


def _evidence(manifest: Manifest, tree: Tree) -> list[dict[str, Any]]:
    out = []
    for entry in manifest.aspects:
        for item in entry.evidence:
            target = item.strip()
            row: dict[str, Any] = {"manifest": manifest.path, "aspect": entry.id, "ref": item}
            if _URL.match(target) and not re.match(r"^[A-Za-z]:[\\/]", target):
                row["kind"] = "url"
            else:
                path = posixpath.normpath(posixpath.join(manifest.directory, target))
                row.update(_hash(tree, path))
            out.append(row)
    return out


def _hash(tree: Tree, path: str) -> dict[str, Any]:
    if path == ".." or path.startswith(("../", "/")):
        return {"kind": "outside", "path": path}
    size = tree.size(path)
    if size is None:
        return {"kind": "missing", "path": path}
    if size > MAX_EVIDENCE_BYTES:
        return {"kind": "too_large", "path": path, "bytes": size}
    data = tree.read(path, MAX_EVIDENCE_BYTES + 1)
    if data is None:
        return {"kind": "missing", "path": path}
    return {"kind": "file", "path": path, "bytes": len(data), "sha256": _sha(data)}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bundle(
    report: dict[str, Any],
    manifests: Sequence[Manifest],
    tree: Tree,
    judged: Sequence[Judged] | None,
    trusted: str | None,
) -> dict[str, Any]:
    """The bundle as a JSON-ready dictionary. ``report`` is the check's JSON report as
    ``--format json`` writes it; ``judged`` None: no allowed signers to verify against, the
    sign-offs are listed with a null state."""
    by_path = {j.manifest.path: j for j in judged or ()}
    documents = []
    evidence: list[dict[str, Any]] = []
    for manifest in manifests:
        data = tree.read(manifest.path, MAX_BYTES + 1) or b""
        documents.append(
            {
                "path": manifest.path,
                "sha256": _sha(data),
                **_content(data),
                "signoffs": _signoffs(manifest, tree, by_path.get(manifest.path)),
            }
        )
        evidence += _evidence(manifest, tree)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "generated_at": report["generated_at"],
        "policy": {"id": report["policy"]["id"], "version": report["policy"]["version"]},
        "allowed_signers": trusted,
        "manifests": documents,
        "evidence": evidence[:MAX_EVIDENCE_FILES],
        "report": report,
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
