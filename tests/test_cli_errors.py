"""A bug ends with exit 3 and a short 'please report' line, never a traceback."""

from __future__ import annotations

import click
from click.testing import CliRunner

from kigate.cli._common import handle_errors


@click.command()
@handle_errors
def broken() -> None:
    raise RuntimeError("boom")


def test_unexpected_exception_is_exit_3_without_traceback() -> None:
    result = CliRunner().invoke(broken, [], env={"LANG": "C", "LC_ALL": ""})
    assert result.exit_code == 3
    assert result.output == (
        "kigate: internal error (RuntimeError: boom). This is a bug in kigate; please report it "
        "with the command you ran.\n"
    )
    assert "Traceback" not in result.output
