"""``kigate init``: write a manifest skeleton. The only command that writes into a repository."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from kigate import engine, i18n, manifest_update, safeio, safewrite, scaffold
from kigate.cli._common import (
    EXIT_OK,
    Project,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
)
from kigate.errors import UsageError
from kigate.manifest import Manifest
from kigate.model import Component
from kigate.policy import Policy
from kigate.rules.base import covering
from kigate.tree import inside
from kigate.worktree import WorkTree


@click.command()
@click.argument("path", default=".", type=click.Path())
@policy_option
@lang_option
@click.option("--force", is_flag=True, help="Overwrite an existing manifest.")
@click.option(
    "--update",
    is_flag=True,
    help="Add newly detected components and missing aspects to the existing manifest; "
    "keep everything else byte for byte.",
)
@click.option("--dry-run", is_flag=True, help="With --update: print the change as a diff.")
@click.option(
    "--docs",
    is_flag=True,
    help="Also write one evidence template per aspect to docs/ai/ and link it from the manifest.",
)
@handle_errors
def init(
    path: str,
    policy_ref: str | None,
    lang: str | None,
    force: bool,
    update: bool = False,
    dry_run: bool = False,
    docs: bool = False,
) -> None:
    """Write an ai-values.toml skeleton for PATH with the detected AI components."""
    if update and force:
        raise UsageError(i18n.t("init.update_with_force"))
    if dry_run and not update:
        raise UsageError(i18n.t("init.dry_run_without_update"))
    project = open_project(path, policy_ref, lang)
    root, lang, policy = project.root, project.lang, project.policy
    target = root / policy.manifest_name
    exists = target.exists() or target.is_symlink()
    if update:
        if docs and not dry_run:
            _write_docs(root, target, True, policy, lang, force=False)
        _update(project, target, dry_run)
    if exists and not force and not docs:
        raise UsageError(i18n.t("init.exists", path=str(target)))
    if not exists or force:
        _write_skeleton(project, target, docs)
    if docs:
        _write_docs(root, target, exists and not force, policy, lang, force)
    sys.exit(EXIT_OK)


def _write_skeleton(project: Project, target: Path, docs: bool) -> None:
    root, lang, policy = project.root, project.lang, project.policy
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise UsageError(i18n.t("init.not_regular", path=str(target)))
    components = engine.scan(WorkTree(root, project.settings.exclude), policy).components
    text = scaffold.skeleton(policy, components, lang, dt.date.today(), docs=docs)
    if not inside(Path(os.path.realpath(root)), target.parent):
        raise UsageError(i18n.t("init.not_regular", path=str(target)))
    try:
        safeio.write_beside(target, text.encode("utf-8"))
    except safeio.Refused:
        raise UsageError(i18n.t("init.not_regular", path=str(target))) from None
    except OSError as exc:
        raise UsageError(
            i18n.t("cli.cannot_write", path=str(target), reason=exc.strerror or str(exc))
        ) from None
    click.echo(i18n.plural(len(components), "ux.init_written", path=str(target))(lang))


def _write_docs(
    root: Path, target: Path, kept_manifest: bool, policy: Policy, lang: str, force: bool
) -> None:
    """``init --docs``: every aspect's evidence template; existing ones kept unless forced."""
    try:
        written, kept = scaffold.write_docs(root, policy, lang, force)
    except safewrite.LinkRefused as exc:
        raise UsageError(i18n.t("binding.docs.link", path=str(exc.path))) from None
    except OSError as exc:
        folder = str(root / "docs" / "ai")
        reason = exc.strerror or str(exc)
        raise UsageError(i18n.t("cli.cannot_write", path=folder, reason=reason)) from None
    click.echo(i18n.t("binding.docs.written", n=len(written), kept=len(kept))(lang))
    if kept_manifest:
        click.echo(i18n.t("binding.docs.link_them", manifest=str(target))(lang))


def _update(project: Project, target: Path, dry_run: bool) -> NoReturn:
    """``init --update``: add what is missing; ``--dry-run`` prints the diff instead."""
    lang, policy = project.lang, project.policy
    tree = WorkTree(project.root, project.settings.exclude)
    components = engine.scan(tree, policy).components
    mine = _covered_by(target, project.root, components, engine.find_manifests(tree, policy))
    change = manifest_update.update(target, policy, mine, lang)
    if dry_run:
        click.echo(change.diff(), nl=False)
        sys.exit(EXIT_OK)
    if not change.changed:
        click.echo(i18n.t("init.update_nothing", path=str(target))(lang))
        sys.exit(EXIT_OK)
    _write_atomically(target, change.after)
    counts = {"components": len(change.components), "aspects": len(change.aspects)}
    click.echo(i18n.t("init.update_written", path=str(target), **counts)(lang))
    sys.exit(EXIT_OK)


def _covered_by(
    target: Path, root: Path, components: Sequence[Component], manifests: Sequence[Manifest]
) -> list[Component]:
    """The components whose nearest manifest is ``target`` (a monorepo's other manifests
    declare their own)."""
    name = target.relative_to(root).as_posix()
    return [
        comp
        for comp in components
        if any((found := covering(manifests, e.path)) and found.path == name for e in comp.evidence)
    ]


def _write_atomically(target: Path, text: str) -> None:
    """Write beside the target (same file system), then rename over it: never half a file."""
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if target.is_symlink():  # swapped for a link meanwhile: never write through it
            raise UsageError(i18n.t("init.update_symlink", path=str(target)))
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except OSError as exc:
        raise UsageError(
            i18n.t("cli.cannot_write", path=str(target), reason=exc.strerror or str(exc))
        ) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
