"""Detection of a whole tree from the last one's snapshot: only what differs is detected.

With a snapshot of the same namespace (kigate, detectors, catalogue, excludes), the paths
to look at again are those whose key differs between the snapshot and now: the snapshot's
own changes, git's changes now, and, after a commit or a branch switch, the paths that
differ between the two commits (compared tree by tree through ``cat-file``, no process of
its own). Links and unreadable files are looked at again in every run. Without a usable
snapshot the whole tree is detected (unchanged files answered by the per-file cache) and a
snapshot is written for the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kigate import incremental, snapshot, tomlmemo
from kigate.cache import Cache
from kigate.delta_tree import DeltaTree
from kigate.detect.base import Context, DetectProblem
from kigate.detect.catalogue import Catalogue
from kigate.git.delta import ABSENT, Key, index_key
from kigate.git.objects import changed_paths
from kigate.model import Component, Text
from kigate.names import display_name

# More paths than this between the snapshot's commit and HEAD: detect the whole tree.
MAX_MOVED = 20_000
# Fewer re-detected paths than this on the snapshot's commit: the snapshot is not rewritten
# (the next run detects them again, which costs less than writing 100k names).
REWRITE_AFTER = 64

Result = tuple[tuple[Component, ...], tuple[DetectProblem, ...], tuple[Text, ...]]


@dataclass(frozen=True)
class Plan:
    changed: set[str]  # paths whose content may differ from the snapshot's
    present: set[str]  # of those, the ones that are files now
    gone: set[str]
    delta: dict[str, Key]  # the new snapshot's paths that differ from HEAD


def scan(
    tree: DeltaTree,
    catalogue: Catalogue,
    space: str,
    store: Cache,
    manifest_name: str,
) -> Result:
    """Detection of ``tree``; ``space`` names everything besides the files that the result
    depends on, ``manifest_name`` the files the check reads next (kept in the snapshot)."""
    folder = snapshot.usable_folder(tree.root)
    file = None if folder is None else snapshot.path_for(tree.root, tree.view, folder)
    old = None if file is None else snapshot.load(file, space)
    companion = snapshot.stat_of(store.file)
    if old is not None and old.companion != companion:
        if store.damaged():
            old = None  # the per-file cache was damaged since: the cold run says so
        else:  # rewritten whole by another view's cold run: checked once, then kept
            old.companion, old.stale = companion, True
    # Loaded while git still works on its answer (the first use of ``tree.delta`` waits).
    chosen = incremental.Detectors.all()
    if tree.delta is None:  # a conflict, or git failed: list everything, keep nothing
        file = None
    plan = _plan(tree, old) if old is not None and file is not None else None
    if old is None or plan is None or file is None:
        return _cold(tree, catalogue, space, store, file, manifest_name, chosen)
    return _warm(tree, catalogue, space, old, plan, file, manifest_name, chosen)


def remember(tree: DeltaTree) -> None:
    """Keep the large TOML texts this check parsed (policy, catalogues, messages) for the
    next one, beside the snapshots, never inside the checked tree."""
    folder = snapshot.usable_folder(tree.root)
    if folder is not None:
        tomlmemo.flush(folder)


def _plan(tree: DeltaTree, old: snapshot.Snapshot) -> Plan | None:
    found = tree.delta
    if found is None:
        return None
    moved: set[str] = set()
    if old.commit != tree.commit:
        try:
            between = changed_paths(tree.root, old.commit, tree.commit)
        except RuntimeError:  # the snapshot's commit is gone (gc, a new clone)
            return None
        if len(between) > MAX_MOVED:
            return None
        moved = {display_name(p) for p in between}
    now = found.keys
    candidates = old.delta.keys() | now.keys() | moved
    changed = {
        p
        for p in candidates
        if not tree.excluded(p)
        and not (p in now and now[p] is not None and now[p] == old.delta.get(p, ABSENT + "?"))
    }
    tree.head_entries([p for p in changed if p not in now])
    delta: dict[str, Key] = {p: k for p, k in now.items() if not tree.excluded(p)}
    present: set[str] = set()
    gone: set[str] = set()
    for path in changed:
        if path in now:
            key = now[path]
        else:
            entry = tree.head_entry(path)
            key = ABSENT if entry is None else index_key(*entry)
            tree.note_key(path, key)
            if key is None:
                delta[path] = None  # a link: its target may change unseen
        (gone if key == ABSENT else present).add(path)
    return Plan(changed, present, gone, delta)


def _came_or_went(tree: DeltaTree, old: snapshot.Snapshot, plan: Plan) -> bool:
    """Whether a path of ``plan`` was not among the snapshot's files (present now) or was
    (gone now). On the snapshot's own commit its files are HEAD's with its delta laid over
    them, so the few paths are looked up there instead of reading all the names."""
    if old.commit == tree.commit:
        tree.head_entries([p for p in plan.present | plan.gone if p not in old.delta])

        def was_listed(path: str) -> bool:
            if path in old.delta:
                return old.delta[path] != ABSENT
            entry = tree.head_entry(path)
            return entry is not None and index_key(*entry) != ABSENT

        return any(map(was_listed, plan.gone)) or not all(map(was_listed, plan.present))
    names = old.names()
    if names is None:
        return True  # cannot tell: the finishers run again, which is always right
    padded = f"\0{names}\0"  # one copy; a few lookups cost less than splitting 100k names
    return any(f"\0{p}\0" in padded for p in plan.gone) or not all(
        f"\0{p}\0" in padded for p in plan.present
    )


def _wants_context(tree: DeltaTree, catalogue: Catalogue) -> Context:
    return Context(tree=tree, files=(), catalogue=catalogue)


def _cold(
    tree: DeltaTree,
    catalogue: Catalogue,
    space: str,
    store: Cache,
    file: Path | None,
    manifest_name: str,
    chosen: incremental.Detectors,
) -> Result:
    files = tree.full().files()
    store.load()
    ctx = _wants_context(tree, catalogue)
    fin_paths = tuple(p for p in files if chosen.finisher_wants(p, ctx))
    found = incremental.run(
        tree, catalogue, tree.has_file, files, fin_paths, store, lambda: files, chosen
    )
    store.save()
    components, problems = incremental.compose(
        found.pure, found.fin, found.finish, found.local, catalogue, tree
    )
    now = tree.delta
    if file is not None and now is not None:
        delta: dict[str, Key] = {p: k for p, k in now.keys.items() if not tree.excluded(p)}
        full = tree.full()
        delta.update((p, None) for p in files if full.content_key(p) is None)
        delta.update((p, None) for p in found.unreadable)
        snap = snapshot.Snapshot(
            tree.commit,
            delta,
            "\0".join(files),
            found.pure,
            found.fin,
            fin_paths,
            tuple(sorted(found.touched)),
            found.finish,
            tree.named(manifest_name),
            snapshot.stat_of(store.file),
            incremental.as_part(components, problems),
            found.local,
        )
        snapshot.save(file, space, snap)
    return components, problems, tuple(store.notes)


def _warm(
    tree: DeltaTree,
    catalogue: Catalogue,
    space: str,
    old: snapshot.Snapshot,
    plan: Plan,
    file: Path,
    manifest_name: str,
    chosen: incremental.Detectors,
) -> Result:
    tree.patched(old.names, plan.gone, plan.present)
    tree.name_files(manifest_name, old.named)
    ctx = _wants_context(tree, catalogue)
    wanted = {p for p in plan.present if chosen.finisher_wants(p, ctx)}
    redo = bool(plan.changed.intersection(old.touched)) or bool(wanted - set(old.fin_paths))
    if not redo and (plan.gone or plan.present):
        # a finisher may look at the list of files (model shards): a file added or gone redoes it
        redo = _came_or_went(tree, old, plan)
    fin_paths = tuple(sorted((set(old.fin_paths) - plan.gone) | wanted)) if redo else None
    found = incremental.run(
        tree, catalogue, tree.has_file, plan.present, fin_paths, None, tree.files, chosen
    )
    pure = {p: part for p, part in old.pure.items() if p not in plan.changed}
    pure.update(found.pure)
    fin, finish = (found.fin, found.finish) if redo else (old.fin, old.finish)
    local = found.local if redo else old.local
    # The usual edit finds what the file held before: the composed result is the old one.
    same = all(found.pure.get(p) == old.pure.get(p) for p in plan.changed) and (
        not redo or (found.fin == old.fin and found.finish == old.finish and local == old.local)
    )
    if same and old.composed is not None:
        components, problems = incremental.from_part(old.composed)
    else:
        components, problems = incremental.compose(pure, fin, finish, local, catalogue, tree)
    delta = dict(plan.delta)
    delta.update((p, None) for p in found.unreadable)
    rewrite = old.commit != tree.commit or redo or found.unreadable or not same or old.stale
    if rewrite or len(plan.changed) >= REWRITE_AFTER:
        snap = snapshot.Snapshot(
            tree.commit,
            delta,
            tree.joined(),
            pure,
            fin,
            fin_paths if fin_paths is not None else old.fin_paths,
            tuple(sorted(found.touched)) if redo else old.touched,
            finish,
            tree.named(manifest_name),
            old.companion,
            incremental.as_part(components, problems),
            local,
        )
        snapshot.save(file, space, snap)
    return components, problems, ()
