"""``kigate init``: write a manifest skeleton. The only command that writes into a repository."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from kigate import engine, i18n, safewrite, scaffold
from kigate.cli._common import EXIT_OK, handle_errors, lang_option, open_project, policy_option
from kigate.errors import UsageError
from kigate.policy import Policy
from kigate.worktree import WorkTree


@click.command()
@click.argument("path", default=".", type=click.Path())
@policy_option
@lang_option
@click.option("--force", is_flag=True, help="Overwrite an existing manifest (and templates).")
@click.option(
    "--docs",
    is_flag=True,
    help="Also write one evidence template per aspect to docs/ai/ and link it from the manifest.",
)
@handle_errors
def init(path: str, policy_ref: str | None, lang: str | None, force: bool, docs: bool) -> None:
    """Write an ai-values.toml skeleton for PATH with the detected AI components."""
    project = open_project(path, policy_ref, lang)
    root, lang, policy = project.root, project.lang, project.policy
    target = root / policy.manifest_name
    exists = target.exists() or target.is_symlink()
    if exists and not force and not docs:
        raise UsageError(i18n.t("init.exists", path=str(target)))
    if not exists or force:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise UsageError(i18n.t("init.not_regular", path=str(target)))
        components = engine.scan(WorkTree(root, project.settings.exclude), policy).components
        text = scaffold.skeleton(policy, components, lang, dt.date.today(), docs=docs)
        _write_manifest(target, text)
        click.echo(i18n.plural(len(components), "ux.init_written", path=str(target))(lang))
    if docs:
        _write_docs(root, target, exists and not force, project.policy, lang, force)
    sys.exit(EXIT_OK)


def _write_manifest(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.kigate-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UsageError(
            i18n.t("cli.cannot_write", path=str(target), reason=exc.strerror or str(exc))
        ) from None


def _write_docs(
    root: Path, target: Path, kept_manifest: bool, policy: Policy, lang: str, force: bool
) -> None:
    try:
        written, kept = scaffold.write_docs(root, policy, lang, force)
    except safewrite.LinkRefused as exc:
        raise UsageError(i18n.t("binding.docs.link", path=str(exc.path))) from None
    except OSError as exc:
        folder = str(root / "docs" / "ai")
        reason = exc.strerror or str(exc)
        raise UsageError(i18n.t("cli.cannot_write", path=folder, reason=reason)) from None
    say = click.echo
    say(i18n.t("binding.docs.written", n=len(written), kept=len(kept))(lang))
    if kept_manifest:
        say(i18n.t("binding.docs.link_them", manifest=str(target))(lang))
