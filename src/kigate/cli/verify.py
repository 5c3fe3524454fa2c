"""``kigate verify``: who signed each manifest and waiver, and whether that still holds."""

from __future__ import annotations

import sys

import click

from kigate import engine, git, gitchecks, i18n
from kigate.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
)
from kigate.errors import UsageError
from kigate.signoff import report
from kigate.worktree import WorkTree


@click.command()
@click.argument("path", default=".", type=click.Path())
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Read the policy's allowed_signers_in_base from the merge base with REF.",
)
@click.option(
    "--allowed-signers",
    "allowed",
    metavar="FILE",
    default=None,
    help="Verify against FILE (outside the repository) instead of the policy's signers.",
)
@policy_option
@lang_option
@handle_errors
def verify(
    path: str, base: str | None, allowed: str | None, policy_ref: str | None, lang: str | None
) -> None:
    """Verify the sign-offs in PATH; exit 1 unless every manifest and waiver is signed."""
    project = open_project(path, policy_ref, lang)
    root, policy, excludes = project.root, project.policy, project.settings.exclude
    base_tree = None
    if base is not None:
        merge_base = gitchecks.resolve_base(root, base).merge_base
        base_tree = git.CommitTree(root, merge_base, excludes)
    source = report.trusted_source(policy, root, allowed, base_tree, base)
    tree = WorkTree(root, excludes)
    manifests = engine.find_manifests(tree, policy)
    judged = report.verify_all(policy, manifests, tree, root, source)
    if not judged:
        raise UsageError(
            i18n.t("binding.verify.no_manifests", path=path, name=policy.manifest_name)
        )
    click.echo(report.render(judged, source.origin, project.lang), nl=False)
    sys.exit(EXIT_OK if report.all_ok(judged) else EXIT_FINDINGS)
