"""The statement as one self-contained HTML page: inline CSS admitted by its hash, no
script, no external asset; every text from the manifest is escaped."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from kigate.statement import words
from kigate.statement.model import AspectLine, Statement

STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       max-width: 46rem; margin: 0 auto; padding: 1.5rem; background: #fff; }
h1 { font-size: 1.8rem; line-height: 1.25; margin-bottom: .4rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .3rem; }
.draft { border: 2px dashed #bf8700; background: #fff8c5; padding: .6rem .9rem;
         border-radius: 6px; }
.facts { border-collapse: collapse; margin: 1rem 0; }
.facts th, .facts td { text-align: left; vertical-align: top; padding: .25rem .8rem .25rem 0; }
.facts th { color: #57606a; font-weight: 500; }
.status { display: inline-block; font-size: .85rem; padding: 0 .45rem; border-radius: 3px;
          color: #fff; background: #57606a; vertical-align: middle; }
.st-implemented { background: #1a7f37; } .st-in_progress, .st-planned { background: #9a6700; }
.st-missing { background: #cf222e; } .st-not_applicable { background: #57606a; }
.answer, .measures, .components li, .facts td { overflow-wrap: anywhere; }
.meta { color: #57606a; font-size: .9rem; }
footer { margin-top: 2.5rem; color: #57606a; font-size: .85rem; border-top: 1px solid #d0d7de; }
@media print { body { max-width: none; } }
"""


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _aspect(aspect: AspectLine, lang: str) -> list[str]:
    t = words.t
    status = escape(words.status_word(aspect.status, lang))
    out = [
        f'<section class="aspect" id="aspect-{escape(aspect.id)}">',
        f'<h3>{escape(aspect.title(lang))} <span class="status st-{escape(aspect.status)}">'
        f"{status}</span></h3>",
        f'<p class="meta">{escape(aspect.description(lang))}</p>',
    ]
    if aspect.answer:
        out.append(f'<p class="answer">{escape(aspect.answer)}</p>')
    else:
        out.append(f'<p class="answer"><em>{escape(t("statement.no_answer", lang))}</em></p>')
    if aspect.measures:
        items = "".join(f"<li>{escape(str(m))}</li>" for m in aspect.measures)
        out.append(f"<p><strong>{escape(t('statement.measures', lang))}</strong></p>")
        out.append(f'<ul class="measures">{items}</ul>')
    details = []
    if aspect.evidence:
        evidence = "; ".join(escape(str(e)) for e in aspect.evidence)
        details.append(f"{escape(t('statement.evidence', lang))}: {evidence}")
    if aspect.due:
        details.append(f"{escape(t('statement.due', lang))}: {escape(aspect.due)}")
    if aspect.owner:
        details.append(f"{escape(t('statement.aspect_owner', lang))}: {escape(aspect.owner)}")
    if details:
        out.append('<ul class="meta">' + "".join(f"<li>{d}</li>" for d in details) + "</ul>")
    out.append("</section>")
    return out


def _components(statement: Statement, lang: str) -> list[str]:
    if not statement.components:
        return [f"<p>{escape(words.t('statement.no_components', lang))}</p>"]
    items = []
    for c in statement.components:
        line = f"<strong>{escape(c.name)}</strong> (<code>{escape(c.id)}</code>): "
        line += escape(words.component_sentence(c, lang))
        if c.purpose:
            line += f". {escape(words.t('statement.purpose', lang))}: {escape(c.purpose)}"
        items.append(f"<li>{line}</li>")
    return ['<ul class="components">', *items, "</ul>"]


def render(statement: Statement, lang: str, draft: bool) -> str:
    t = words.t
    title = escape(words.title(statement, lang))
    csp = f"default-src 'none'; style-src '{_hash(STYLE)}'; base-uri 'none'; form-action 'none'"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        f'<meta name="generator" content="kigate {escape(statement.tool_version)}">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{title}</h1>",
    ]
    if draft:
        out.append(
            f'<p class="draft" id="draft"><strong>{escape(t("statement.draft", lang))}</strong>: '
            f"{escape(t('statement.draft_note', lang))}</p>"
        )
    if statement.description:
        out.append(f'<p class="lead">{escape(statement.description)}</p>')
    rows = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in words.facts(statement, lang)
    )
    out.append(f'<table class="facts" id="facts">{rows}</table>')
    out.append(f"<h2>{escape(t('statement.components_heading', lang))}</h2>")
    out += _components(statement, lang)
    out.append(f"<h2>{escape(t('statement.aspects_heading', lang))}</h2>")
    for aspect in statement.aspects:
        out += _aspect(aspect, lang)
    out += ["</main>", f"<footer><p>{escape(words.footer(statement, lang))}</p></footer>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
