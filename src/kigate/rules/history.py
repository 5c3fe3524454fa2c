"""History: the manifest is older than the AI it describes (KG131).

The only rule that needs git history; the engine runs it where the history is asked for.
Every answer git cannot give becomes an ``Unchecked`` entry with the reason, never a
silent pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kigate import git, i18n
from kigate.manifest import Manifest
from kigate.model import Component, Finding, Severity, Unchecked
from kigate.policy import Policy
from kigate.rules.base import covering
from kigate.rules.registry import STALE
from kigate.rules.waivers import apply_waivers
from kigate.tree import Tree

Detect = Callable[[Tree], Sequence[Component]]
MANIFEST_LIMIT = 4 << 20  # above the manifest parser's own limit: it is compared, not parsed


def unavailable(reason: str) -> Unchecked:
    return Unchecked(STALE, i18n.t(f"gates.reason.{reason}"))


def _signature(components: Sequence[Component]) -> dict[str, set[tuple[str, str, str]]]:
    """Per file, which AI it shows: (component, family, match)."""
    by_path: dict[str, set[tuple[str, str, str]]] = {}
    for comp in components:
        for e in comp.evidence:
            by_path.setdefault(e.path, set()).add((comp.id, e.family, e.match))
    return by_path


def _whole_file_ai(components: Sequence[Component]) -> set[str]:
    """Files that are AI as a whole (evidence without a line: model files, assistant configs);
    any change to them changes the AI."""
    return {e.path for c in components for e in c.evidence if e.line is None}


@dataclass(frozen=True)
class Staleness:
    findings: tuple[Finding, ...]
    unchecked: tuple[Unchecked, ...]


def stale_manifests(
    root: Path,
    policy: Policy,
    manifests: Sequence[Manifest],
    detect: Detect,
    excludes: tuple[str, ...],
    today: dt.date,
    introduced_paths: frozenset[str] | None = None,
    tree: Tree | None = None,
) -> Staleness:
    """KG131: AI-relevant files changed in commits after the manifest last changed.

    A manifest whose text in ``tree`` (the working tree or the index being judged) differs
    from HEAD is being reviewed right now, so it is not stale.
    """
    severity = policy.severity(STALE)
    if severity is None or not manifests:
        return Staleness((), ())
    try:
        git.git_toplevel(root)
    except git.GitUnavailable as exc:
        return Staleness((), (unavailable(exc.reason),))
    head = git.head_commit(root)
    if head is None:
        return Staleness((), ())  # no commit yet: nothing can have changed after the manifest
    boundary = git.shallow_boundary(root)
    in_progress = _being_changed(root, head, manifests, tree)
    findings: list[Finding] = []
    for manifest in manifests:
        if manifest.path in in_progress or not manifest.valid:
            continue
        try:
            last = git.last_change(root, manifest.path)
            if boundary and (last is None or last.commit in boundary):
                return Staleness((), (unavailable("shallow"),))
            if last is None or last.commit == head:
                continue
            stale = _stale_files(root, manifest, manifests, last.commit, head, detect, excludes)
            finding = _stale_finding(root, manifest, last, stale, severity) if stale else None
        except RuntimeError:  # missing or damaged objects: say so, never pass silently
            return Staleness((), (unavailable("damaged"),))
        if finding is not None:
            if introduced_paths is not None:
                finding = replace(finding, introduced=bool(introduced_paths.intersection(stale)))
            findings.append(finding)
    return Staleness(tuple(apply_waivers(findings, manifests, today)), ())


def _being_changed(
    root: Path, head: str, manifests: Sequence[Manifest], tree: Tree | None
) -> frozenset[str]:
    """Manifests whose bytes in ``tree`` differ from HEAD's. Compared here rather than by
    ``git diff``, which could run a clean filter the repository configures; line endings
    do not count (``core.autocrlf`` checkouts)."""
    if tree is None:
        return frozenset()
    paths = [m.path for m in manifests]
    try:
        committed = git.CommitTree(root, head, only=paths, excludes=())
    except RuntimeError:
        return frozenset()
    changed = set()
    for path in paths:
        now, then = tree.read(path, MANIFEST_LIMIT), committed.read(path, MANIFEST_LIMIT)
        if (
            now is None
            or then is None
            or now.replace(b"\r\n", b"\n") != then.replace(b"\r\n", b"\n")
        ):
            changed.add(path)
    return frozenset(changed)


def _stale_files(
    root: Path,
    manifest: Manifest,
    manifests: Sequence[Manifest],
    since: str,
    head: str,
    detect: Detect,
    excludes: tuple[str, ...],
) -> list[str]:
    """Files under ``manifest`` whose AI changed between ``since`` and ``head``: other
    components or evidence, or any change to a file that is AI as a whole."""
    changed = [
        p
        for p in git.changed_between(root, since, head, manifest.directory)
        if covering(manifests, p) is manifest
    ]
    if not changed:
        return []
    before = _signature(detect(git.CommitTree(root, since, excludes, only=changed)))
    now = detect(git.CommitTree(root, head, excludes, only=changed))
    after, whole = _signature(now), _whole_file_ai(now)
    return sorted(p for p in changed if before.get(p, set()) != after.get(p, set()) or p in whole)


def _stale_finding(
    root: Path, manifest: Manifest, last: git.LastChange, stale: list[str], severity: Severity
) -> Finding:
    dates = git.first_change_after(root, last.commit, stale)
    shown = ", ".join(stale[:5]) + (f" (+{len(stale) - 5})" if len(stale) > 5 else "")
    message = i18n.t(
        "gates.KG131",
        manifest=manifest.path,
        date=last.date,
        commit=last.commit[:8],
        since=min(dates.values()) if dates else last.date,
        files=shown,
    )
    # Points at last_reviewed ([system] when absent): where the review is recorded.
    return Finding(
        STALE, severity, message, manifest.path, manifest.system.line_of("last_reviewed")
    )
