"""Detection: every signal family is one module with one Detector; the list is explicit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from kigate import i18n
from kigate.cache import Cache, FileResult
from kigate.detect import usage
from kigate.detect.base import (
    PATH_ONLY,
    Context,
    Detector,
    DetectProblem,
    Finisher,
    basename,
)
from kigate.detect.catalogue import Catalogue
from kigate.detect.dispatch import Dispatch
from kigate.detect.resolve import resolve
from kigate.model import Component, Evidence, Scope
from kigate.tree import Tree

__all__ = ["Context", "DetectProblem", "Detector", "detect", "merge"]


def _detectors() -> tuple[Detector, ...]:
    from kigate.detect import (
        assistants,
        browser,
        containers,
        go_deps,
        gradle_catalog,
        hosts,
        infra,
        js_deps,
        jvm_deps,
        lang_imports,
        model_sets,
        models,
        more_deps,
        notebooks,
        other_deps,
        python_deps,
        source_imports,
        workspaces,
    )

    return (
        python_deps.DETECTOR,
        js_deps.DETECTOR,
        go_deps.DETECTOR,
        jvm_deps.DETECTOR,
        gradle_catalog.DETECTOR,
        other_deps.DETECTOR,
        more_deps.DETECTOR,
        source_imports.DETECTOR,
        lang_imports.DETECTOR,
        browser.DETECTOR,
        hosts.DETECTOR,
        notebooks.DETECTOR,
        models.DETECTOR,
        model_sets.DETECTOR,
        assistants.DETECTOR,
        containers.DETECTOR,
        infra.DETECTOR,
        workspaces.DETECTOR,
    )


def merge(found: Iterable[Component]) -> tuple[Component, ...]:
    """One component per id: evidence united, product scope wins over development."""
    by_id: dict[str, Component] = {}
    for comp in found:
        known = by_id.get(comp.id)
        if known is None:
            by_id[comp.id] = comp
            continue
        evidence = tuple(dict.fromkeys((*known.evidence, *comp.evidence)))
        scope = Scope.PRODUCT if Scope.PRODUCT in (known.scope, comp.scope) else Scope.DEVELOPMENT
        by_id[comp.id] = Component(
            known.id, known.name, known.ecosystem, known.category, scope, evidence
        )
    return tuple(
        Component(
            c.id,
            c.name,
            c.ecosystem,
            c.category,
            c.scope,
            tuple(sorted(c.evidence, key=_evidence_key)),
            usage.combine(c.evidence),
        )
        for c in sorted(by_id.values(), key=lambda c: c.id)
    )


def _evidence_key(e: Evidence) -> tuple[bool, bool, str, int, str, str]:
    # Declarations lead: findings point at the manifest line that brings the component in;
    # then evidence with a line (a model.json before the weight shards it names).
    return (e.family != "dependency", e.line is None, e.path, e.line or 0, e.family, e.match)


Offer = tuple[tuple[Detector, ...], tuple[Detector, ...], tuple[Detector, ...]]


class Run:
    """The detectors of one run, finishers first, and the table that picks the few that may
    want a file (``dispatch``), so a file meets only those."""

    def __init__(self, detectors: Sequence[Detector], ctx: Context) -> None:
        kinds = [isinstance(d, Finisher) for d in detectors]  # a protocol test is slow
        self.finishers = tuple(d for d, fin in zip(detectors, kinds, strict=True) if fin)
        self.pure = tuple(d for d, fin in zip(detectors, kinds, strict=True) if not fin)
        self.dispatch = Dispatch((*self.finishers, *self.pure), ctx)
        # by identity: a detector need not be hashable
        self._finisher_ids = frozenset(id(d) for d in self.finishers)
        # the dispatch's answers are few shared tuples: each split once into its two kinds
        self._split: dict[int, Offer] = {}

    def is_finisher(self, detector: Detector) -> bool:
        return id(detector) in self._finisher_ids

    def offered(self, path: str, base: str) -> Offer:
        """The detectors that may want ``path``: the finishers, the pure ones, and both."""
        both = self.dispatch.candidates(path, base)
        split = self._split.get(id(both))
        if split is None:
            fins = tuple(d for d in both if id(d) in self._finisher_ids)
            pures = tuple(d for d in both if id(d) not in self._finisher_ids)
            split = self._split[id(both)] = (fins, pures, both)
        return split


def wanted_by(
    detectors: Sequence[Detector], path: str, base: str, ctx: Context
) -> list[tuple[Detector, int]]:
    """The ``detectors`` that want ``path``, each with the bytes it needs."""
    wanted = []
    for detector in detectors:
        need = detector.wants(path, base, ctx)
        if need is not None:
            wanted.append((detector, need))
    return wanted


def read_wanted(
    path: str,
    wanted: list[tuple[Detector, int]],
    ctx: Context,
    found: list[Component],
) -> tuple[bytes | None, list[tuple[Detector, int]]]:
    """The bytes the wanted detectors asked for, read once (one byte more than the most any
    asked for, so a detector can tell it was cut). None for a file that could not be read:
    then only the detectors that judge by the name go on, and what the others can say by the
    name is in ``found``."""
    limit = max((need for _d, need in wanted), default=-1)
    if limit <= PATH_ONLY:
        return b"", wanted
    data = ctx.tree.read(path, limit + 1)
    if data is not None:
        return data, wanted
    _unreadable(path, wanted, ctx, found)
    return None, [(d, need) for d, need in wanted if need == PATH_ONLY]


def _scan_file(
    path: str,
    run: Run,
    ctx: Context,
    found: list[Component],
    store: Cache | None = None,
    key_of: Callable[[str], str | None] | None = None,
) -> None:
    """Detect in one file. Finishers run first and always (they keep state across files);
    the pure detectors depend on nothing but the path and the bytes, so with a ``store``
    their results come from the cache while the file's content key is unchanged."""
    key = key_of(path) if key_of is not None else None
    hit = store.get(path, key) if store is not None else None
    base = basename(path)
    fins, _pures, both = run.offered(path, base)
    wanted = wanted_by(fins if hit is not None else both, path, base, ctx)
    if not wanted:
        if hit is not None:
            found.extend(hit.components)
            ctx.problems.extend(DetectProblem(path, line, text) for line, text in hit.problems)
        elif store is not None:
            store.put(path, key, _NOTHING)
        return
    data, wanted = read_wanted(path, wanted, ctx, found)
    content = data if data is not None else b""
    for detector, _need in wanted:
        if run.is_finisher(detector):
            found.extend(detector.scan(path, content, ctx))
    if hit is not None:
        found.extend(hit.components)
        ctx.problems.extend(DetectProblem(path, line, text) for line, text in hit.problems)
        return
    mark = len(ctx.problems)
    fresh: list[Component] = []
    for detector, _need in wanted:
        if not run.is_finisher(detector):
            fresh.extend(detector.scan(path, content, ctx))
    found.extend(fresh)
    if store is not None and data is not None:
        problems = tuple((p.line, p.text) for p in ctx.problems[mark:] if p.path == path)
        store.put(path, key, FileResult(tuple(fresh), problems))


