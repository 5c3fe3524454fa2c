"""Whom a sign-off must come from: the allowed signers file and the owners' identities.

The allowed signers never come from the change under review: the policy names either a file
outside the checked repository (``allowed_signers``) or a file read from the ``--base``
commit (``allowed_signers_in_base``), never from the working tree or the index.
"""

from __future__ import annotations

import base64
import binascii
import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path

from kigate import i18n
from kigate.policy import Policy
from kigate.signoff.keygen import SignoffError

MAX_ALLOWED_BYTES = 1 << 20
_KEY_TYPES = ("ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-")


@dataclass(frozen=True)
class AllowedSigners:
    text: str  # validated content, handed to ssh-keygen from a private copy
    origin: str  # shown to people: a path, or "<ref>:<path>"


def repository_top(root: Path) -> Path:
    """The nearest folder at or above ``root`` holding ``.git`` (``root`` without git).

    Looked up on disk, not by running git: verifying a sign-off starts no git process."""
    here = root.resolve()
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return here


def repository_path(root: Path, relative: str) -> str:
    """``relative`` (to the checked directory) as a path from the repository's top."""
    prefix = root.resolve().relative_to(repository_top(root)).as_posix()
    return relative if prefix in ("", ".") else posixpath.normpath(f"{prefix}/{relative}")


def check_text(text: str, origin: str) -> AllowedSigners:
    """Every line is ``principals [options] keytype base64-key [comment]`` or a comment."""
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        for index, field in enumerate(fields[1:-1], 1):
            if field.startswith(_KEY_TYPES) and _is_key(fields[index + 1]):
                break
        else:
            raise SignoffError(i18n.t("binding.allowed_malformed", line=number), path=origin)
    return AllowedSigners(text, origin)


def _is_key(text: str) -> bool:
    try:
        return len(base64.b64decode(text, validate=True)) > 16
    except (binascii.Error, ValueError):
        return False


def read_outside(path: str, root: Path) -> AllowedSigners:
    """The policy's ``allowed_signers`` file; inside the checked repository it is refused."""
    target = Path(path).expanduser().resolve()
    top = repository_top(root)
    if target == top or top in target.parents:
        raise SignoffError(i18n.t("binding.allowed_inside", path=path))
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SignoffError(i18n.t("binding.allowed_unreadable", path=path, reason=reason)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ALLOWED_BYTES:
            raise SignoffError(i18n.t("binding.allowed_not_file", path=path))
        data = os.read(fd, MAX_ALLOWED_BYTES + 1)
    finally:
        os.close(fd)
    return check_text(_decode(data, path), path)


def from_bytes(data: bytes | None, origin: str) -> AllowedSigners:
    """An allowed signers file read from a commit (``None``: the commit does not hold it)."""
    if data is None:
        raise SignoffError(i18n.t("binding.allowed_missing_in_base", origin=origin))
    if len(data) > MAX_ALLOWED_BYTES:
        raise SignoffError(i18n.t("binding.allowed_not_file", path=origin))
    return check_text(_decode(data, origin), origin)


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SignoffError(i18n.t("binding.allowed_not_file", path=origin)) from None


def speaks_for(identity: str, owner: str | None, policy: Policy) -> bool:
    """Whether the signer ``identity`` may sign for ``owner`` (itself, or as the policy says)."""
    if owner is None:
        return False
    wanted = owner.strip().casefold()
    if identity.strip().casefold() == wanted:
        return True
    for name, identities in policy.owner_signers:
        if name.strip().casefold() == wanted:
            return identity.strip().casefold() in {i.strip().casefold() for i in identities}
    return False
