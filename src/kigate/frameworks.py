"""The framework crosswalk: per EU AI Act article, ISO/IEC 42001 clause and NIST AI RMF
function the policy maps, which aspects answer it and how far (covered, partial, missing).

The policy's ``frameworks`` tables are the single source; nothing here knows a clause. Renderers
are plain functions returning a string (text, Markdown, JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kigate import __version__, i18n
from kigate.formats.markdown import inline
from kigate.model import AspectResult, AspectStatus, Text
from kigate.policy import Policy
from kigate.schema import FRAMEWORKS

FORMAT_VERSION = 1
FORMATS = ("text", "markdown", "json")
_DONE = (AspectStatus.COVERED, AspectStatus.NOT_APPLICABLE)


@dataclass(frozen=True)
class Answer:
    aspect: str
    title: Text
    status: AspectStatus


@dataclass(frozen=True)
class Reference:
    ref: str  # as the policy writes it: "Art. 4", "7.2", "GOVERN 2.2"
    answers: tuple[Answer, ...]

    @property
    def state(self) -> str:
        """covered when every answering aspect is, missing when none is even begun."""
        if all(a.status in _DONE for a in self.answers):
            return "covered"
        if all(a.status is AspectStatus.MISSING for a in self.answers):
            return "missing"
        return "partial"


@dataclass(frozen=True)
class Framework:
    id: str
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Crosswalk:
    policy: Policy
    frameworks: tuple[Framework, ...]

    @property
    def disclaimer(self) -> Text:
        note = self.policy.frameworks_note
        return note if note.en else i18n.t("frameworks.disclaimer")


def _natural(ref: str) -> tuple[object, ...]:
    """Articles and clauses before annexes; "Art. 9" before "Art. 10(2)(f)"."""
    pieces = re.findall(r"\d+|\D+", ref)
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pieces)
    return (ref.startswith("Annex"), parts)


def build(policy: Policy, aspects: Sequence[AspectResult]) -> Crosswalk:
    """The crosswalk of ``policy`` with the aspect states of one check (``aspects``); an
    aspect the check did not report (no AI, no manifest) counts as missing."""
    status = {a.id: a.status for a in aspects}
    frameworks = []
    for name in FRAMEWORKS:
        refs: dict[str, list[Answer]] = {}
        for aspect in policy.aspects:
            for ref in dict(aspect.frameworks).get(name, ()):
                answer = Answer(
                    aspect.id, aspect.title, status.get(aspect.id, AspectStatus.MISSING)
                )
                refs.setdefault(ref, []).append(answer)
        if refs:
            ordered = sorted(refs, key=_natural)
            frameworks.append(Framework(name, tuple(Reference(r, tuple(refs[r])) for r in ordered)))
    return Crosswalk(policy, tuple(frameworks))


def _t(key: str, lang: str, /, **params: object) -> str:
    return i18n.t(f"frameworks.{key}", **params)(lang)


def _status(status: AspectStatus, lang: str) -> str:
    return _t(f"status.{status.value}", lang)


def render_text(walk: Crosswalk, lang: str) -> str:
    lines = [_t("header", lang, policy=walk.policy.title(lang)), walk.disclaimer(lang)]
    for framework in walk.frameworks:
        lines += ["", _t(f"name.{framework.id}", lang)]
        width = max(len(r.ref) for r in framework.references)
        for ref in framework.references:
            answers = "; ".join(
                f"{a.title(lang)} [{a.aspect}]: {_status(a.status, lang)}" for a in ref.answers
            )
            state = _t(f"state.{ref.state}", lang)
            lines.append(f"  {ref.ref:<{width}}  {state:<9}  {answers}")
    if not walk.frameworks:
        lines += ["", _t("none", lang)]
    return "\n".join(lines) + "\n"


def render_markdown(walk: Crosswalk, lang: str) -> str:
    lines = [f"## {inline(_t('header', lang, policy=walk.policy.title(lang)))}", ""]
    lines += [f"> {inline(walk.disclaimer(lang))}"]
    head = (
        f"| {_t('column.ref', lang)} | {_t('column.state', lang)} | {_t('column.aspects', lang)} |"
    )
    for framework in walk.frameworks:
        lines += ["", f"### {inline(_t(f'name.{framework.id}', lang))}", "", head, "|---|---|---|"]
        for ref in framework.references:
            answers = ", ".join(
                f"{inline(a.title(lang))} ({_status(a.status, lang)})" for a in ref.answers
            )
            lines.append(f"| {inline(ref.ref)} | {_t(f'state.{ref.state}', lang)} | {answers} |")
    if not walk.frameworks:
        lines += ["", inline(_t("none", lang))]
    return "\n".join(lines) + "\n"


def render_json(walk: Crosswalk, lang: str) -> str:
    doc = {
        "format": "kigate-frameworks",
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "lang": lang,
        "policy": {"id": walk.policy.id, "version": walk.policy.version},
        "disclaimer": walk.disclaimer(lang),
        "frameworks": [
            {
                "id": framework.id,
                "title": _t(f"name.{framework.id}", lang),
                "references": [
                    {
                        "ref": ref.ref,
                        "state": ref.state,
                        "aspects": [
                            {"id": a.aspect, "title": a.title(lang), "status": a.status.value}
                            for a in ref.answers
                        ],
                    }
                    for ref in framework.references
                ],
            }
            for framework in walk.frameworks
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
