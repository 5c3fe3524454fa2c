"""``kigate sign``: the accountable owner signs the manifest (or a waiver) with an SSH key."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kigate import i18n, terminal
from kigate.cli._common import EXIT_OK, handle_errors, lang_option, open_project, policy_option
from kigate.signoff.sign import sign as sign_manifest


@click.command()
@click.argument("path", default=".", type=click.Path())
@click.option(
    "--key",
    "key_file",
    required=True,
    metavar="SSH_KEY_FILE",
    type=click.Path(dir_okay=False),
    help="Private key (or public key held by ssh-agent), as for git's SSH signing.",
)
@click.option(
    "--waiver", "waiver_rule", metavar="RULE", help="Sign the manifest's waivers for RULE instead."
)
@policy_option
@lang_option
@handle_errors
def sign(
    path: str, key_file: str, waiver_rule: str | None, policy_ref: str | None, lang: str | None
) -> None:
    """Sign the manifest in PATH: a record in .kigate/approvals/, nothing else is written."""
    project = open_project(path, policy_ref, lang)
    done = sign_manifest(
        project.root, project.policy.manifest_name, project.policy, Path(key_file), waiver_rule
    )
    for item in done:
        subject = item.subject.path if item.subject.kind == "manifest" else "waiver"
        text = i18n.t(
            "binding.signed",
            file=str(item.file),
            subject=subject,
            key=item.fingerprint,
            date=item.signed_at,
        )
        click.echo(terminal.safe(text(project.lang), one_line=True))
    sys.exit(EXIT_OK)
