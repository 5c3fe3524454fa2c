"""The interface of every output format.

A format is a module in this package with a function ``render(report, options) -> str``
(a ``Renderer``): it reads a finished ``Report`` and returns the whole output. It never
imports detection or git and never decides where its output goes; the CLI does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kigate.model import Report

HOMEPAGE = "https://github.com/kigate/kigate"
# The README's rule table (when each rule fires), for people reading a report outside a terminal.
RULES_URI = f"{HOMEPAGE}/blob/main/README.md#rules"


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "en"
    color: bool = False


class Renderer(Protocol):
    """A report in, the whole output out; the same report always gives the same text."""

    def __call__(self, report: Report, options: RenderOptions, /) -> str: ...
