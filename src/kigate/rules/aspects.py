"""Aspects: every aspect the policy asks for is present and answered (KG110-KG113).

An aspect marked ``not_applicable`` is judged only by its justification (KG113); the other
aspect rules skip it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kigate import i18n
from kigate.manifest import AspectEntry, Manifest
from kigate.policy import AspectDef
from kigate.rules.base import Context, is_placeholder, word_count


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
                )


def missing_fields(ctx: Context) -> None:
    """KG111: a required field of an aspect or of [system] is absent (or, in [system], a
    placeholder)."""
    for manifest, entry, aspect in _answered(ctx):
        for name in aspect.required:
            if not entry.has(name):
                ctx.add(
                    "KG111",
                    i18n.t("check.KG111", aspect=aspect.id, field=name),
                    path=manifest.path,
                    line=entry.line,
                    aspect=aspect.id,
                )
    for manifest in ctx.valid_manifests:
        system = manifest.system
        for name in ctx.policy.required_system:
            value = getattr(system, name)
            if value is None or (isinstance(value, str) and is_placeholder(value, ctx.policy)):
                ctx.add(
                    "KG111",
                    i18n.t("check.KG111_system", field=name),
                    path=manifest.path,
                    line=system.line,
                )


def text_problems(entry: AspectEntry, aspect: AspectDef, ctx: Context) -> list[tuple[str, str]]:
    """(field, catalogue key) for every text of ``entry`` that is no answer: a placeholder
    statement, owner or measure (one per list), or a statement below the minimum words."""
    policy = ctx.policy
    found: list[tuple[str, str]] = []
    if entry.statement is not None:
        if is_placeholder(entry.statement, policy):
            found.append(("statement", "check.KG112_placeholder"))
        elif word_count(entry.statement) < aspect.min_words:
            found.append(("statement", "check.KG112_short"))
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
            )


def unjustified(ctx: Context) -> None:
    """KG113: ``not_applicable`` without a justification that says something."""
    for manifest in ctx.valid_manifests:
        for aspect in ctx.policy.aspects:
            entry = manifest.aspect(aspect.id)
            if entry is None or entry.status != "not_applicable":
                continue
            if entry.justification is None or is_placeholder(entry.justification, ctx.policy):
                ctx.add(
                    "KG113",
                    i18n.t("check.KG113", aspect=aspect.id),
                    path=manifest.path,
                    line=entry.line_of("status"),
                    aspect=aspect.id,
                )
