"""Regular expressions for sets of literal words that Python's engine searches fast.

The engine tries the branches of ``a|b|c`` one by one at every position it cannot rule out,
and rules out positions quickly only when every match starts with one known literal. So a
set of words is written as a trie (``\\.(?:c(?:om?|loud)|ai)``: one branch per distinct next
byte) and split by first byte (one pattern each): a search for ``.com``, ``.ai`` and
``:11434`` costs two fast scans instead of one slow one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import AnyStr, Generic

# Deeper tries are written as a plain alternation: the same words, and no deep recursion
# for a catalogue that names a host of a thousand characters.
MAX_DEPTH = 256


def trie(words: Iterable[bytes]) -> bytes:
    """A pattern that matches exactly ``words``, factored by common prefixes (the longer
    of two words that share a prefix is tried first)."""
    unique = sorted(set(words))
    if any(len(w) > MAX_DEPTH for w in unique):
        longest_first = sorted(unique, key=lambda w: (-len(w), w))
        return b"(?:" + b"|".join(re.escape(w) for w in longest_first) + b")"
    return _trie(unique)


def _trie(words: list[bytes]) -> bytes:
    optional = b"" in words
    groups: dict[int, list[bytes]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    if not groups:
        return b""
    branches = [re.escape(bytes([first])) + _trie(rest) for first, rest in groups.items()]
    if len(branches) == 1 and not optional:
        return branches[0]
    return b"(?:" + b"|".join(branches) + (b")?" if optional else b")")


def by_first_byte(words: Iterable[bytes], after: bytes = b"") -> tuple[re.Pattern[bytes], ...]:
    """Patterns, one per first byte of ``words``, that together find any of them (each
    followed by ``after``, a pattern). An empty word is not searched for."""
    groups: dict[int, list[bytes]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word)
    return tuple(re.compile(trie(group) + after) for _, group in sorted(groups.items()))


def on_lines_with(
    word: bytes, pattern: re.Pattern[bytes], data: bytes
) -> Iterator[re.Match[bytes]]:
    """``pattern.finditer(data)`` for a pattern whose every match starts at the start of a
    line (``^`` under MULTILINE) and ends on that line, which holds ``word``: only the lines
    that hold ``word`` are tried, found by a fast search instead of the engine's slow walk
    over every position. Lines in order, so the matches come in finditer's order."""
    at = data.find(word)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        found = pattern.match(data, start)
        if found is not None:
            yield found
        end = data.find(b"\n", at)
        if end < 0:
            return
        at = data.find(word, end)


class Lazy(Generic[AnyStr]):
    """A regular expression compiled when first used. The detector modules hold many; a run
    needs those of the files it meets, and compiling them all at import cost more than the
    rest of the import. After the first use its methods are the compiled pattern's own."""

    def __init__(self, source: AnyStr, flags: int = 0) -> None:
        self._source: AnyStr = source
        self._flags = flags

    def compiled(self) -> re.Pattern[AnyStr]:
        pattern = re.compile(self._source, self._flags)
        for method in ("search", "match", "fullmatch", "finditer", "sub"):
            setattr(self, method, getattr(pattern, method))
        return pattern

    def search(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled().search(string, pos, endpos)

    def match(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[AnyStr] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: AnyStr, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[AnyStr]]:
        return self.compiled().finditer(string, pos, endpos)

    def sub(
        self, repl: AnyStr | Callable[[re.Match[AnyStr]], AnyStr], string: AnyStr, count: int = 0
    ) -> AnyStr:
        return self.compiled().sub(repl, string, count)
