"""The one list of formats kigate offers (``FORMATS``), by module name.

Kept apart from ``base`` (the interface every format imports), so the list may name the
format modules without any of them importing it back; ``--help`` never imports a renderer.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from kigate.formats.base import Renderer


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
