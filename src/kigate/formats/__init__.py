"""Output formats: a finished Report in, a string out. The CLI decides where it goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kigate.model import Report


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "en"
    color: bool = False


Renderer = Callable[[Report, RenderOptions], str]

HOMEPAGE = "https://github.com/kigate/kigate"
# The README's rule table (when each rule fires), for people reading a report outside a terminal.
RULES_URI = f"{HOMEPAGE}/blob/main/README.md#rules"


def _formats() -> dict[str, Renderer]:
    from kigate.formats import cyclonedx, github, json, junit, markdown, sarif, text

    return {
        "text": text.render,
        "json": json.render,
        "sarif": sarif.render,
        "junit": junit.render,
        "markdown": markdown.render,
        "github": github.render,
        "cyclonedx": cyclonedx.render,
    }


def _scan_formats() -> dict[str, Renderer]:
    """Renderers of the AI inventory (``kigate scan``): they read components and repo only."""
    from kigate.formats import cyclonedx, json, text

    return {
        "text": text.render_inventory,
        "json": json.render_inventory,
        "cyclonedx": cyclonedx.render,
    }


# Names are listed here, not derived, so ``--help`` never imports a renderer.
FORMAT_NAMES: tuple[str, ...] = (
    "text",
    "json",
    "sarif",
    "junit",
    "markdown",
    "github",
    "cyclonedx",
)
SCAN_FORMAT_NAMES: tuple[str, ...] = ("text", "json", "cyclonedx")


def _safe(render: Renderer) -> Renderer:
    """Every output can be written as UTF-8, even with a non-UTF-8 file name in the report."""
    from kigate.formats._text import scrub

    def safe(report: Report, options: RenderOptions) -> str:
        return scrub(render(report, options))

    return safe


def renderer(name: str) -> Renderer:
    return _safe(_formats()[name])


def scan_renderer(name: str) -> Renderer:
    return _safe(_scan_formats()[name])
