"""The exact bytes a sign-off signs, framed so that no two subjects share them.

Framing (version 1), documented in the README: the header line ``kigate-signoff v1``
followed by fields in a fixed order, each written as ``<name> <length>\\n<bytes>\\n`` where
``<length>`` is the decimal byte length of ``<bytes>``. Because every value is preceded by its
length, no value can imitate a field boundary: changing any byte of any field, or moving bytes
between fields, changes the framed content. Fields of a manifest sign-off: ``subject``
(``manifest``), ``path`` (repository-relative, POSIX), ``policy``, ``policy_version``,
``signed_at`` (UTC, ISO 8601) and ``content`` (every byte of the manifest). A waiver's
``content`` is the waiver's own fields framed the same way (absent fields as ``-``), so editing
the waiver (or moving it to another manifest) invalidates its signature.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

HEADER = b"kigate-signoff v1\n"
MANIFEST_NAMESPACE = "kigate-manifest@v1"
WAIVER_NAMESPACE = "kigate-waiver@v1"
EXPORT_NAMESPACE = "kigate-export@v1"
WAIVER_FIELDS = ("rule", "reason", "expires", "approved_by", "path", "component", "aspect")


def frame(fields: Sequence[tuple[str, bytes]]) -> bytes:
    """``HEADER`` and every (name, value) pair with its length in front."""
    out = [HEADER]
    for name, value in fields:
        out.append(f"{name} {len(value)}\n".encode("ascii"))
        out.append(value)
        out.append(b"\n")
    return b"".join(out)


@dataclass(frozen=True)
class Subject:
    """What a sign-off is about: the manifest itself or one waiver in it."""

    kind: str  # "manifest" | "waiver"
    path: str  # the manifest's repository-relative path
    policy: str
    policy_version: str
    content: bytes

    @property
    def namespace(self) -> str:
        return MANIFEST_NAMESPACE if self.kind == "manifest" else WAIVER_NAMESPACE

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def signed_bytes(self, signed_at: str) -> bytes:
        return frame(
            [
                ("subject", _utf8(self.kind)),
                ("path", _utf8(self.path)),
                ("policy", _utf8(self.policy)),
                ("policy_version", _utf8(self.policy_version)),
                ("signed_at", _utf8(signed_at)),
                ("content", self.content),
            ]
        )


def _utf8(text: str) -> bytes:
    """Every text field as UTF-8; lone surrogates (a file name that is not UTF-8) pass as
    their own code points, so two different texts never frame alike."""
    return text.encode("utf-8", "surrogatepass")


def waiver_content(values: Sequence[str | None]) -> bytes:
    """A waiver's fields (in ``WAIVER_FIELDS`` order) framed; ``-`` marks an absent field."""
    fields = []
    for name, value in zip(WAIVER_FIELDS, values, strict=True):
        fields.append((name, b"-" if value is None else b"=" + _utf8(value)))
    return frame(fields)
