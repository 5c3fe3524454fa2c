"""``kigate install-hook``: copy a plain git hook into the repository, on request only."""

from __future__ import annotations

import os
import stat
import sys

import click

from kigate import git as repo
from kigate import i18n, shipped
from kigate.cli._common import EXIT_OK, handle_errors, lang_option, project_dir
from kigate.errors import UsageError

HOOKS = shipped.HOOKS


@click.command(name="install-hook")
@click.argument("hook", default="pre-commit")
@click.argument("path", default=".", type=click.Path(file_okay=False, dir_okay=True))
@click.option("--force", is_flag=True, help="Replace an existing hook of that name.")
@lang_option
@handle_errors
def install_hook(hook: str, path: str, force: bool, lang: str | None) -> None:
    """Install kigate's plain git HOOK (pre-commit or pre-push) into the repository at PATH.

    An existing hook is never replaced without --force.
    """
    lang = i18n.detect_language(lang)
    if hook not in HOOKS:
        raise UsageError(i18n.t("gates.install.unknown", name=hook, known=", ".join(HOOKS)))
    root = project_dir(path)
    try:
        target_dir = repo.hooks_dir(root)
    except repo.GitUnavailable:
        raise UsageError(i18n.t("gates.install.not_repo")) from None
    target = target_dir / hook
    if (target.exists() or target.is_symlink()) and not force:
        raise UsageError(i18n.t("gates.install.exists", path=str(target)))
    script = shipped.hook_script(hook)
    target_dir.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        target.unlink()
    target.write_bytes(script)
    mode = os.stat(target).st_mode
    os.chmod(target, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    click.echo(i18n.t("gates.install.written", path=str(target), hook=hook)(lang))
    sys.exit(EXIT_OK)
