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


def _scan_file(
    path: str,
    finishers: Sequence[Detector],
    pure: Sequence[Detector],
    ctx: Context,
    found: list[Component],
    store: Cache | None = None,
    key_of: Callable[[str], str | None] | None = None,
) -> None:
    """Detect in one file. Finishers run first and always (they keep state across files);
    the ``pure`` detectors depend on nothing but the path and the bytes, so with a ``store``
    their results come from the cache while the file's content key is unchanged."""
    key = key_of(path) if key_of is not None else None
    hit = store.get(path, key) if store is not None else None
    base = basename(path)
    wanted: list[Detector] = []
    limit = -1
    for detector in (*finishers, *pure) if hit is None else finishers:
        need = detector.wants(path, base, ctx)
        if need is not None:
            wanted.append(detector)
            limit = max(limit, need)
    data = b""
    readable = True
    if limit > PATH_ONLY:
        # One read per file, one byte more than asked so a detector can tell it was cut.
        read = ctx.tree.read(path, limit + 1)
        if read is None:
            readable = False
            _unreadable(path, base, wanted, ctx, found)
            wanted = [d for d in wanted if d.wants(path, base, ctx) == PATH_ONLY]
        else:
            data = read
    for detector in wanted:
        if detector in finishers:
            found.extend(detector.scan(path, data, ctx))
    if hit is not None:
        found.extend(hit.components)
        ctx.problems.extend(DetectProblem(path, line, text) for line, text in hit.problems)
        return
    mark = len(ctx.problems)
    fresh: list[Component] = []
    for detector in wanted:
        if detector not in finishers:
            fresh.extend(detector.scan(path, data, ctx))
    found.extend(fresh)
    if store is not None and readable:
        problems = tuple((p.line, p.text) for p in ctx.problems[mark:] if p.path == path)
        store.put(path, key, FileResult(tuple(fresh), problems))


def _unreadable(
    path: str, base: str, wanted: Sequence[Detector], ctx: Context, found: list[Component]
) -> None:
    """A file that could not be read: a detector that can judge it by its name alone (a
    model file's) says so; a warning only if some detector needed the content."""
    warn = False
    for detector in wanted:
        if detector.wants(path, base, ctx) == PATH_ONLY:
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
    finishers = tuple(d for d in chosen if isinstance(d, Finisher))
    pure = tuple(d for d in chosen if not isinstance(d, Finisher))
    for path in ctx.files:
        _scan_file(path, finishers, pure, ctx, found, cache, key_of)
    for detector in chosen:
        if isinstance(detector, Finisher):
            found.extend(detector.finish(ctx))
    found = resolve(ctx, found)
    # One warning per file: the first detector that could not read it says why.
    first = {p.path: p for p in reversed(ctx.problems)}
    problems = sorted(first.values(), key=lambda p: (p.path, p.line or 0, p.text.en))
    return merge(found), tuple(problems)
