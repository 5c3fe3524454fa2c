"""``kigate init``: write a manifest skeleton. The only command that writes into a repository."""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from kigate import engine, i18n, scaffold
from kigate.cli._common import EXIT_OK, handle_errors, lang_option, open_project, policy_option
from kigate.errors import UsageError
from kigate.worktree import WorkTree


@click.command()
@click.argument("path", default=".", type=click.Path())
@policy_option
@lang_option
@click.option("--force", is_flag=True, help="Overwrite an existing manifest.")
@handle_errors
def init(path: str, policy_ref: str | None, lang: str | None, force: bool) -> None:
    """Write an ai-values.toml skeleton for PATH with the detected AI components."""
    project = open_project(path, policy_ref, lang)
    root, lang, policy = project.root, project.lang, project.policy
    target = root / policy.manifest_name
    if (target.exists() or target.is_symlink()) and not force:
        raise UsageError(i18n.t("init.exists", path=str(target)))
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise UsageError(i18n.t("init.not_regular", path=str(target)))
    components = engine.scan(WorkTree(root, project.settings.exclude), policy).components
    text = scaffold.skeleton(policy, components, lang, dt.date.today())
    temporary = target.with_name(f".{target.name}.kigate-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UsageError(
            i18n.t("cli.cannot_write", path=str(target), reason=exc.strerror or str(exc))
        ) from None
    click.echo(i18n.plural(len(components), "ux.init_written", path=str(target))(lang))
    sys.exit(EXIT_OK)
