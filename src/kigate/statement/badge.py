"""The README badge: ``AI values | 8/8 · reviewed 2026-09``, a small deterministic SVG.

Text widths come from a fixed per-character table (Verdana 11px, as shields.io badges
use), so the same manifest always gives the same bytes and no font is needed to build it.
"""

from __future__ import annotations

from html import escape

from kigate.statement import words
from kigate.statement.model import Statement

# Approximate advance widths of Verdana at 11px; anything else counts as a wide letter.
_NARROW = set("ijlI.,:;|!' ")
_WIDE = set("mwMW@%")
HEIGHT = 20


def text_width(text: str) -> int:
    width = 0.0
    for ch in text:
        if ch in _NARROW:
            width += 3.6
        elif ch in _WIDE:
            width += 10.0
        elif ch.isupper() or ch.isdigit():
            width += 7.4
        else:
            width += 6.6
    return round(width)


def render(statement: Statement, lang: str) -> str:
    label = words.t("statement.badge_label", lang)
    reviewed = (statement.last_reviewed or "–")[:7]
    value = words.t(
        "statement.badge_value",
        lang,
        covered=statement.covered,
        total=len(statement.aspects),
        reviewed=reviewed,
    )
    complete = statement.covered == len(statement.aspects)
    colour = "#1a7f37" if complete else "#9a6700"
    left, right = text_width(label) + 12, text_width(value) + 12
    width = left + right
    full = f"{label} · {value}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label="{escape(full)}">'
        f"<title>{escape(full)}</title>"
        f'<rect width="{left}" height="{HEIGHT}" rx="3" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" rx="3" fill="{colour}"/>'
        f'<rect x="{left}" width="4" height="{HEIGHT}" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" '
        f'text-anchor="middle">'
        f'<text x="{left / 2}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2}" y="14">{escape(value)}</text>'
        "</g></svg>\n"
    )
