"""``kigate scan``: the AI inventory of a repository, judged against nothing."""

from __future__ import annotations

import sys

import click

from kigate import config, engine, i18n
from kigate import policy as policy_mod
from kigate.cli._common import (
    EXIT_OK,
    handle_errors,
    lang_option,
    policy_option,
    project_dir,
    use_color,
)
from kigate.cli.check import write_text
from kigate.formats import SCAN_FORMAT_NAMES, RenderOptions, scan_renderer


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
@handle_errors
def scan(
    path: str, policy_ref: str | None, format_name: str, output: str | None, lang: str | None
) -> None:
    """List the AI components found in PATH (default: .), with evidence."""
    root = project_dir(path)
    settings = config.load(root)
    lang = i18n.detect_language(lang or settings.lang)
    policy = policy_mod.load(policy_ref or settings.policy)
    report = engine.inventory(root, policy, shown=path, excludes=settings.exclude)
    render = scan_renderer(format_name)
    if output:
        write_text(output, render(report, RenderOptions(lang=lang)))
    else:
        color = format_name == "text" and use_color()
        click.echo(render(report, RenderOptions(lang=lang, color=color)), nl=False)
    sys.exit(EXIT_OK)
