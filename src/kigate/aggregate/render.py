"""The aggregate's output formats: an ``Aggregate`` in, a string out."""

from __future__ import annotations

from collections.abc import Callable

from kigate.aggregate.history import OrgPoint
from kigate.aggregate.model import Aggregate

Render = Callable[[Aggregate, str, tuple[OrgPoint, ...]], str]

# Listed, not derived, so ``--help`` imports no renderer (and never jinja2).
FORMAT_NAMES: tuple[str, ...] = ("table", "csv", "json", "markdown", "html")


def renderer(name: str) -> Render:
    from kigate.aggregate import render_csv, render_html, render_json, render_markdown, text

    plain: dict[str, Callable[[Aggregate, str], str]] = {
        "table": text.render,
        "csv": render_csv.render,
        "json": render_json.render,
        "markdown": render_markdown.render,
    }
    if name == "html":
        return render_html.render
    chosen = plain[name]
    return lambda aggregate, lang, _trend: chosen(aggregate, lang)
