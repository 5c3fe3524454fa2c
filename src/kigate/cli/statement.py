"""``kigate statement``: the manifest as a public AI values statement, and a README badge."""

from __future__ import annotations

import sys

import click

from kigate import i18n
from kigate.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
    write_text,
)


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(("markdown", "html")),
    default="markdown",
    help="Markdown for a docs page or README, or one self-contained HTML page.",
)
@click.option("--output", metavar="FILE", default=None, help="Write to FILE instead of stdout.")
@click.option(
    "--draft",
    is_flag=True,
    help="Render even while aspects are unanswered; the page says it is a draft.",
)
@click.option("--badge", metavar="FILE", default=None, help="Also write an SVG badge to FILE.")
@policy_option
@lang_option
@handle_errors
def statement(
    path: str,
    format_name: str,
    output: str | None,
    draft: bool,
    badge: str | None,
    policy_ref: str | None,
    lang: str | None,
) -> None:
    """Render PATH's ai-values.toml as a public AI values statement.

    Exit codes: 0 written; 1 an aspect is not answered yet (nothing is written; --draft
    renders a marked draft instead); 2 usage error (no or unreadable manifest, bad option).
    """
    from kigate.statement import badge as badge_mod
    from kigate.statement import html, markdown
    from kigate.statement.model import build

    project = open_project(path, policy_ref, lang)
    lang = project.lang
    result = build(project.root, project.policy, project.settings.exclude)
    if result.missing and not draft:
        click.echo(
            "kigate: "
            + i18n.t(
                "statement.refused." + ("one" if len(result.missing) == 1 else "other"),
                n=len(result.missing),
                total=len(result.aspects),
                aspects=", ".join(a.id for a in result.missing),
                manifest=result.manifest_path,
            )(lang),
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    is_draft = draft and bool(result.missing)
    render = html.render if format_name == "html" else markdown.render
    text = render(result, lang, is_draft)
    if badge:
        write_text(badge, badge_mod.render(result, lang))
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_OK)
