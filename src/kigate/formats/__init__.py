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


def _formats() -> dict[str, Renderer]:
    from kigate.formats import json, text

    return {
        "text": text.render,
        "json": json.render,
    }


def _scan_formats() -> dict[str, Renderer]:
    """Renderers of the AI inventory (``kigate scan``): they read components and repo only."""
    from kigate.formats import json, text

    return {
        "text": text.render_inventory,
        "json": json.render_inventory,
    }


# Names are listed here, not derived, so ``--help`` never imports a renderer.
FORMAT_NAMES: tuple[str, ...] = ("text", "json")
SCAN_FORMAT_NAMES: tuple[str, ...] = ("text", "json")


def renderer(name: str) -> Renderer:
    return _formats()[name]


def scan_renderer(name: str) -> Renderer:
    return _scan_formats()[name]
