"""``kigate policy show|validate``."""

from __future__ import annotations

import sys

import click

from kigate import i18n
from kigate import policy as policy_mod
from kigate.cli._common import EXIT_FINDINGS, EXIT_OK, handle_errors, lang_option
from kigate.model import Scope
from kigate.rules import RULES

_FRAMEWORK_NAMES = {
    "eu_ai_act": "EU AI Act",
    "iso_42001": "ISO/IEC 42001",
    "nist_ai_rmf": "NIST AI RMF",
}


def describe(policy: policy_mod.Policy, lang: str) -> str:
    def t(key: str, **params: object) -> str:
        return i18n.t(f"policy_show.{key}", **params)(lang)

    lines = [
        f"{policy.title(lang)}",
        f"id {policy.id} · {t('version')} {policy.version} · {t('source')} "
        + " -> ".join(policy.chain),
        "",
        policy.description(lang),
        "",
        f"{t('manifest')}: {policy.manifest_name}",
        f"{t('review')}: {policy.review_max_days}",
        f"{t('system')}: {', '.join(policy.required_system)}",
        f"{t('placeholders')}: {', '.join(repr(p) for p in policy.placeholders)}",
        f"{t('markers')}: {', '.join(policy.placeholder_markers)}",
        f"{t('similarity')}: {policy.similarity_threshold}",
        f"{t('filler')}: {', '.join(policy.filler_words)}",
        f"{t('signals')}: {', '.join(policy.signals)}",
        "",
        t("severities"),
    ]
    for rule_id in RULES:
        product = policy.severity(rule_id, Scope.PRODUCT)
        dev = policy.severity(rule_id, Scope.DEVELOPMENT)
        shown = product.value if product else "off"
        if dev != product:
            shown += f" ({t('development')}: {dev.value if dev else 'off'})"
        lines.append(f"  {rule_id}  {shown}")
    lines += ["", t("aspects", n=len(policy.aspects))]
    for number, aspect in enumerate(policy.aspects, start=1):
        lines.append("")
        lines.append(f"{number}. {aspect.title(lang)}  [{aspect.id}]")
        lines.append(f"   {aspect.description(lang)}")
        if aspect.aliases:
            lines.append(f"   {t('aliases')}: {', '.join(aspect.aliases)}")
        lines.append(
            f"   {t('required')}: {', '.join(aspect.required)} · "
            f"{t('min_words')}: {aspect.min_words}"
        )
        for question in aspect.questions(lang):
            lines.append(f"   ? {question}")
        if aspect.terms_de:
            lines.append(f"   {t('terms')} (de): {', '.join(aspect.terms_de)}")
        if aspect.terms_en:
            lines.append(f"   {t('terms')} (en): {', '.join(aspect.terms_en)}")
        for key, refs in aspect.frameworks:
            lines.append(f"   {_FRAMEWORK_NAMES[key]}: {', '.join(refs)}")
    if policy.frameworks_note(lang):
        lines += ["", policy.frameworks_note(lang)]
    return "\n".join(lines) + "\n"


@click.group()
def policy() -> None:
    """Show or validate policies."""


@policy.command()
@click.argument("ref", required=False, metavar="[NAME|PATH]")
@lang_option
@handle_errors
def show(ref: str | None, lang: str | None) -> None:
    """Print the resolved policy (default: demokratische-ki)."""
    lang = i18n.detect_language(lang)
    click.echo(describe(policy_mod.load(ref), lang), nl=False)
    sys.exit(EXIT_OK)


@policy.command()
@click.argument("ref", metavar="NAME|PATH")
@lang_option
@handle_errors
def validate(ref: str, lang: str | None) -> None:
    """Report every problem in a policy file; exit 1 if there is any."""
    lang = i18n.detect_language(lang)
    from kigate import catalogues  # catalogues load only when a policy is validated

    problems = catalogues.validate_policy(ref)
    for p in problems:
        click.echo(f"{p.path}:{p.line}: {p.text(lang)}")
    if problems:
        click.echo(i18n.plural(len(problems), "policy_show.problems")(lang), err=True)
    else:
        click.echo(i18n.t("policy_show.valid", ref=ref)(lang))
    sys.exit(EXIT_FINDINGS if problems else EXIT_OK)
