"""``kigate scan``: the AI inventory of a repository, judged against nothing."""

from __future__ import annotations

import sys

import click

from kigate import engine
from kigate.cli._common import (
    EXIT_OK,
    cache_option,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
    print_notes,
    use_color,
)
from kigate.cli.check import write_text
from kigate.formats import SCAN_FORMAT_NAMES, RenderOptions, scan_renderer
from kigate.model import Text


@click.command()
@click.argument("path", default=".", type=click.Path())
@policy_option
@click.option(
    "--format",
    "format_name",
    type=click.Choice(SCAN_FORMAT_NAMES),
    default="text",
    help="Output format of the inventory.",
)
@click.option("--output", metavar="FILE", default=None, help="Write to FILE instead of stdout.")
@lang_option
@cache_option
@handle_errors
def scan(
    path: str,
    policy_ref: str | None,
    format_name: str,
    output: str | None,
    lang: str | None,
    no_cache: bool,
) -> None:
    """List the AI components found in PATH (default: .), with evidence."""
    project = open_project(path, policy_ref, lang)
    lang = project.lang
    notes: list[Text] = []
    report = engine.inventory(
        project.root,
        project.policy,
        shown=path,
        excludes=project.settings.exclude,
        cache=not no_cache,
        notes=notes,
    )
    render = scan_renderer(format_name)
    if output:
        write_text(output, render(report, RenderOptions(lang=lang)))
    else:
        color = format_name == "text" and use_color()
        click.echo(render(report, RenderOptions(lang=lang, color=color)), nl=False)
    print_notes(notes, lang)
    sys.exit(EXIT_OK)
