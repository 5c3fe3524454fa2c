"""Line numbers for TOML tables and keys.

tomllib parses but forgets where things were. This scanner walks the same text
once and records the line of every table header and key, keyed by the path that
tomllib's result would use (array-of-tables entries get their index). It only
has to be right for documents that tomllib accepted.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(raw: str) -> str:
    """TOML basic-string escapes (not Python's: unicode_escape garbles non-ASCII text)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except ValueError:
                return match.group(0)
        return _SIMPLE_ESCAPES.get(code, match.group(0))

    return _ESCAPE.sub(one, raw)


def _read_key(text: str, pos: int) -> tuple[list[str], int] | None:
    """Parse a (dotted) key starting at ``pos``; return parts and the position after it."""
    parts: list[str] = []
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            return None
        ch = text[pos]
        if ch == '"':
            end = pos + 1
            buf = []
            while end < n and text[end] != '"':
                if text[end] == "\\" and end + 1 < n:
                    buf.append(text[end : end + 2])
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            if end >= n:
                return None
            raw = "".join(buf)
            parts.append(_unescape(raw) if "\\" in raw else raw)
            pos = end + 1
        elif ch == "'":
            end = text.find("'", pos + 1)
            if end < 0:
                return None
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            m = _BARE.match(text, pos)
            if not m:
                return None
            parts.append(m.group(0))
            pos = m.end()
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == ".":
            pos += 1
            continue
        return parts, pos


class _ValueScanner:
    """Tracks multi-line strings and open brackets across lines."""

    def __init__(self) -> None:
        self.multiline: str | None = None
        self.depth = 0

    @property
    def busy(self) -> bool:
        return self.multiline is not None or self.depth > 0

    def feed(self, text: str, pos: int = 0) -> None:
        n = len(text)
        while pos < n:
            if self.multiline:
                end = text.find(self.multiline, pos)
                if end < 0:
                    return
                pos = end + 3
                # a closing delimiter may be followed by up to two quotes of content
                while pos < n and text[pos] == self.multiline[0]:
                    pos += 1
                self.multiline = None
                continue
            ch = text[pos]
            if ch == "#":
                return
            if text.startswith('"""', pos) or text.startswith("'''", pos):
                self.multiline = text[pos : pos + 3]
                pos += 3
                continue
            if ch == '"':
                pos += 1
                while pos < n and text[pos] != '"':
                    pos += 2 if text[pos] == "\\" else 1
                pos += 1
                continue
            if ch == "'":
                end = text.find("'", pos + 1)
                pos = n if end < 0 else end + 1
                continue
            if ch in "[{":
                self.depth += 1
            elif ch in "]}":
                self.depth = max(0, self.depth - 1)
            pos += 1


def locate(text: str) -> dict[Path, int]:
    """Map every table and key path to its 1-based line number."""
    lines: dict[Path, int] = {}
    arrays: dict[tuple[str, ...], int] = {}
    current: Path = ()
    scanner = _ValueScanner()
    # TOML ends lines at LF (or CRLF) only; str.splitlines also splits at U+0085, U+2028, ...
    # which a string value may hold, and every later line number would be off.
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")
        if scanner.busy:
            scanner.feed(line)
            continue
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        offset = len(line) - len(stripped)
        if stripped.startswith("[["):
            parsed = _read_key(line, offset + 2)
            if parsed:
                names = tuple(parsed[0])
                index = arrays.get(names, -1) + 1
                arrays[names] = index
                current = (*_with_indices(names[:-1], arrays), names[-1], index)
                lines.setdefault(current, number)
                lines.setdefault(current[:-1], number)
            continue
        if stripped.startswith("["):
            parsed = _read_key(line, offset + 1)
            if parsed:
                current = _with_indices(tuple(parsed[0]), arrays)
                for end in range(1, len(current) + 1):
                    lines.setdefault(current[:end], number)
            continue
        parsed = _read_key(line, offset)
        if parsed is None:
            continue
        parts, pos = parsed
        if pos < len(line) and line[pos] == "=":
            path = current
            for part in parts:
                path = (*path, part)
                lines.setdefault(path, number)
            scanner.feed(line, pos + 1)
    return lines


def _with_indices(names: tuple[str, ...], arrays: dict[tuple[str, ...], int]) -> Path:
    out: list[str | int] = []
    for i, name in enumerate(names):
        out.append(name)
        if names[: i + 1] in arrays:
            out.append(arrays[names[: i + 1]])
    return tuple(out)


def line_of(lines: dict[Path, int], path: Path, default: int = 1) -> int:
    """Line of ``path``, or of its nearest recorded parent."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return default
