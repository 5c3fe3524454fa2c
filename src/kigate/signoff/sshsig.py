"""Read what an armored SSH signature says about itself: the key and the namespace.

Parsing only (PROTOCOL.sshsig: ``SSHSIG``, version, public key, namespace, reserved, hash
algorithm, signature); whether the signature is valid is ``ssh-keygen``'s job. The key's
fingerprint names the signer's record file and appears in messages before any trust is
established, exactly as ``ssh-keygen -l`` prints it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
MAX_ARMORED = 64 * 1024  # an ed25519 signature is ~300 bytes, RSA-4096 under 2 KiB


class MalformedSignature(ValueError):
    """The text is not an armored SSH signature."""


@dataclass(frozen=True)
class SignatureInfo:
    key_type: str
    key_blob: bytes
    namespace: str

    @property
    def fingerprint(self) -> str:
        digest = base64.b64encode(hashlib.sha256(self.key_blob).digest()).decode().rstrip("=")
        return f"SHA256:{digest}"

    @property
    def key_id(self) -> str:
        """A short, file-name-safe name for the key (hex of its SHA-256)."""
        return hashlib.sha256(self.key_blob).hexdigest()[:16]


def _string(blob: bytes, at: int) -> tuple[bytes, int]:
    if at + 4 > len(blob):
        raise MalformedSignature("truncated")
    (size,) = struct.unpack(">I", blob[at : at + 4])
    end = at + 4 + size
    if end > len(blob):
        raise MalformedSignature("truncated")
    return blob[at + 4 : end], end


def parse(armored: str) -> SignatureInfo:
    text = armored.strip()
    if len(text) > MAX_ARMORED or not text.startswith(BEGIN) or not text.endswith(END):
        raise MalformedSignature("not armored")
    body = "".join(text[len(BEGIN) : -len(END)].split())
    try:
        blob = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedSignature("not base64") from None
    if not blob.startswith(b"SSHSIG") or len(blob) < 10:
        raise MalformedSignature("no SSHSIG magic")
    at = 10  # magic (6) + version (4)
    key_blob, at = _string(blob, at)
    namespace, at = _string(blob, at)
    for _ in range(3):  # reserved, hash algorithm, signature: present and well-formed
        _, at = _string(blob, at)
    key_type, _ = _string(key_blob, 0)
    try:
        return SignatureInfo(key_type.decode("ascii"), key_blob, namespace.decode("ascii"))
    except UnicodeDecodeError:
        raise MalformedSignature("not ascii") from None
