"""``kigate check``: the gate."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from kigate import engine
from kigate.cli._common import (
    cache_option,
    destinations,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
    print_notes,
    seen_from_cwd,
    write_outputs,
    write_text,
)
from kigate.config import FAIL_ON
from kigate.formats import FORMAT_NAMES, RenderOptions, format_named, renderer, summary
from kigate.gate import Gate


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@policy_option
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Lowest severity that fails the run (default: error).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMAT_NAMES),
    multiple=True,
    help="Output format; repeat for several (each pairs with an --output).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write the format at the same position to FILE instead of stdout.",
)
@click.option(
    "--staged",
    is_flag=True,
    help="Judge what the next commit contains (the git index), not the working tree.",
)
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Compare with REF (e.g. origin/main): mark which findings this change introduced.",
)
@click.option(
    "--new-only",
    is_flag=True,
    help="With --base: fail only on findings this change introduced (from warning up, "
    "unless --fail-on is given).",
)
@click.option(
    "--trailers",
    is_flag=True,
    help="Count AI assistants named in Co-authored-by/Assisted-by commit trailers.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print nothing when there is no finding (files named by --output are still written).",
)
@lang_option
@cache_option
@handle_errors
def check(
    path: str,
    policy_ref: str | None,
    fail_on: str | None,
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    staged: bool,
    base: str | None,
    new_only: bool,
    trailers: bool,
    quiet: bool,
    lang: str | None,
    no_cache: bool,
) -> None:
    """Check PATH (default: .) for AI components and its ai-values.toml manifest."""
    gate = Gate(fail_on=fail_on, new_only=new_only, base=base)
    project = open_project(path, policy_ref, lang)
    request = engine.CheckRequest(
        root=project.root,
        policy=project.policy,
        shown=path,
        excludes=project.settings.exclude,
        mode=engine.Mode.STAGED if staged else engine.Mode.WORKTREE,
        base=base,
        trailers=trailers,
        cache=not no_cache,
    )
    result = engine.check(request)
    lang = project.lang

    options = RenderOptions(
        lang=lang,
        where=seen_from_cwd(project.root),
        fail_on=gate.threshold(project.settings.fail_on),
        new_only=new_only,
    )

    def render(name: str, color: bool) -> str:
        return renderer(name)(result.report, replace(options, color=color))

    def for_people(name: str) -> bool:
        return format_named(name).for_people

    report = result.report
    if quiet and not (report.active_findings or report.unchecked):
        # Silent when clean, as pre-commit hooks are; a finding at any severity is shown.
        for name, target in destinations(formats, outputs, "text")[0]:
            write_text(target, render(name, False))
    else:
        shown = write_outputs(render, formats, outputs, "text", colored=for_people)
        if shown is None or not for_people(shown):
            click.echo(summary(report, lang), err=True)
    print_notes(result.notes, lang)
    sys.exit(gate.exit_code(result.report, project.settings.fail_on))
