"""Evidence documents ``kigate init --docs`` writes, and how to tell one still unedited.

A template is the aspect's title, description and guiding questions, each question followed by
a placeholder line, under a marker comment. Writing templates must not move any aspect forward,
so :func:`is_unedited_template` recognises one whatever its language or aspect: a document
that carries the marker (or matches a template without it) and holds nothing beyond headings,
the aspect's description and placeholder lines says nothing yet. Other checks of "evidence
that says nothing" call it too.
"""

from __future__ import annotations

import re
from functools import cache

from kigate import i18n
from kigate.policy import AspectDef, Policy

MARKER = "kigate-template"
FOLDER = "docs/ai"
MAX_TEMPLATE_BYTES = 256 * 1024  # a longer document was written by a person
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def path_of(aspect: AspectDef) -> str:
    return f"{FOLDER}/{aspect.id}.md"


def placeholder(lang: str) -> str:
    return i18n.t("binding.docs.placeholder")(lang)


def render(aspect: AspectDef, lang: str) -> str:
    """The template of ``aspect`` in ``lang`` (Markdown)."""
    note = i18n.t("binding.docs.marker_note")(lang)
    lines = [f"<!-- {MARKER}: {aspect.id} — {note} -->", f"# {aspect.title(lang)}", ""]
    if aspect.description(lang):
        lines += [aspect.description(lang), ""]
    for question in aspect.questions(lang):
        lines += [f"## {question}", "", placeholder(lang), ""]
    lines += [f"## {i18n.t('binding.docs.evidence_heading')(lang)}", "", placeholder(lang)]
    return "\n".join(lines) + "\n"


@cache
def _fixed_lines() -> frozenset[str]:
    """Lines a template brings with it in any language: its placeholder and own heading, and
    the titles and descriptions of every built-in policy's aspects."""
    from kigate import policy as policy_mod

    lines = {
        _normal(text(lang))
        for lang in i18n.LANGUAGES
        for text in (i18n.t("binding.docs.placeholder"), i18n.t("binding.docs.evidence_heading"))
    }
    for name in policy_mod.builtin_names():
        lines |= _aspect_lines(policy_mod.load(name))
    return frozenset(lines)


def _aspect_lines(policy: Policy) -> set[str]:
    return {
        _normal(text(lang))
        for aspect in policy.aspects
        for text in (aspect.title, aspect.description)
        for lang in i18n.LANGUAGES
    }


def _normal(line: str) -> str:
    return " ".join(line.split()).strip().casefold()


def _residue(text: str, policy: Policy | None) -> list[str]:
    """The lines of ``text`` a template does not bring with it."""
    known = set(_fixed_lines())
    if policy is not None:
        known |= _aspect_lines(policy)
    out = []
    for raw in _COMMENT.sub("", text).splitlines():
        line = _normal(raw)
        if not line or line.startswith("#") or line in known:
            continue
        out.append(line)
    return out


def is_unedited_template(data: bytes | str | None, policy: Policy | None = None) -> bool:
    """True when ``data`` is an evidence template nobody has answered yet.

    With the marker, any document holding only headings, descriptions (of ``policy``'s
    aspects) and placeholder lines is one; without it, only a document whose every line a
    template of ``policy`` would hold (the marker removed, nothing added)."""
    if data is None:
        return False
    if isinstance(data, bytes):
        if len(data) > MAX_TEMPLATE_BYTES:
            return False
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    if _residue(data, policy):
        return False
    if MARKER in data:
        return True
    return policy is not None and any(
        _normal(_COMMENT.sub("", data)) == _normal(_COMMENT.sub("", render(aspect, lang)))
        for aspect in policy.aspects
        for lang in i18n.LANGUAGES
    )
