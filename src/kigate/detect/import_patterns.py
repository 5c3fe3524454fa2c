"""The import patterns of source code, built from the catalogue one language at a time.

Each pattern is an alternation of the packages the catalogue knows for its language, so the
regular-expression engine looks only for imports of AI packages. Building one costs a few
milliseconds; a run builds those of the languages it meets (a check that re-detects one
Python file never compiles the Java pattern).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from kigate.detect.catalogue import Catalogue
from kigate.detect.literals import trie


def alternation(words: Iterable[str]) -> bytes:
    """``words`` as one alternation. A trie: it tries the words that match at a place
    longest first, as a list sorted by length would, so a name is never cut short by one of
    its prefixes; and the engine tries one branch per next byte, not every name in turn."""
    encoded = [w.encode() for w in words]
    return trie(encoded) if any(encoded) else b""


class Patterns:
    """The patterns of one catalogue, each compiled when first asked for."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue

    @cached_property
    def python_modules(self) -> dict[str, str]:
        return self._catalogue.imports("pypi")

    @cached_property
    def jvm_packages(self) -> dict[str, str]:
        return self._catalogue.imports("maven")

    @cached_property
    def python(self) -> re.Pattern[bytes] | None:
        tops: set[str] = {m.split(".")[0] for m in self.python_modules}
        families: list[bytes] = []
        for rule in self._catalogue.rules("pypi"):
            tops.update(
                n.replace("-", "_") for n in rule.names if n.replace("-", "_").isidentifier()
            )
            for prefix in rule.prefixes:
                module = prefix.replace("-", "_")
                families.append(re.escape(module).encode() + rb"\w*")
        words = [alternation(tops), *families]
        if not any(words):
            return None
        names = b"|".join(w for w in words if w)
        return re.compile(
            rb"^[ \t]*(?:from[ \t]+((?:"
            + names
            + rb")(?:\.[\w.]+)?)[ \t]+import[ \t]+\(?[ \t]*([\w, \t]*)"
            rb"|import[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*((?:"
            + names
            + rb")(?:\.[\w.]+)?))"
            rb"(?![\w])",
            re.MULTILINE,
        )

    @cached_property
    def javascript(self) -> re.Pattern[bytes] | None:
        npm = self._catalogue.rules("npm")
        words = alternation(n for r in npm for n in r.names)
        prefixes = [re.escape(p).encode() + rb"[^'\"\s/]*" for r in npm for p in r.prefixes]
        names = b"|".join(w for w in (words, *prefixes) if w)
        if not names:
            return None
        return re.compile(rb"""(['"`])((?:""" + names + rb""")(?:/[^'"`\s]*)?)\1""")

    @cached_property
    def go(self) -> re.Pattern[bytes] | None:
        names = alternation(n for r in self._catalogue.rules("golang") for n in r.names)
        return re.compile(rb'"((?:' + names + rb')(?:/[^"\s]*)?)"') if names else None

    @cached_property
    def jvm(self) -> re.Pattern[bytes] | None:
        if not self.jvm_packages:
            return None
        return re.compile(
            rb"^[ \t]*import[ \t]+(?:static[ \t]+)?((?:"
            + alternation(self.jvm_packages)
            + rb")(?:\.[\w.*]+)?)",
            re.MULTILINE,
        )


def build(catalogue: Catalogue) -> Patterns:
    return Patterns(catalogue)
