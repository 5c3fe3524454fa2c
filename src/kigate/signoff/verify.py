"""Verdicts: is this manifest (or waiver) signed, currently, by a trusted key of its owner?"""

from __future__ import annotations

import enum
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kigate.policy import Policy
from kigate.signoff import keygen
from kigate.signoff.canonical import Subject
from kigate.signoff.records import Record
from kigate.signoff.trust import AllowedSigners, speaks_for


class State(str, enum.Enum):
    """Best first: a subject's verdict is the best state any of its records reaches."""

    OK = "ok"
    NOT_OWNER = "not_owner"
    UNTRUSTED = "untrusted"
    STALE = "stale"
    UNREADABLE = "unreadable"
    UNSIGNED = "unsigned"


_ORDER = list(State)


@dataclass(frozen=True)
class Checked:
    """One record, judged."""

    file: str
    state: State
    signed_at: str | None
    fingerprint: str | None
    identities: tuple[str, ...]  # verified identities of the signer (empty unless trusted)


@dataclass(frozen=True)
class Verdict:
    state: State
    records: tuple[Checked, ...]

    @property
    def best(self) -> Checked | None:
        for record in self.records:
            if record.state is self.state:
                return record
        return None


class Verifier:
    """Runs ``ssh-keygen`` against one private copy of the allowed signers file."""

    def __init__(self, allowed: AllowedSigners, policy: Policy) -> None:
        self.allowed = allowed
        self.policy = policy
        self._dir = tempfile.TemporaryDirectory(prefix="kigate-verify-")
        self._file = Path(self._dir.name) / "allowed_signers"
        self._file.write_text(allowed.text, encoding="utf-8")

    def close(self) -> None:
        self._dir.cleanup()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identities(self, record: Record, subject: Subject) -> tuple[str, ...]:
        """The allowed identities whose key made a valid signature of ``subject``."""
        signature = Path(self._dir.name) / "signature"
        signature.write_text(record.signature.strip() + "\n", encoding="ascii", errors="replace")
        data = subject.signed_bytes(record.signed_at)
        found = keygen.principals(self._file, signature)
        return tuple(
            p for p in found if keygen.verify(self._file, p, subject.namespace, signature, data)
        )

    def judge(
        self, subject: Subject, records: Sequence[Record | str], owner: str | None
    ) -> Verdict:
        """``records`` are this subject's records (a bare file name: one that could not be read)."""
        checked = [self._one(subject, r, owner) for r in records]
        if not checked:
            return Verdict(State.UNSIGNED, ())
        state = min((c.state for c in checked), key=_ORDER.index)
        return Verdict(state, tuple(checked))

    def _one(self, subject: Subject, record: Record | str, owner: str | None) -> Checked:
        if isinstance(record, str):
            return Checked(record, State.UNREADABLE, None, None, ())
        fingerprint = record.info.fingerprint
        if not record.matches(subject) or record.info.namespace != subject.namespace:
            return Checked(record.file, State.STALE, record.signed_at, fingerprint, ())
        names = self.identities(record, subject)
        if not names:
            state = State.UNTRUSTED
        elif any(speaks_for(n, owner, self.policy) for n in names):
            state = State.OK
        else:
            state = State.NOT_OWNER
        return Checked(record.file, state, record.signed_at, fingerprint, names)
