"""``kigate export``: the evidence bundle of a release, optionally signed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kigate import engine, export, git, gitchecks, i18n, terminal
from kigate.cli._common import (
    EXIT_OK,
    handle_errors,
    lang_option,
    open_project,
    policy_option,
    write_text,
)
from kigate.errors import UsageError
from kigate.formats import RenderOptions, renderer
from kigate.signoff import canonical, keygen
from kigate.signoff import report as signoff_report
from kigate.worktree import WorkTree


@click.command()
@click.argument("path", default=".", type=click.Path())
@click.option("--output", metavar="FILE", default=None, help="Write to FILE instead of stdout.")
@click.option(
    "--sign",
    "key_file",
    metavar="SSH_KEY_FILE",
    default=None,
    help="Also sign the bundle: FILE.sig beside --output (namespace kigate-export@v1).",
)
@click.option("--base", metavar="REF", default=None, help="Compare with REF as kigate check does.")
@click.option(
    "--allowed-signers",
    "allowed",
    metavar="FILE",
    default=None,
    help="Verify sign-offs against FILE (outside the repository) instead of the policy's.",
)
@policy_option
@lang_option
@handle_errors
def export_command(
    path: str,
    output: str | None,
    key_file: str | None,
    base: str | None,
    allowed: str | None,
    policy_ref: str | None,
    lang: str | None,
) -> None:
    """Write the evidence bundle of PATH: manifests, report, sign-offs, evidence hashes."""
    if key_file is not None and output is None:
        raise UsageError(i18n.t("binding.export.sign_needs_output"))
    project = open_project(path, policy_ref, lang)
    root, policy, excludes = project.root, project.policy, project.settings.exclude
    tree = WorkTree(root, excludes)
    request = engine.CheckRequest(
        root=root, policy=policy, shown=path, excludes=excludes, tree=tree, base=base
    )
    report = engine.check(request).report
    manifests = engine.find_manifests(tree, policy)
    judged, trusted = None, None
    if allowed is not None or policy.allowed_signers or policy.allowed_signers_in_base:
        base_tree = None
        if base is not None:
            merge_base = gitchecks.resolve_base(root, base).merge_base
            base_tree = git.CommitTree(root, merge_base, excludes)
        source = signoff_report.trusted_source(policy, root, allowed, base_tree, base)
        judged = signoff_report.verify_all(policy, manifests, tree, root, source)
        trusted = source.origin
    rendered = renderer("json")(report, RenderOptions(lang=project.lang, color=False))
    document = export.bundle(json.loads(rendered), manifests, tree, judged, trusted)
    text = terminal.bidi_escaped(export.render(document))  # JSON reads the escapes back
    if output is None:
        click.echo(text, nl=False)
        sys.exit(EXIT_OK)
    write_text(output, text)
    if key_file is not None:
        data = Path(output).read_bytes()
        signature = keygen.sign(Path(key_file), canonical.EXPORT_NAMESPACE, data)
        write_text(output + ".sig", signature)
    sys.exit(EXIT_OK)
