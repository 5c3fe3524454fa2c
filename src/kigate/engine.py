"""One check of one project: ``check(CheckRequest) -> CheckResult``.

List the files (work tree, index or a commit), detect, read the manifests, apply the rules,
compare with a base. The result is data; the CLI renders it and ``kigate.gate`` decides the
exit code. Nothing here imports click or a format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kigate import (
    __version__,
    above,
    capabilities,
    detect,
    git,
    gitchecks,
    i18n,
    manifest,
    views,
    warm,
)
from kigate import cache as cache_mod
from kigate.catalogues import load_catalogue, validate_policy
from kigate.delta_tree import DeltaTree
from kigate.detect import catalogue, ids
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
from kigate.requests import CheckRequest, CheckResult, InventoryRequest, Mode
from kigate.rules import history as history_rules
from kigate.rules import signoff as signoff_rules
from kigate.rules.run import inventory_findings, load_checks, run_checks
from kigate.tree import Tree
from kigate.worktree import WorkTree

# The request types (kigate.requests) are part of the engine's interface: engine.CheckRequest.
__all__ = [
    "CheckRequest",
    "CheckResult",
    "Detection",
    "InventoryRequest",
    "Mode",
    "check",
    "load_catalogue",
    "validate_policy",
]


def find_manifests(tree: Tree, policy: Policy) -> list[manifest.Manifest]:
    name = policy.manifest_name
    if isinstance(tree, DeltaTree):  # a snapshot knows them: no walk through 100k names
        paths = list(tree.named(name))
    else:
        paths = [p for p in tree.files() if p == name or p.endswith("/" + name)]
    upper = above.manifest_above(tree)
    if upper is not None:
        paths.insert(0, upper)
    return [manifest.parse(p, tree.read(p, manifest.MAX_BYTES + 1), policy) for p in paths]


def _namespace(found: catalogue.Catalogue, *more: object) -> str:
    code = cache_mod.source_digest(Path(detect.__file__).parent)
    texts = cache_mod.source_digest(Path(i18n.__file__).parent / "locales", "*/*.toml")
    return cache_mod.namespace(code, texts, [s.raw for s in found.signals], *more)


def open_cache(tree: Tree, found: catalogue.Catalogue) -> cache_mod.Cache:
    """The repository's detection cache, namespaced by detector code and signal catalogue."""
    store = cache_mod.Cache(tree.root, _namespace(found))
    store.load()
    return store


@dataclass(frozen=True)
class Detection:
    components: tuple[Component, ...]
    problems: tuple[detect.DetectProblem, ...]
    notes: tuple[Text, ...] = ()


def scan(tree: Tree, policy: Policy, *, cache: bool = False) -> Detection:
    """Detection; with ``cache``, unchanged files are answered from the user's cache
    directory (never from or into the repository), and what went wrong with it is a note."""
    found = load_catalogue(policy)
    if cache and isinstance(tree, DeltaTree):
        # the whole tree's last result, redone only where git says something differs
        space = _namespace(found, tree.view, tree.excludes, policy.manifest_name)
        components, problems, notes = warm.scan(
            tree, found, space, cache_mod.Cache(tree.root, _namespace(found)), policy.manifest_name
        )
        return Detection(components, problems, notes)
    store = open_cache(tree, found) if cache else None
    components, problems = detect.detect(tree, found, cache=store)
    if store is None:
        return Detection(components, problems)
    store.save()
    return Detection(components, problems, tuple(store.notes))


