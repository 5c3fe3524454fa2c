"""``kigate history``: coverage over time from the database ``kigate aggregate --db`` fills."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kigate import i18n
from kigate.cli._common import EXIT_OK, handle_errors, lang_option, write_outputs


@click.command()
@click.option(
    "--db", "db", metavar="PATH|URL", required=True,
    help="The history: an SQLite file or a postgresql:// URL.",
)  # fmt: skip
@click.option(
    "--format", "format_name", type=click.Choice(("text", "csv")), default="text",
    help="Text for people, CSV for spreadsheets.",
)  # fmt: skip
@click.option("--output", metavar="FILE", default=None, help="Write to FILE instead of stdout.")
@lang_option
@handle_errors
def history(db: str, format_name: str, output: str | None, lang: str | None) -> None:
    """Show aspect coverage over time, per repository and for the organisation."""
    from kigate.aggregate import history as history_mod
    from kigate.aggregate import store

    lang = i18n.detect_language(lang)
    points = store.points(db if store.is_url(db) else Path(db))

    def render(name: str, _color: bool) -> str:
        if name == "csv":
            return history_mod.render_csv(points)
        return history_mod.render_text(points, lang)

    write_outputs(render, (format_name,), (output,) if output else (), "text")
    sys.exit(EXIT_OK)
