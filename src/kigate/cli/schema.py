"""``kigate schema report``: print a shipped JSON Schema."""

from __future__ import annotations

import sys

import click

from kigate import shipped
from kigate.cli._common import EXIT_OK, handle_errors

SCHEMAS = {
    "report": "report-v1.schema.json",
    "aggregate": "aggregate-v2.schema.json",
    "aggregate-v1": "aggregate-v1.schema.json",
    "export": "export-v1.schema.json",
}


def schema_text(name: str) -> str:
    return (shipped.package_folder("schemas") / SCHEMAS[name]).read_text(encoding="utf-8")


@click.command()
@click.argument("name", type=click.Choice(sorted(SCHEMAS)), default="report")
@handle_errors
def schema(name: str) -> None:
    """Print the JSON Schema of a kigate document (default: report)."""
    click.echo(schema_text(name), nl=False)
    sys.exit(EXIT_OK)