_NOTHING = FileResult((), ())


def _unreadable(
    path: str, wanted: Sequence[tuple[Detector, int]], ctx: Context, found: list[Component]
) -> None:
    """A file that could not be read: a detector that can judge it by its name alone (a
    model file's) says so; a warning only if some detector needed the content."""
    warn = False
    for detector, need in wanted:
        if need == PATH_ONLY:
            continue
        by_name = getattr(detector, "unexamined", None)
        answer = by_name(path, ctx) if callable(by_name) else None
        if answer is None:
            warn = True
        else:
            found.extend(answer)
    if warn:
        ctx.problem(path, i18n.t("detect.unreadable"))


def detect(
    tree: Tree,
    catalogue: Catalogue,
    detectors: Sequence[Detector] | None = None,
    cache: Cache | None = None,
) -> tuple[tuple[Component, ...], tuple[DetectProblem, ...]]:
    """All AI components in ``tree`` and the files that could not be examined; ``cache``
    answers for files whose content is unchanged since it was filled."""
    ctx = Context(tree=tree, files=tree.files(), catalogue=catalogue)
    chosen = tuple(detectors) if detectors is not None else _detectors()
    found: list[Component] = []
    # Finishers first, in every run, so problems come in the same order with or without cache.
    key_of = tree.content_key if cache is not None else None
    run = Run(chosen, ctx)
    for path in ctx.files:
        _scan_file(path, run, ctx, found, cache, key_of)
    for detector in chosen:
        if isinstance(detector, Finisher):
            found.extend(detector.finish(ctx))
    found = resolve(ctx, found)
    # One warning per file: the first detector that could not read it says why.
    first = {p.path: p for p in reversed(ctx.problems)}
    problems = sorted(first.values(), key=lambda p: (p.path, p.line or 0, p.text.en))
    return merge(found), tuple(problems)
