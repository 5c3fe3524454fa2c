"""The statement as Markdown for a docs site or a README: manifest text is escaped, so it
can neither inject HTML nor change the page's structure."""

from __future__ import annotations

import html
import re

from kigate.statement import words
from kigate.statement.model import AspectLine, Statement

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^(#|>|[-+=]|\d+[.)])")


def text(value: object) -> str:
    """One paragraph of inert text: HTML escaped, the Markdown punctuation that could
    format, link or start a block backslashed."""
    flat = " ".join(str(value).split())
    escaped = _INLINE.sub(r"\\\1", html.escape(flat, quote=False))
    return _BLOCK_START.sub(r"\\\1", escaped)


def _aspect(aspect: AspectLine, lang: str) -> list[str]:
    t = words.t
    heading = f"### {text(aspect.title(lang))}: {words.status_word(aspect.status, lang)}"
    lines = ["", heading, ""]
    if aspect.answer:
        lines += [text(aspect.answer), ""]
    else:
        lines += [f"*{t('statement.no_answer', lang)}*", ""]
    if aspect.measures:
        lines.append(f"**{t('statement.measures', lang)}**")
        lines += ["", *(f"- {text(m)}" for m in aspect.measures), ""]
    details = []
    if aspect.evidence:
        details.append(
            f"{t('statement.evidence', lang)}: " + "; ".join(text(e) for e in aspect.evidence)
        )
    if aspect.due:
        details.append(f"{t('statement.due', lang)}: {aspect.due}")
    if aspect.owner:
        details.append(f"{t('statement.aspect_owner', lang)}: {text(aspect.owner)}")
    if details:
        lines += [f"- {d}" for d in details] + [""]
    return lines


def render(statement: Statement, lang: str, draft: bool) -> str:
    t = words.t
    lines = [f"# {text(words.title(statement, lang))}", ""]
    if draft:
        lines += [f"> **{t('statement.draft', lang)}**: {t('statement.draft_note', lang)}", ""]
    if statement.description:
        lines += [text(statement.description), ""]
    lines += [f"| {t('statement.fact', lang)} | |", "|---|---|"]
    lines += [f"| {label} | {text(value)} |" for label, value in words.facts(statement, lang)]
    lines += ["", f"## {t('statement.components_heading', lang)}", ""]
    if statement.components:
        for c in statement.components:
            line = f"- **{text(c.name)}** (`{c.id.replace('`', '')}`): "
            line += text(words.component_sentence(c, lang))
            if c.purpose:
                line += f". {t('statement.purpose', lang)}: {text(c.purpose)}"
            lines.append(line)
    else:
        lines.append(t("statement.no_components", lang))
    lines += ["", f"## {t('statement.aspects_heading', lang)}"]
    for aspect in statement.aspects:
        lines += _aspect(aspect, lang)
    lines += ["---", "", f"*{text(words.footer(statement, lang))}*"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
