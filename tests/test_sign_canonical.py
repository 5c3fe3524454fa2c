"""The signed bytes are unambiguous, and a signature's self-description is parsed safely."""

from __future__ import annotations

import base64
import contextlib

from hypothesis import given
from hypothesis import strategies as st

from kigate.signoff import canonical, sshsig
from kigate.signoff.canonical import Subject

TEXT = st.text(max_size=20)
SUBJECTS = st.builds(
    Subject,
    kind=st.sampled_from(["manifest", "waiver"]),
    path=TEXT,
    policy=TEXT,
    policy_version=TEXT,
    content=st.binary(max_size=40),
)


@given(SUBJECTS, SUBJECTS, TEXT, TEXT)
def test_different_subjects_never_sign_the_same_bytes(
    a: Subject, b: Subject, when_a: str, when_b: str
) -> None:
    if (a, when_a) != (b, when_b):
        assert a.signed_bytes(when_a) != b.signed_bytes(when_b)


def test_framing_is_as_documented() -> None:
    subject = Subject("manifest", "ai-values.toml", "demokratische-ki", "2026.1", b"kigate = 1\n")
    assert subject.signed_bytes("2026-12-01T10:00:00Z") == (
        b"kigate-signoff v1\n"
        b"subject 8\nmanifest\n"
        b"path 14\nai-values.toml\n"
        b"policy 16\ndemokratische-ki\n"
        b"policy_version 6\n2026.1\n"
        b"signed_at 20\n2026-12-01T10:00:00Z\n"
        b"content 11\nkigate = 1\n\n"
    )
    assert subject.namespace == "kigate-manifest@v1"


@given(st.lists(st.one_of(st.none(), TEXT), min_size=7, max_size=7))
def test_absent_and_empty_waiver_fields_differ(values: list[str | None]) -> None:
    flipped = [("" if v is None else None) if i == 0 else v for i, v in enumerate(values)]
    assert canonical.waiver_content(values) != canonical.waiver_content(flipped)


@given(st.text(max_size=400))
def test_parsing_any_text_raises_only_malformed(text: str) -> None:
    armored = f"{sshsig.BEGIN}\n{text}\n{sshsig.END}"
    with contextlib.suppress(sshsig.MalformedSignature):
        sshsig.parse(armored)


@given(st.binary(max_size=200))
def test_parsing_any_sshsig_blob_raises_only_malformed(tail: bytes) -> None:

    body = base64.b64encode(b"SSHSIG" + tail).decode()
    try:
        info = sshsig.parse(f"{sshsig.BEGIN}\n{body}\n{sshsig.END}")
    except sshsig.MalformedSignature:
        return
    assert info.fingerprint.startswith("SHA256:")


@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_record_file_is_a_record_or_none(data: bytes) -> None:
    from kigate.signoff.records import parse_record

    record = parse_record(".kigate/approvals/manifest.x.toml", data)
    assert record is None or record.file == ".kigate/approvals/manifest.x.toml"


def test_a_rendered_record_reads_back() -> None:
    from kigate.signoff.records import parse_record, render

    body = base64.b64encode(
        b"SSHSIG" + b"\0\0\0\1" + _s(_s(b"ssh-ed25519") + _s(b"k" * 32)) + _s(b"kigate-manifest@v1")
        + _s(b"") + _s(b"sha512") + _s(b"sig")
    ).decode()  # fmt: skip
    armored = f"{sshsig.BEGIN}\n{body}\n{sshsig.END}\n"
    info = sshsig.parse(armored)
    subject = Subject("manifest", "a/ai-values.toml", "p", "1", b"x")
    text = render(subject, "2026-12-01T10:00:00Z", armored, info)
    record = parse_record("a/.kigate/approvals/manifest.1.toml", text.encode())
    assert record is not None and record.matches(subject)
    assert (record.signed_at, record.info.fingerprint) == ("2026-12-01T10:00:00Z", info.fingerprint)
    assert info.key_type == "ssh-ed25519" and info.namespace == "kigate-manifest@v1"


def _s(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def test_escaped_file_names_never_frame_like_real_text() -> None:
    escaped = Subject("manifest", "\udcc3\udca9/ai-values.toml", "p", "1", b"")
    real = Subject("manifest", "é/ai-values.toml", "p", "1", b"")
    assert escaped.signed_bytes("t") != real.signed_bytes("t")
