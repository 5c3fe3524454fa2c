"""Command line: thin click commands that parse, call the core, print and exit."""

from __future__ import annotations

from collections.abc import Sequence

import click

from kigate import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kigate")
def cli() -> None:
    """kigate: AI components need an AI-values manifest (ai-values.toml).

    Detects AI in a repository and checks its manifest against the eight aspects of the
    Code of Conduct für Demokratische KI. Exit codes: 0 pass, 1 findings at or above
    --fail-on, 2 usage or configuration error, 3 internal error.
    """


def _register() -> None:
    from kigate.cli import (
        aggregate,
        check,
        explain,
        history,
        init,
        install_hook,
        policy,
        scan,
        schema,
    )

    for command in (
        check.check,
        scan.scan,
        init.init,
        explain.explain,
        policy.policy,
        schema.schema,
        aggregate.aggregate,
        history.history,
        install_hook.install_hook,
    ):
        cli.add_command(command)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="kigate")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
