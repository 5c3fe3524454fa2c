"""Output formats: a finished Report in, a string out. The CLI decides where it goes.

``registry.FORMATS`` lists every format; how to add one is in CONTRIBUTING.md.
"""

from __future__ import annotations

from kigate.formats._common import summary
from kigate.formats.base import HOMEPAGE, RULES_URI, Renderer, RenderOptions
from kigate.formats.registry import FORMATS, Format
from kigate.model import Report

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "HOMEPAGE",
    "RULES_URI",
    "SCAN_FORMAT_NAMES",
    "Format",
    "RenderOptions",
    "Renderer",
    "format_named",
    "renderer",
    "scan_renderer",
    "summary",
]

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS if f.check)
SCAN_FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS if f.inventory)


def format_named(name: str) -> Format:
    for entry in FORMATS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def _formats() -> dict[str, Renderer]:
    """Every check renderer, imported (for tests: each listed module really has it)."""
    return {f.name: f.load(f.check) for f in FORMATS if f.check}


def _scan_formats() -> dict[str, Renderer]:
    """Renderers of the AI inventory (``kigate scan``): they read components and repo only."""
    return {f.name: f.load(f.inventory) for f in FORMATS if f.inventory}


def _safe(render: Renderer) -> Renderer:
    """Every output can be written as UTF-8, even with a non-UTF-8 file name in the report."""
    from kigate.formats._text import scrub

    def safe(report: Report, options: RenderOptions, /) -> str:
        return scrub(render(report, options))

    return safe


def renderer(name: str) -> Renderer:
    entry = format_named(name)
    if entry.check is None:
        raise KeyError(name)
    return _safe(entry.load(entry.check))


def scan_renderer(name: str) -> Renderer:
    entry = format_named(name)
    if entry.inventory is None:
        raise KeyError(name)
    return _safe(entry.load(entry.inventory))