def now_utc() -> str:
    return (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def _report(root: Path, tree: Tree, policy: Policy, shown: str | None, **parts: Any) -> Report:
    dirty = parts.get("mode", Mode.WORKTREE.value) != Mode.STAGED.value
    known = getattr(tree, "dirty", None)  # the status a DeltaTree was built from
    info = repo_info(tree.root, shown if shown is not None else str(root), dirty and known is None)
    if dirty and known is not None:
        info["dirty"] = known
    return Report(
        tool_version=__version__,
        repo=RepoInfo(**info),
        policy_id=policy.id,
        policy_version=policy.version,
        generated_at=now_utc(),
        **parts,
    )


def inventory(request: InventoryRequest) -> CheckResult:
    """Detection only (``kigate scan``): components, and files that could not be examined."""
    root, policy = request.root, request.policy
    tree = request.tree if request.tree is not None else WorkTree(root, request.excludes)
    found = scan(tree, policy, cache=request.cache)
    capable = capabilities.as_components(capabilities.find(found.components))
    findings = tuple(inventory_findings(policy, found.problems, dt.date.today()))
    report = _report(
        root,
        tree,
        policy,
        request.shown,
        components=(*found.components, *capable),
        manifests=(),
        aspects=(),
        findings=findings,
    )
    return CheckResult(report, found.notes)


def check(request: CheckRequest) -> CheckResult:
    """Check the repository (or project directory) at ``request.root`` against its policy."""
    root, policy, base, excludes = request.root, request.policy, request.base, request.excludes
    base_ref = gitchecks.resolve_base(root, base) if base is not None else None
    tree = request.tree
    if tree is None:
        tree = views.for_mode(root, request.mode, excludes, request.cache)
    if not isinstance(tree, DeltaTree):  # always the repository's top: nothing lies above
        tree = above.widen(tree, policy.manifest_name, views.top_tree(request.mode))
    today = request.today or dt.date.today()
    trailers = request.trailers
    extra = gitchecks.trailer_components(root, load_catalogue(policy)) if trailers else ()
    judged = _judge(tree, policy, today, extra, cache=request.cache)
    findings = judged.findings
    unchecked: tuple[Unchecked, ...] = ()
    introduced_paths = None
    if base_ref is not None:
        head = git.head_commit(root) or base_ref.merge_base
        introduced_paths = frozenset(
            _or_damaged(base, lambda: git.changed_between(root, base_ref.merge_base, head))
        )
    if request.history:
        stale = _stale(request, tree, judged.manifests, today, introduced_paths)
        findings = sorted([*findings, *stale.findings], key=lambda f: f.sort_key)
        unchecked = stale.unchecked
    old_tree = None
    if base_ref is not None:
        merge_base = base_ref.merge_base
        old_tree = above.widen(
            _or_damaged(base, lambda: git.CommitTree(root, merge_base, excludes)),
            policy.manifest_name,
            lambda top, only: git.CommitTree(top, merge_base, (), only=only),
        )
    signed = signoff_rules.check(policy, judged.manifests, tree, root, old_tree, base)
    findings = sorted([*findings, *signed.findings], key=lambda f: f.sort_key)
    unchecked = (*unchecked, *signed.unchecked)
    if base_ref is not None and old_tree is not None:
        on_base = _findings_on_base(request, old_tree, base_ref.merge_base, today)
        findings = gitchecks.mark_introduced(findings, on_base)
    report = _report(
        root,
        tree,
        policy,
        request.shown,
        components=judged.components,
        manifests=tuple(judged.summaries),
        aspects=judged.aspects,
        findings=tuple(findings),
        mode=request.mode.value,
        unchecked=unchecked,
        base=base,
    )
    return CheckResult(report, judged.notes)


def _stale(
    request: CheckRequest,
    tree: Tree,
    manifests: list[manifest.Manifest],
    today: dt.date,
    introduced_paths: frozenset[str] | None,
) -> history_rules.Staleness:
    """KG131 for the manifests of this tree (one above the checked directory has its
    history checked from there)."""
    policy = request.policy
    return history_rules.stale_manifests(
        request.root,
        policy,
        [m for m in manifests if m.path != above.manifest_above(tree)],
        lambda t: scan(t, policy).components,
        request.excludes,
        today,
        introduced_paths,
        tree=tree,
    )


def _findings_on_base(
    request: CheckRequest, old_tree: Tree, merge_base: str, today: dt.date
) -> list[Finding]:
    """What the same check finds on the merge base, to mark findings this change introduced."""
    root, policy = request.root, request.policy
    old_extra = (
        gitchecks.trailer_components(root, load_catalogue(policy), merge_base)
        if request.trailers
        else ()
    )
    old = _judge(old_tree, policy, today, old_extra)
    signed = signoff_rules.check(policy, old.manifests, old_tree, root, old_tree, request.base)
    return [*old.findings, *signed.findings]


T = TypeVar("T")


def _or_damaged(ref: str | None, read: Callable[[], T]) -> T:
    """What ``read`` returns; one sentence (exit 2) when git cannot read the objects."""
    try:
        return read()
    except RuntimeError:
        raise gitchecks.base_error("damaged", ref=ref or "") from None


@dataclass(frozen=True)
class _Judged:
    findings: list[Finding]
    summaries: list[ManifestSummary]
    aspects: tuple[AspectResult, ...]
    components: tuple[Component, ...]
    manifests: list[manifest.Manifest]
    notes: tuple[Text, ...]


def _judge(
    tree: Tree,
    policy: Policy,
    today: dt.date,
    extra: tuple[Component, ...],
    cache: bool = False,
) -> _Judged:
    load_checks()  # while git may still work on its answer, which ``scan`` waits for
    found = scan(tree, policy, cache=cache)
    components = found.components
    if extra:
        components = detect.merge((*components, *extra))
    manifests = find_manifests(tree, policy)
    findings, summaries, aspects = run_checks(
        policy, components, manifests, tree, today, found.problems
    )
    if cache and isinstance(tree, DeltaTree):
        warm.remember(tree)
    # A manifest naming a component by an old id is still matched; the note names the new id.
    renamed = ids.rename_notes((m.path, c.line, c.id) for m in manifests for c in m.components)
    notes = (*found.notes, *renamed)
    return _Judged(findings, summaries, aspects, components, manifests, notes)
