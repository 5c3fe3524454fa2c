"""The interface of every output format, and the one list of formats kigate offers.

A format is a module in this package with a function ``render(report, options) -> str``
(a ``Renderer``): it reads a finished ``Report`` and returns the whole output. It never
imports detection or git and never decides where its output goes; the CLI does.
"""

from __future__ import annotations

import importlib
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


@dataclass(frozen=True)
class Format:
    """One entry of ``FORMATS``.

    ``check`` and ``inventory`` name the module's renderer of a check report and of the AI
    inventory (``kigate scan``); None when the format does not offer that view. A format
    ``for_people`` may be coloured on a terminal and ends with the summary line itself, so
    the CLI prints the summary to stderr only when no such format goes to stdout.
    """

    name: str
    module: str
    check: str | None = "render"
    inventory: str | None = None
    for_people: bool = False

    def load(self, attribute: str) -> Renderer:
        render: Renderer = getattr(importlib.import_module(self.module), attribute)
        return render


# The one list: names and modules only, so ``--help`` never imports a renderer.
FORMATS: tuple[Format, ...] = (
    Format("text", "kigate.formats.text", inventory="render_inventory", for_people=True),
    Format("json", "kigate.formats.json", inventory="render_inventory"),
    Format("sarif", "kigate.formats.sarif"),
    Format("junit", "kigate.formats.junit"),
    Format("markdown", "kigate.formats.markdown"),
    Format("github", "kigate.formats.github"),
    Format("cyclonedx", "kigate.formats.cyclonedx", inventory="render"),
)
