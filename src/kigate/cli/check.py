"""``kigate check``: the gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kigate import config, engine, i18n
from kigate import policy as policy_mod
from kigate.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    cache_option,
    handle_errors,
    lang_option,
    policy_option,
    print_notes,
    project_dir,
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
@lang_option
@cache_option
@handle_errors
def check(
    path: str,
    policy_ref: str | None,
    fail_on: str | None,
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    lang: str | None,
    no_cache: bool,
) -> None:
    """Check PATH (default: .) for AI components and its ai-values.toml manifest."""
    root = project_dir(path)
    settings = config.load(root)
    lang = i18n.detect_language(lang or settings.lang)
    policy = policy_mod.load(policy_ref or settings.policy)
    notes: list[Text] = []
    report = engine.check(
        root, policy, shown=path, excludes=settings.exclude, cache=not no_cache, notes=notes
    )
    write_outputs(report, formats, outputs, lang)
    print_notes(notes, lang)
    sys.exit(EXIT_FINDINGS if report.fails(fail_on or settings.fail_on) else EXIT_OK)
