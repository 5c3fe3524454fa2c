"""Making untrusted text safe for one output: messages and paths come from the checked repository.

A component name, an evidence path or a waiver's rule is written by whoever controls the
repository, so no format may let it break its syntax, forge a terminal escape, a workflow
command or a second table row.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

# Lone surrogates come from file names that are not UTF-8 (decoded with surrogateescape);
# no UTF-8 stream can carry them, so every renderer's output passes through ``scrub``.
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls (ESC starts terminal escapes) and the bidi embeddings, overrides and
# isolates that can make text read differently from what it is ("Trojan Source").
# The Unicode line and paragraph separators break lines in many viewers.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile("\r\n|[\r\n\t\u2028\u2029]")
# Characters XML 1.0 forbids even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def scrub(text: str) -> str:
    """Replace lone surrogates so the text can be written as UTF-8."""
    return _SURROGATE.sub(REPLACEMENT, text)


def original_bytes(text: str) -> bytes:
    """The bytes of a file name as git listed them (decoded with surrogateescape)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no decoding produced: not a real name
        return scrub(text).encode("utf-8")


def visible(text: str) -> str:
    """Text whose line breaks the format escapes itself: only the other controls are replaced."""
    return _CONTROL.sub(REPLACEMENT, scrub(text))


def one_line(text: str) -> str:
    """Text for a single line a person reads: line breaks become spaces, controls visible."""
    return _CONTROL.sub(REPLACEMENT, _NEWLINES.sub(" ", scrub(text)))


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold (escaping of ``<`` and ``&`` is the serializer's job)."""
    return _NOT_XML.sub(REPLACEMENT, text)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
