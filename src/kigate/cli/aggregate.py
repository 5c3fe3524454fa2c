"""``kigate aggregate``: many repositories and JSON reports in one governance view."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kigate import i18n
from kigate import policy as policy_mod
from kigate.cli._common import (
    destinations,
    handle_errors,
    lang_option,
    policy_option,
    write_text,
)
from kigate.config import FAIL_ON
from kigate.gate import aggregate_exit_code

FORMATS = ("table", "csv", "json", "markdown", "html")  # kigate.aggregate.render.FORMAT_NAMES


def _progress(bars: list[Any]) -> Callable[[int], Callable[[], None] | None]:
    """A progress bar on a terminal's stderr, silence otherwise (CI logs, pipes)."""

    def start(total: int) -> Callable[[], None] | None:
        if total < 2 or not sys.stderr.isatty():
            return None
        bar = click.progressbar(length=total, file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return lambda: bar.update(1)

    return start


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--recursive", "-r", is_flag=True, help="Find git repositories below directories.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Repositories checked in parallel (default: the number of CPUs).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Output format; repeat for several (each pairs with an --output). Default: table.",
)
@click.option("--output", "outputs", multiple=True, metavar="FILE", help="Write to FILE.")
@click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    default=None,
    help="Store the run in this history: an SQLite file, or a postgresql:// URL shared by many "
    "pipelines (the dashboard then shows a trend).",
)
@click.option(
    "--inventory",
    metavar="FILE",
    default=None,
    help="Also write the component inventory (component, repository, scope) as CSV to FILE.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="never",
    help="Also exit 1 if any repository has findings at or above this severity.",
)
@policy_option
@lang_option
@handle_errors
def aggregate(
    sources: tuple[str, ...],
    recursive: bool,
    jobs: int | None,
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    db: str | None,
    inventory: str | None,
    fail_on: str,
    policy_ref: str | None,
    lang: str | None,
) -> None:
    """Aggregate repositories and JSON reports into one governance view.

    A SOURCE is a repository directory, a directory holding repositories (with --recursive),
    a JSON report of `kigate check --format json`, or @FILE listing such paths (one a line).
    Exit codes: 0 every source was read; 1 a source could not be read or checked (it is
    listed as an error row), or --fail-on was reached; 2 usage error (bad option, unusable
    database or output file).
    \f
    Longer than 60 lines only because it hands every option of the command to the core in
    one place; the work itself is in ``kigate.aggregate`` and ``kigate.gate``.
    """
    from kigate.aggregate import collect, history, render_html, store
    from kigate.aggregate.render import renderer
    from kigate.aggregate.render_csv import render_inventory
    from kigate.aggregate.text import clean, totals

    lang = i18n.detect_language(lang)
    destinations(formats, outputs, "table")  # a wrong pairing fails before any work
    if policy_ref is not None:
        policy_mod.load(policy_ref)  # a wrong --policy is a usage error before any work
    target: str | Path | None = None
    if db:
        target = db if store.is_url(db) else Path(db)
        with store.opened(target):
            pass  # fail early, before checking a whole organisation
    bars: list[Any] = []
    try:
        result = collect.collect(
            sources,
            recursive=recursive,
            jobs=jobs or os.cpu_count() or 1,
            policy_ref=policy_ref,
            lang=lang,
            progress=_progress(bars),
        )
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    trend: tuple[history.OrgPoint, ...] = ()
    if target is not None:
        store.save(target, result)
        population = frozenset(r.repository for r in result.counted)
        trend = history.organisation(store.points(target), population)
    if inventory:
        write_text(inventory, render_inventory(result, lang))
    to_files, to_stdout = destinations(formats, outputs, "table")
    for name, path in to_files:
        if name == "html":  # streamed: a large organisation's page is never held whole
            render_html.write(path, result, lang, trend)
        else:
            write_text(path, renderer(name)(result, lang, trend))
    if to_stdout is not None:
        click.echo(renderer(to_stdout)(result, lang, trend), nl=False)
    if to_stdout != "table":
        for error in result.errors:
            click.echo(f"kigate: {clean(error.source)}: {clean(error.reason(lang))}", err=True)
        click.echo(totals(result, lang), err=True)
    sys.exit(aggregate_exit_code(result, fail_on))
