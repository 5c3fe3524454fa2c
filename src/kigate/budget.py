"""Shape budgets for TOML and JSON, checked by a cheap scan BEFORE the parser runs.

tomllib and json are fast on ordinary documents and helpless on hostile ones: 100k nested
brackets overflow the stack, a key with 100k dotted parts costs quadratic time and gigabytes,
an integer of 5,000 digits raises ValueError. One linear pass over the text (strings and
comments skipped) counts nesting depth, dotted-key parts, keys and the length of number
literals, and stops at the first budget exceeded; after parsing, integers must fit in 64 bits
(TOML's own rule; JSON reports hold no larger ones). The byte budget is the reader's
(``safeio``); these bound the shape. The README's limits table lists every number here.
"""

from __future__ import annotations

import re
from typing import Any

from kigate.model import Text

MAX_DEPTH = 48  # arrays / inline tables / JSON containers inside each other
MAX_KEY_PARTS = 16  # parts of one dotted key or table header: a.b.c is 3
MAX_KEYS = 200_000  # keys and table headers in one TOML document
MAX_NUMBER_CHARS = 64  # characters of one number literal
INT_MIN, INT_MAX = -(1 << 63), (1 << 63) - 1


class Exceeded(ValueError):
    """A document beyond a shape budget; ``text`` is one sentence (de/en)."""

    def __init__(self, text: Text, line: int = 1, kind: str = "integer") -> None:
        super().__init__(text.en)
        self.text = text
        self.line = line
        self.kind = kind  # depth, key_parts, keys, number, integer, not_finite


def _fail(key: str, text: str, pos: int, **params: object) -> Exceeded:
    from kigate import i18n  # i18n reads its catalogue through _toml, which imports this

    line = text.count("\n", 0, pos) + 1
    return Exceeded(i18n.t(f"budget.{key}", line=line, **params), line, key)


_TOML_TOKEN = re.compile(r"""\"\"\"|'''|["'#\[\]{}=,.\n]|[+\-]?[0-9][0-9A-Za-z_+\-.:]*""")
_BASIC_ML_END = re.compile(r'(?:[^"\\]|\\[\s\S]|"(?!""))*+"""')
_LITERAL_ML_END = re.compile(r"[\s\S]*?'''")
_BASIC_END = re.compile(r'(?:[^"\\\n]|\\.)*+"')
_LITERAL_END = re.compile(r"[^'\n]*'")


def _skip_string(text: str, token: str, pos: int) -> int:
    """The position after the string opened by ``token`` at ``pos`` (end of text if open)."""
    pattern = {'"""': _BASIC_ML_END, "'''": _LITERAL_ML_END, '"': _BASIC_END}.get(
        token, _LITERAL_END
    )
    found = pattern.match(text, pos)
    return found.end() if found else len(text)


def check_toml(text: str) -> None:
    """Raise Exceeded when ``text`` is deeper, more dotted or larger than the budgets.

    Key position (line start, after ``{`` or ``,`` in an inline table, inside a header) is
    where dots separate key parts; elsewhere a dot belongs to a number or date.
    """
    keys = parts = 0
    in_key = True  # at the start of a line
    inline: list[str] = []  # open "[" / "{" in value position
    pos = 0
    while (match := _TOML_TOKEN.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if token in ('"""', "'''", '"', "'"):
            pos = _skip_string(text, token, pos)
        elif token == "#":
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
        elif token == "\n":
            if not inline:
                in_key, parts = True, 0
        elif token == ".":
            if in_key:
                parts += 1
                if parts >= MAX_KEY_PARTS:
                    raise _fail("key_parts", text, match.start(), limit=MAX_KEY_PARTS)
        elif token == "=":
            in_key, parts = False, 0
            keys += 1
            if keys > MAX_KEYS:
                raise _fail("keys", text, match.start(), limit=MAX_KEYS)
        elif token in "[{":
            if in_key and not inline:  # a table header: [a.b] or [[a.b]]
                keys += 1
                continue
            inline.append(token)
            in_key = token == "{"
            if len(inline) > MAX_DEPTH:
                raise _fail("depth", text, match.start(), limit=MAX_DEPTH)
        elif token in "]}":
            if inline:
                inline.pop()
        elif token == ",":
            in_key = bool(inline) and inline[-1] == "{"
            parts = 0
        elif len(token) > MAX_NUMBER_CHARS:
            raise _fail("number", text, match.start(), limit=MAX_NUMBER_CHARS)


_JSON_TOKEN = re.compile(r'["\[\]{}]|-?[0-9][0-9eE+\-.]*')


def check_json(text: str) -> None:
    """Raise Exceeded when the JSON ``text`` is nested deeper than MAX_DEPTH or holds a
    number literal longer than MAX_NUMBER_CHARS."""
    depth = 0
    pos = 0
    while (match := _JSON_TOKEN.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if token == '"':
            found = _BASIC_END.match(text, pos)
            pos = found.end() if found else len(text)
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _fail("depth", text, match.start(), limit=MAX_DEPTH)
        elif token in "]}":
            depth -= 1
        elif len(token) > MAX_NUMBER_CHARS:
            raise _fail("number", text, match.start(), limit=MAX_NUMBER_CHARS)


def check_values(doc: Any) -> None:
    """Raise Exceeded for an integer outside 64 bits anywhere in a parsed document.

    Iterative: the depth is bounded already, but a walk must not recurse on data anyway.
    """
    pending = [doc]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            from kigate import i18n

            raise Exceeded(i18n.t("budget.integer"))
