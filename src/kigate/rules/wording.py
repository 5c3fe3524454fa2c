"""What a text says, measured without understanding it: folding, words, shingles, topics.

Everything here is linear in the text's size: a text is looked at only up to ``WINDOW``
characters (a real answer is a few paragraphs; a megabyte of it is padding, and padding past
the window cannot add substance), and shingles are hashed into a set capped at
``MAX_SHINGLES``. ``benchmarks/verdict.py`` measures it on a 1 MB answer.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

WINDOW = 50_000  # characters of one text that are analysed
MAX_SHINGLES = 4_000
SHINGLE = 3  # words per shingle

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o"})
# German umlauts are written ä or ae; both fold to the same plain vowel.
_DIGRAPH = re.compile(r"ae|oe|ue")
_DIGRAPH_VOWEL = {"ae": "a", "oe": "o", "ue": "u"}
_COMBINING = re.compile("[\u0300-\u036f]")  # the accents NFKD splits off


def fold_word(word: str) -> str:
    """Lower case, accents dropped, ä/ae → a, ö/oe → o, ü/ue → u, ß → ss (consistently)."""
    lowered = word.lower().translate(_FOLD)
    if lowered.isascii():
        plain = lowered
    else:
        decomposed = unicodedata.normalize("NFKD", lowered)
        plain = _COMBINING.sub("", decomposed)
    return _DIGRAPH.sub(lambda m: _DIGRAPH_VOWEL[m.group()], plain)


# Words that carry no topic in either language: an echo or a topic is judged without them.
_STOPWORD_TEXT = """
    a an the and or but if then than so as at by for from in into of on onto to with without
    within is are was were be been being has have had do does did will would shall should can
    could may might must not no nor this that these those it its we our us you your they their
    them he she his her i me my all any each every some such which who whom whose what when
    where why how also only very more most much many other own same too just about after before
    again against between both during here there once over under until up down out off per via
    der die das den dem des ein eine einen einem einer eines und oder aber wenn dann als wie
    so zu zum zur im in ins am an auf aus bei mit nach von vor für fur über uber unter um durch
    gegen ohne ist sind war waren sein seine seinen seinem seiner wird werden wurde wurden hat
    haben hatte hatten kann können konnen muss müssen mussen soll sollen darf dürfen durfen
    nicht kein keine keinen keinem keiner wir unser unsere unseren unserem unserer uns ihr ihre
    ihren ihrem ihrer sie es er man dies diese dieser dieses diesen diesem jede jeder jedes
    jeden jedem alle allen aller auch nur sehr mehr noch schon immer wieder dass daß da dort
    hier was wer wen wem wessen welche welcher welches welchen welchem wo warum wieso
    """
STOPWORDS = frozenset(fold_word(w) for w in _STOPWORD_TEXT.split())


@functools.lru_cache(maxsize=64)
def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (its first ``WINDOW`` characters), folded in one pass.

    Cached: several rules read the same answer."""
    return tuple(_WORD.findall(fold_word(text[:WINDOW])))


@functools.lru_cache(maxsize=64)
def content_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in words(text) if w not in STOPWORDS and not w.isdigit())


def shingles(tokens: Sequence[str], size: int = SHINGLE) -> frozenset[int]:
    """Hashed word n-grams; a text shorter than ``size`` words is one shingle."""
    if len(tokens) < size:
        return frozenset({hash(" ".join(tokens))}) if tokens else frozenset()
    out: set[int] = set()
    for i in range(len(tokens) - size + 1):
        out.add(hash(" ".join(tokens[i : i + size])))
        if len(out) >= MAX_SHINGLES:
            break
    return frozenset(out)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def only_questions(text: str) -> bool:
    """True when every sentence of ``text`` is a question."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+|\n+", text[:WINDOW]) if p.strip()]
    return bool(parts) and all(p.endswith("?") for p in parts)


class Topics:
    """Word stems (folded) matched as word prefixes, or inside a word when long enough.

    German builds compounds ("Stromverbrauch", "Trainingsdaten"): a stem of five or more
    letters also counts inside a word; shorter stems ("co2", "gpu", "bias") only at a word's
    start, so they do not hide in unrelated words.
    """

    INFIX_MIN = 5
    EXACT_MAX = 3  # "ci", "co2", "gpu": the word itself (or its plural), never a prefix

    def __init__(self, stems: Iterable[str]) -> None:
        folded = [" ".join(words(s)) for s in stems]
        self.phrases = frozenset(s for s in folded if " " in s)
        self.stems = frozenset(s for s in folded if s and " " not in s)
        self.exact = frozenset(s for s in self.stems if len(s) <= self.EXACT_MAX)
        self.lengths = sorted({len(s) for s in self.stems if len(s) > self.EXACT_MAX})

    def matches(self, token: str) -> bool:
        """True when one folded word holds one of the stems (phrases aside)."""
        return bool(self._token_hits(token))

    def _token_hits(self, token: str) -> set[str]:
        found: set[str] = set()
        if token in self.exact or (token.endswith("s") and token[:-1] in self.exact):
            found.add(token if token in self.exact else token[:-1])
            return found
        for size in self.lengths:
            if size > len(token):
                break
            if token[:size] in self.stems:
                found.add(token[:size])
            if size >= self.INFIX_MIN:
                for start in range(1, len(token) - size + 1):
                    if token[start : start + size] in self.stems:
                        found.add(token[start : start + size])
        return found

    def hits(self, tokens: Sequence[str]) -> frozenset[str]:
        """The stems and phrases that occur in ``tokens`` (folded words, in order)."""
        found: set[str] = set()
        if self.phrases:
            joined = f" {' '.join(tokens)} "
            found.update(p for p in self.phrases if f" {p}" in joined)
        for token in set(tokens):
            found |= self._token_hits(token)
        return frozenset(found)


def echo_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The content words of an aspect's title, description and questions."""
    out: set[str] = set()
    for text in texts:
        out.update(content_words(text))
    return frozenset(out)


def is_echo(text: str, vocabulary: frozenset[str]) -> bool:
    """True when ``text`` adds (almost) nothing to the aspect's own title and questions."""
    found = content_words(text)
    if not found:
        return False
    # a shared stem of five letters allows for inflection ("definiert" echoes "definieren")
    stems = {v[:5] for v in vocabulary if len(v) >= 5}
    novel = {w for w in found if w not in vocabulary and not (len(w) >= 5 and w[:5] in stems)}
    return len(novel) <= len(set(found)) // 7
