"""Aspects: every aspect the policy asks for is present and answered (KG110-KG113).

An aspect marked ``not_applicable`` is judged by its justification (KG113, or KG112 when the
justification says nothing); the other aspect rules skip it. Every finding here on an aspect
means the aspect is not answered (``uncovers``), whatever severity a policy gives it. Texts
in [system] and components' purposes are judged the same way (KG111, KG112).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from kigate import i18n
from kigate.manifest import AspectEntry, Manifest
from kigate.policy import AspectDef
from kigate.rules.base import Context, is_placeholder, word_count
from kigate.rules.wording import echo_vocabulary, is_echo, only_questions


def _answered(ctx: Context) -> Iterator[tuple[Manifest, AspectEntry, AspectDef]]:
    """Present aspects that claim an answer (any status but not_applicable)."""
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            if entry is not None and entry.status != "not_applicable":
                yield manifest, entry, aspect


def missing_aspects(ctx: Context) -> None:
    """KG110: an aspect the policy asks for is absent."""
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            if manifest.aspect(aspect.id) is None:
                ctx.add(
                    "KG110",
                    i18n.t(
                        "check.KG110",
                        aspect=aspect.id,
                        title=aspect.title.en,
                        title_de=aspect.title.de,
                    ),
                    path=manifest.path,
                    line=manifest.aspects_line,
                    aspect=aspect.id,
                    uncovers=True,
                )


def missing_fields(ctx: Context) -> None:
    """KG111: a required field of an aspect or of [system] is absent (or, in [system], a
    placeholder)."""
    for manifest, entry, aspect in _answered(ctx):
        for name in aspect.required:
            # a field given with a wrong value is reported once, by the parser (KG101)
            if not entry.has(name) and name not in entry.written:
                ctx.add(
                    "KG111",
                    i18n.t("check.KG111", aspect=aspect.id, field=name),
                    path=manifest.path,
                    line=entry.line,
                    aspect=aspect.id,
                    uncovers=True,
                )
            elif name in entry.written and not entry.has(name):
                ctx.unanswered.add((manifest.path, aspect.id))
    for manifest in ctx.valid_manifests:
        system = manifest.system
        for name in ctx.policy.required_system:
            if getattr(system, name) is None and name not in dict(system.field_lines):
                ctx.add(
                    "KG111",
                    i18n.t("check.KG111_system_missing", field=name),
                    path=manifest.path,
                    line=system.line,
                )


def min_words(aspect: AspectDef, name: str) -> int:
    """A justification says why an aspect does not apply: half the words of an answer do."""
    return max(1, aspect.min_words // 2) if name == "justification" else aspect.min_words


def answer_problem(
    text: str, aspect: AspectDef, ctx: Context, name: str = "statement"
) -> str | None:
    """The catalogue key saying why ``text`` (field ``name``) is no answer to ``aspect``;
    None if it is one: a placeholder, only questions, below the minimum words, an echo of the
    aspect's own title and questions, or nothing but those and the policy's filler words."""
    if is_placeholder(text, ctx.policy):
        return "check.KG112_placeholder"
    if only_questions(text):
        return "check.KG112_questions"
    if word_count(text) < min_words(aspect, name):
        return "check.KG112_short"
    if is_echo(text, _vocabulary(aspect)):
        return "check.KG112_echo"
    if is_echo(text, _vocabulary(aspect) | _filler(ctx.policy.filler_words)):
        return "check.KG112_generic"
    return None


@functools.cache
def _filler(filler_words: tuple[str, ...]) -> frozenset[str]:
    return echo_vocabulary(filler_words)


@functools.cache
def _vocabulary(aspect: AspectDef) -> frozenset[str]:
    return echo_vocabulary(
        (
            aspect.id.replace("_", " "),
            aspect.title.en,
            aspect.title.de,
            aspect.description.en,
            aspect.description.de,
            *aspect.questions_en,
            *aspect.questions_de,
        )
    )


def text_problems(entry: AspectEntry, aspect: AspectDef, ctx: Context) -> list[tuple[str, str]]:
    """(field, catalogue key) for every text of ``entry`` that is no answer: a statement
    that says nothing (``answer_problem``), a placeholder owner or measure (one per list)."""
    policy = ctx.policy
    found: list[tuple[str, str]] = []
    if entry.statement is not None:
        key = answer_problem(entry.statement, aspect, ctx)
        if key is not None:
            found.append(("statement", key))
    if any(is_placeholder(m, policy) for m in entry.measures):
        found.append(("measures", "check.KG112_placeholder"))
    if entry.owner is not None and is_placeholder(entry.owner, policy):
        found.append(("owner", "check.KG112_placeholder"))
    return found


def placeholder_texts(ctx: Context) -> None:
    """KG112: a text a person must answer is a placeholder or too short."""
    for manifest, entry, aspect in _answered(ctx):
        for name, key in text_problems(entry, aspect, ctx):
            words = word_count(entry.statement or "")
            ctx.add(
                "KG112",
                i18n.t(key, aspect=aspect.id, field=name, words=words, min=aspect.min_words),
                path=manifest.path,
                line=entry.line_of(name),
                aspect=aspect.id,
                uncovers=True,
            )
    for manifest in ctx.valid_manifests:
        _system_placeholders(ctx, manifest)


def _system_placeholders(ctx: Context, manifest: Manifest) -> None:
    """KG112 for [system] texts and component purposes a person still has to write."""
    system = manifest.system
    for name in ("name", "description", "owner", "risk_class"):
        value = getattr(system, name)
        if isinstance(value, str) and is_placeholder(value, ctx.policy):
            ctx.add(
                "KG112",
                i18n.t("check.KG112_system", field=name),
                path=manifest.path,
                line=system.line_of(name),
            )
    for comp in manifest.components:
        if comp.purpose is not None and is_placeholder(comp.purpose, ctx.policy):
            ctx.add(
                "KG112",
                i18n.t("check.KG112_purpose", component=comp.id),
                path=manifest.path,
                line=comp.purpose_line or comp.line,
                component=comp.id,
            )


def unjustified(ctx: Context) -> None:
    """KG113: ``not_applicable`` without a justification that says something."""
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            if entry is None or entry.status != "not_applicable":
                continue
            text = entry.justification
            key = None if text is None else answer_problem(text, aspect, ctx, "justification")
            if text is None or key == "check.KG112_placeholder":
                ctx.add(
                    "KG113",
                    i18n.t("check.KG113", aspect=aspect.id),
                    path=manifest.path,
                    line=entry.line_of("status"),
                    aspect=aspect.id,
                    uncovers=True,
                )
            elif key is not None:
                words = word_count(text)
                key = "check.KG112_short_field" if key == "check.KG112_short" else key
                ctx.add(
                    "KG112",
                    i18n.t(
                        key,
                        aspect=aspect.id,
                        field="justification",
                        words=words,
                        min=min_words(aspect, "justification"),
                    ),
                    path=manifest.path,
                    line=entry.line_of("justification"),
                    aspect=aspect.id,
                    uncovers=True,
                )
