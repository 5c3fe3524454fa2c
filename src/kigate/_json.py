"""``json.loads`` for documents kigate did not write, with its shape budgets checked first."""

from __future__ import annotations

import json
import math
from typing import Any

from kigate import budget
from kigate.model import Text

__all__ = ["TooComplex", "loads"]


class TooComplex(json.JSONDecodeError):
    """A JSON document beyond a shape budget: a JSONDecodeError (so a ValueError), with
    ``text`` the sentence in de/en."""

    def __init__(self, text: Text, line: int = 1, kind: str = "depth") -> None:
        ValueError.__init__(self, text.en)
        self.msg = text.en
        self.doc = ""
        self.pos = 0
        self.lineno = line
        self.colno = 1
        self.text = text
        self.kind = kind


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def loads(text: str) -> Any:
    """Depth and number sizes checked before parsing; integers beyond 64 bits, floats
    beyond range refused (TooComplex), NaN/Infinity too (ValueError); JSONDecodeError as
    json raises it."""
    try:
        budget.check_json(text)
        doc = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
        budget.check_values(doc)
    except budget.Exceeded as exc:
        raise TooComplex(exc.text, exc.line, exc.kind) from None
    except RecursionError:  # pragma: no cover - the depth budget stops it first
        from kigate import i18n

        raise TooComplex(i18n.t("budget.depth", line=1, limit=budget.MAX_DEPTH)) from None
    return doc


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        from kigate import i18n

        raise budget.Exceeded(i18n.t("budget.not_finite", literal=literal))
    return value
