"""One check of one repository: list files, detect, read manifests, apply the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kigate import __version__, detect, i18n, manifest
from kigate import cache as cache_mod
from kigate import policy as policy_mod
from kigate.checks import run_checks
from kigate.detect import catalogue
from kigate.errors import PolicyError
from kigate.model import Component, Finding, RepoInfo, Report, Severity, Text
from kigate.policy import Policy
from kigate.repo import Tree, WorkTree, repo_info


def find_manifests(tree: Tree, policy: Policy) -> list[manifest.Manifest]:
    name = policy.manifest_name
    paths = [p for p in tree.files() if p == name or p.endswith("/" + name)]
    return [manifest.parse(p, tree.read(p, manifest.MAX_BYTES + 1), policy) for p in paths]


def load_catalogue(policy: Policy) -> catalogue.Catalogue:
    source = Path(policy.source)
    here = source.parent if source.is_file() else None
    return catalogue.load(policy.signals, here)


def validate_policy(ref: str) -> list[policy_mod.Problem]:
    """Every problem of a policy file, and of the signal catalogues it names."""
    problems = policy_mod.validate(ref)
    if problems:
        return problems
    try:
        load_catalogue(policy_mod.load(ref))
    except PolicyError as exc:
        return [policy_mod.Problem(exc.path or ref, exc.line or 1, exc.text)]
    return []


def open_cache(tree: Tree, found: catalogue.Catalogue) -> cache_mod.Cache:
    """The repository's detection cache, namespaced by detector code and signal catalogue."""
    code = cache_mod.source_digest(Path(detect.__file__).parent)
    texts = cache_mod.source_digest(Path(i18n.__file__).parent / "locales", "*/*.toml")
    space = cache_mod.namespace(code, texts, [s.raw for s in found.signals])
    store = cache_mod.Cache(tree.root, space)
    store.load()
    return store


def scan(
    tree: Tree, policy: Policy, *, cache: bool = False, notes: list[Text] | None = None
) -> tuple[tuple[Component, ...], tuple[detect.DetectProblem, ...]]:
    """Detection; with ``cache``, unchanged files are answered from the user's cache
    directory (never from or into the repository), and what went wrong with it is a note."""
    found = load_catalogue(policy)
    store = open_cache(tree, found) if cache else None
    result = detect.detect(tree, found, cache=store)
    if store is not None:
        store.save()
        if notes is not None:
            notes.extend(store.notes)
    return result


def now_utc() -> str:
    return (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def _report(root: Path, tree: Tree, policy: Policy, shown: str | None, **parts: Any) -> Report:
    info = repo_info(tree.root, shown if shown is not None else str(root))
    return Report(
        tool_version=__version__,
        repo=RepoInfo(**info),
        policy_id=policy.id,
        policy_version=policy.version,
        generated_at=now_utc(),
        **parts,
    )


def inventory(
    root: Path,
    policy: Policy,
    *,
    shown: str | None = None,
    excludes: tuple[str, ...] | None = None,
    tree: Tree | None = None,
    cache: bool = False,
    notes: list[Text] | None = None,
) -> Report:
    """Detection only (``kigate scan``): components, and files that could not be examined."""
    if tree is None:
        tree = WorkTree(root) if excludes is None else WorkTree(root, excludes)
    components, problems = scan(tree, policy, cache=cache, notes=notes)
    findings = tuple(
        Finding("KG104", policy.severity("KG104") or Severity.WARNING, p.text, p.path, p.line)
        for p in problems
    )
    return _report(
        root,
        tree,
        policy,
        shown,
        components=components,
        manifests=(),
        aspects=(),
        findings=findings,
    )


def check(
    root: Path,
    policy: Policy,
    *,
    shown: str | None = None,
    today: dt.date | None = None,
    excludes: tuple[str, ...] | None = None,
    tree: Tree | None = None,
    mode: str = "worktree",
    cache: bool = False,
    notes: list[Text] | None = None,
) -> Report:
    """Check the repository (or project directory) at ``root`` against ``policy``."""
    if tree is None:
        tree = WorkTree(root) if excludes is None else WorkTree(root, excludes)
    today = today or dt.date.today()
    components, problems = scan(tree, policy, cache=cache, notes=notes)
    manifests = find_manifests(tree, policy)
    findings, summaries, aspects = run_checks(policy, components, manifests, tree, today, problems)
    return _report(
        root,
        tree,
        policy,
        shown,
        components=components,
        manifests=tuple(summaries),
        aspects=aspects,
        findings=tuple(findings),
        mode=mode,
    )
