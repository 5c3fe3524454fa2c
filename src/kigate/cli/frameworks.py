"""``kigate frameworks``: the policy's crosswalk to the EU AI Act, ISO/IEC 42001 and the NIST
AI RMF, with the state of the aspects that answer each reference."""

from __future__ import annotations

import sys

import click

from kigate import engine, frameworks, terminal
from kigate.cli._common import (
    EXIT_OK,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
    write_text,
)


@click.command(name="frameworks")
@click.argument("path", default=".", type=click.Path())
@policy_option
@click.option(
    "--format",
    "format_name",
    type=click.Choice(frameworks.FORMATS),
    default="text",
    help="Output format of the crosswalk.",
)
@click.option("--output", metavar="FILE", default=None, help="Write to FILE instead of stdout.")
@lang_option
@handle_errors
def frameworks_command(
    path: str, policy_ref: str | None, format_name: str, output: str | None, lang: str | None
) -> None:
    """Show per framework reference which aspects answer it in PATH, and how far."""
    project = open_project(path, policy_ref, lang)
    request = engine.CheckRequest(
        root=project.root,
        policy=project.policy,
        shown=path,
        excludes=project.settings.exclude,
        history=False,
    )
    report = engine.check(request).report
    walk = frameworks.build(project.policy, report.aspects)
    text = terminal.bidi_escaped(frameworks.RENDERERS[format_name](walk, project.lang))
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_OK)
