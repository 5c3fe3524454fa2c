"""``kigate explain KGnnn``: what a rule means and how to mend it."""

from __future__ import annotations

import sys

import click

from kigate import i18n, rules
from kigate.cli._common import EXIT_OK, handle_errors, lang_option
from kigate.errors import UsageError


def explanation(rule: rules.Rule, lang: str) -> str:
    label = i18n.t("explain.default")(lang)
    severity = i18n.t(f"severity.{rule.severity.value}")(lang)
    return (
        f"{rule.id} ({rule.name}) — {rule.title(lang)}\n"
        f"{label}: {severity}\n\n"
        f"{i18n.t('explain.why')(lang)}\n{rule.why(lang)}\n\n"
        f"{i18n.t('explain.fix')(lang)}\n{rule.fix(lang)}\n"
    )


@click.command()
@click.argument("rule_id", required=False)
@lang_option
@handle_errors
def explain(rule_id: str | None, lang: str | None) -> None:
    """Explain rule RULE_ID (such as KG110), or list all rules."""
    lang = i18n.detect_language(lang)
    if rule_id is None:
        # The severity in the words ``check`` uses for it, in the chosen language.
        words = {r.id: i18n.t(f"severity.{r.severity.value}")(lang) for r in rules.RULES.values()}
        listing = [f"{r.id}  {words[r.id]:<7}  {r.title(lang)}\n" for r in rules.RULES.values()]
        click.echo("".join(listing), nl=False)
    else:
        found = rules.get(rule_id)
        if found is None:
            known = ", ".join(rules.RULES)
            raise UsageError(i18n.t("cli.unknown_rule", rule=rule_id, known=known))
        click.echo(explanation(found, lang), nl=False)
    sys.exit(EXIT_OK)
