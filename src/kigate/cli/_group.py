"""The ``kigate`` click group; its subcommands are imported only when they run."""

from __future__ import annotations

import importlib

import click

from kigate import __version__

# Every subcommand, in the order ``--help`` lists them: name -> (module, attribute).
# A command's module is imported only when that command runs (or --help lists it), so
# ``kigate check`` does not pay for the aggregation dashboard's imports.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("kigate.cli.check", "check"),
    "scan": ("kigate.cli.scan", "scan"),
    "init": ("kigate.cli.init", "init"),
    "explain": ("kigate.cli.explain", "explain"),
    "policy": ("kigate.cli.policy", "policy"),
    "schema": ("kigate.cli.schema", "schema"),
    "aggregate": ("kigate.cli.aggregate", "aggregate"),
    "history": ("kigate.cli.history", "history"),
    "install-hook": ("kigate.cli.install_hook", "install_hook"),
    "statement": ("kigate.cli.statement", "statement"),
    "sign": ("kigate.cli.sign", "sign"),
    "verify": ("kigate.cli.verify", "verify"),
    "frameworks": ("kigate.cli.frameworks", "frameworks_command"),
    "export": ("kigate.cli.export", "export_command"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        command = getattr(importlib.import_module(target[0]), target[1])
        if not isinstance(command, click.Command):  # pragma: no cover - a wiring bug
            raise TypeError(f"{target[0]}.{target[1]} is not a click command")
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kigate")
def cli() -> None:
    """kigate: AI components need an AI-values manifest (ai-values.toml).

    Detects AI in a repository and checks its manifest against the eight aspects of the
    Code of Conduct für Demokratische KI. Exit codes: 0 pass, 1 findings at or above
    --fail-on, 2 usage or configuration error, 3 internal error.
    """
