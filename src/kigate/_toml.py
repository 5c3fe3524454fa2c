"""tomllib on 3.11+, tomli before; ``loads`` with kigate's shape budgets checked first."""

from __future__ import annotations

from typing import Any

from kigate import budget
from kigate._tomllib import tomllib
from kigate.model import Text

__all__ = ["TooComplex", "loads", "tomllib"]


class TooComplex(tomllib.TOMLDecodeError):  # type: ignore[misc,unused-ignore]
    """A TOML document beyond a shape budget (``budget.py``). A TOMLDecodeError, so every
    caller that reports invalid TOML reports this too; ``text`` is the sentence in de/en."""

    def __init__(self, text: Text, line: int = 1) -> None:
        super().__init__(text.en)
        self.text = text
        self.lineno = line


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads`` for text kigate did not write: depth, dotted keys, key count and
    number sizes are checked before parsing, integer ranges after (TooComplex). A large
    text that passed before (a policy, a signal catalogue) comes from the memo."""
    known = tomllib.recall(text, "checked")
    if known is not None:
        return known
    try:
        budget.check_toml(text)
        doc: dict[str, Any] = tomllib.parse(text)
        budget.check_values(doc)
    except budget.Exceeded as exc:
        raise TooComplex(exc.text, exc.line) from None
    except RecursionError:  # pragma: no cover - the depth budget stops it first
        from kigate import i18n

        raise TooComplex(i18n.t("budget.depth", line=1, limit=budget.MAX_DEPTH)) from None
    tomllib.keep(text, doc, "checked")
    return doc
