"""File names as kigate shows them, and the safe read of a small file: what the git layer
needs before anything else is loaded (``kigate check`` starts git from here on, so this
module imports neither ``typing`` nor ``dataclasses``)."""

from __future__ import annotations

import re
from pathlib import Path

_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(\\|n|t|r|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def display_name(raw: str) -> str:
    """A file name as kigate shows it: printable, one line, encodable.

    Control, format (bidi) and separator characters and undecodable bytes (surrogates from
    ``surrogateescape``) become backslash escapes, and a backslash becomes two, so a name can
    never forge a line of output or break an encoder, and ``raw_name`` can undo it.
    """
    if raw.isprintable() and "\\" not in raw:
        return raw
    out = []
    for ch in raw:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(
                f"\\x{code:02x}"
                if code < 0x80
                else (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
            )
    return "".join(out)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] == "x":
        value = int(code[1:], 16)
        return chr(value if value < 0x80 else 0xDC00 + value)
    if code[0] in "uU":
        return chr(int(code[1:], 16))
    return {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}[code]


def raw_name(shown: str) -> str:
    """The file-system name behind a ``display_name``."""
    return _UNESCAPE.sub(_unescape, shown) if "\\" in shown else shown


def decode(raw: bytes) -> str:
    """A name or text from git or the file system: undecodable bytes kept as surrogates."""
    return raw.decode("utf-8", "surrogateescape")


def read_small(path: str | Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else.

    Opened without blocking and checked with ``fstat`` before reading, so a FIFO, socket or
    device planted where a small file belongs is refused instead of waited on or streamed.
    """
    from kigate import safeio  # safeio's messages need i18n; the idle hook may not

    return safeio.read_optional(path, limit)
