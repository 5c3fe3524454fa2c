"""``kigate check``: the gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kigate import config, engine, i18n
from kigate.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    cache_option,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
    print_notes,
    use_color,
)
from kigate.errors import UsageError
from kigate.formats import FORMAT_NAMES, RenderOptions, renderer
from kigate.formats.text import summary
from kigate.model import Report, Text


def write_text(target: str, text: str) -> None:
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            i18n.t("cli.cannot_write", path=target, reason=exc.strerror or str(exc))
        ) from None


def write_outputs(
    report: Report, formats: tuple[str, ...], outputs: tuple[str, ...], lang: str
) -> None:
    """Each --output pairs with the --format at the same position; the rest go to stdout."""
    if len(outputs) > len(formats):
        raise UsageError(i18n.t("cli.output_without_format"))
    names = formats or ("text",)
    to_stdout = names[len(outputs) :]
    if len(to_stdout) > 1:
        raise UsageError(i18n.t("cli.one_stdout", formats=", ".join(to_stdout)))
    for name, target in zip(names, outputs, strict=False):
        write_text(target, renderer(name)(report, RenderOptions(lang=lang, color=False)))
    for name in to_stdout:
        color = name == "text" and use_color()
        click.echo(renderer(name)(report, RenderOptions(lang=lang, color=color)), nl=False)
    if "text" not in to_stdout:
        click.echo(summary(report, lang), err=True)


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=True, dir_okay=True))
@policy_option
@click.option(
    "--fail-on",
    type=click.Choice(config.FAIL_ON),
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
    lang: str | None,
    no_cache: bool,
) -> None:
    """Check PATH (default: .) for AI components and its ai-values.toml manifest."""
    if new_only and base is None:
        raise UsageError(i18n.t("gates.new_only.needs_base"))
    project = open_project(path, policy_ref, lang)
    lang, settings = project.lang, project.settings
    notes: list[Text] = []
    report = engine.check(
        project.root,
        project.policy,
        shown=path,
        excludes=settings.exclude,
        mode="staged" if staged else "worktree",
        base=base,
        trailers=trailers,
        cache=not no_cache,
        notes=notes,
    )
    write_outputs(report, formats, outputs, lang)
    print_notes(notes, lang)
    threshold = fail_on or settings.fail_on
    if new_only and fail_on is None and threshold == "error":
        # A change must not add gaps of its own, warnings included (KG140: new AI that the
        # manifest does not name); an explicit --fail-on still wins.
        threshold = "warning"
    failed = report.fails(threshold, new_only=new_only)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)
