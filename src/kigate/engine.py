"""One check of one repository: list files, detect, read manifests, apply the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from kigate import __version__, detect, git, gitchecks, i18n, manifest
from kigate import cache as cache_mod
from kigate import policy as policy_mod
from kigate.detect import catalogue
from kigate.errors import PolicyError, RepoError
from kigate.git.info import repo_info
from kigate.model import (
    AspectResult,
    Component,
    Finding,
    ManifestSummary,
    RepoInfo,
    Report,
    Text,
    Unchecked,
)
from kigate.policy import Policy
from kigate.rules import history as history_rules
from kigate.rules.run import inventory_findings, run_checks
from kigate.tree import DEFAULT_EXCLUDES, Tree
from kigate.worktree import WorkTree


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
    dirty = parts.get("mode", "worktree") != "staged"
    info = repo_info(tree.root, shown if shown is not None else str(root), dirty)
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
    findings = tuple(inventory_findings(policy, problems, dt.date.today()))
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
    base: str | None = None,
    history: bool = True,
    trailers: bool = False,
    cache: bool = False,
    notes: list[Text] | None = None,
) -> Report:
    """Check the repository (or project directory) at ``root`` against ``policy``.

    ``mode="staged"`` judges the index instead of the working tree; ``base`` names a ref
    whose findings are compared, so every finding says whether this change introduced it;
    ``history`` runs the rules that need git history (KG131); ``trailers`` counts AI
    assistants named in commit trailers as development-scope components.
    """
    excludes = excludes if excludes is not None else DEFAULT_EXCLUDES
    base_ref = gitchecks.resolve_base(root, base) if base is not None else None
    if tree is None:
        tree = staged_tree(root, excludes) if mode == "staged" else WorkTree(root, excludes)
    today = today or dt.date.today()
    extra = gitchecks.trailer_components(root, load_catalogue(policy)) if trailers else ()
    findings, summaries, aspects, components, manifests = _judge(
        tree, policy, today, extra, cache=cache, notes=notes
    )
    unchecked: tuple[Unchecked, ...] = ()
    introduced_paths = None
    if base_ref is not None:
        head = git.head_commit(root) or base_ref.merge_base
        introduced_paths = frozenset(
            _or_damaged(base, lambda: git.changed_between(root, base_ref.merge_base, head))
        )
    if history:
        stale = history_rules.stale_manifests(
            root,
            policy,
            manifests,
            lambda t: scan(t, policy)[0],
            excludes,
            today,
            introduced_paths,
            tree=tree,
        )
        findings = sorted([*findings, *stale.findings], key=lambda f: f.sort_key)
        unchecked = stale.unchecked
    if base_ref is not None:
        old_tree = _or_damaged(base, lambda: git.CommitTree(root, base_ref.merge_base, excludes))
        old_extra = (
            gitchecks.trailer_components(root, load_catalogue(policy), base_ref.merge_base)
            if trailers
            else ()
        )
        on_base = _judge(old_tree, policy, today, old_extra)[0]
        findings = gitchecks.mark_introduced(findings, on_base)
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
        unchecked=unchecked,
        base=base,
    )


T = TypeVar("T")


def _or_damaged(ref: str | None, read: Callable[[], T]) -> T:
    """What ``read`` returns; one sentence (exit 2) when git cannot read the objects."""
    try:
        return read()
    except RuntimeError:
        raise gitchecks.base_error("damaged", ref=ref or "") from None


def staged_tree(root: Path, excludes: tuple[str, ...]) -> Tree:
    """The index below ``root``; one sentence (exit 2) when there is no index to read."""
    try:
        return git.IndexTree(root, excludes)
    except git.GitUnavailable as exc:
        raise RepoError(i18n.t(f"gates.staged.{exc.reason}")) from None


def _judge(
    tree: Tree,
    policy: Policy,
    today: dt.date,
    extra: tuple[Component, ...],
    cache: bool = False,
    notes: list[Text] | None = None,
) -> tuple[
    list[Finding],
    list[ManifestSummary],
    tuple[AspectResult, ...],
    tuple[Component, ...],
    list[manifest.Manifest],
]:
    components, problems = scan(tree, policy, cache=cache, notes=notes)
    if extra:
        components = detect.merge((*components, *extra))
    manifests = find_manifests(tree, policy)
    findings, summaries, aspects = run_checks(policy, components, manifests, tree, today, problems)
    return findings, summaries, aspects, components, manifests
