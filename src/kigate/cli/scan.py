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
    seen_from_cwd,
    write_outputs,
)
from kigate.formats import SCAN_FORMAT_NAMES, RenderOptions, format_named, scan_renderer


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
    request = engine.InventoryRequest(
        root=project.root,
        policy=project.policy,
        shown=path,
        excludes=project.settings.exclude,
        cache=not no_cache,
    )
    result = engine.inventory(request)
    lang = project.lang

    def render(name: str, color: bool) -> str:
        options = RenderOptions(lang=lang, color=color, where=seen_from_cwd(project.root))
        return scan_renderer(name)(result.report, options)

    outputs = (output,) if output else ()
    write_outputs(
        render, (format_name,), outputs, "text", colored=lambda n: format_named(n).for_people
    )
    print_notes(result.notes, lang)
    sys.exit(EXIT_OK)
