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
    """``where``: the checked directory as seen from the reader's current directory
    (POSIX, "" for the same); formats a person reads show paths from there, as ruff and git
    do. Formats a machine reads (JSON, SARIF, annotations) keep repository paths."""

    lang: str = "en"
    color: bool = False
    where: str = ""
    # The gate's threshold, so a format that shows pass and fail (JUnit) agrees with the
    # exit code: the lowest failing severity (or "never"), and whether only new ones count.
    fail_on: str = "error"
    new_only: bool = False


class Renderer(Protocol):
    """A report in, the whole output out; the same report always gives the same text."""

    def __call__(self, report: Report, options: RenderOptions, /) -> str: ...
