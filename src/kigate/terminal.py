"""One sanitiser for text that reaches a terminal: kigate's sentences carry names, keys,
refs and URLs a repository chose, and a terminal obeys what it is sent.

ESC (escape sequences: colours, cursor moves, window titles, OSC 8 links), BEL, CR (which
overwrites a line), the other C0/C1 controls, the Unicode line separators and the bidi
embeddings, overrides and isolates ("Trojan Source") are shown as backslash escapes, so a
person sees that they were there. Newlines and tabs are kept unless ``one_line``.
The formats' own escaping (``formats/_text.py``) covers report fields; this covers the
sentences on stderr, notes, and values kigate stores for later display (remote URLs).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\n\t]")
_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e", "\x07": "\\a"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str, one_line: bool = False) -> str:
    """``text`` with every control and bidi character shown as a backslash escape."""
    pattern = _UNSAFE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)


_BIDI = re.compile("[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def bidi_escaped(rendered: str) -> str:
    """A rendered report with C1 controls (``\\x9b`` is a one-byte ESC [ to many
    terminals), bidi controls and line separators written as ``\\uXXXX``:
    the same escape JSON uses (valid inside its strings, where alone they can occur), and
    visible in every other format. Colour escapes the renderer added stay untouched."""
    if rendered.isascii():
        return rendered
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", rendered)


def url(value: str) -> str:
    """A URL from a repository's configuration, fit to show: escaped when it carries
    controls or spaces, or when ``urllib.parse`` rejects it (e.g. a broken IPv6 host)."""
    shown = safe(value, one_line=True)
    if shown != value or " " in value:
        return shown.replace(" ", "%20")
    try:
        urlsplit(value)
    except ValueError:
        return "".join(f"%{b:02X}" if chr(b) in "[]" else chr(b) for b in value.encode())
    return value
