"""Detection that remembers what it found per file, so the next run redoes only what changed.

``detect.detect`` answers for a whole tree at once. Here the same detectors run in the same
order, but what they find is kept apart: per file the pure detectors' components and
problems (a function of the file's path and bytes), per file the finishers' scans, and what
the finishers found after every file was seen (requirement includes). ``compose`` then puts
the parts together in the order a whole run produces them, so the result is the same, to
the order of problems and the first evidence of a component. A finisher's part depends on
other files (an include names one), so it is redone whole whenever a path it read or asked
for changes; pure parts are redone only for the changed files themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from kigate import detect
from kigate.cache import Cache, FileResult
from kigate.detect import base, workspaces
from kigate.detect.base import Context, Detector, DetectProblem, Finisher
from kigate.detect.catalogue import Catalogue
from kigate.detect.resolve import resolve
from kigate.model import Component, Text
from kigate.snapshot import Part
from kigate.tree import Tree

EMPTY: Part = ((), ())


@dataclass
class _Context(Context):
    """A run's context that answers ``has_file`` from a callable and notes every path the
    finishers looked for or read."""

    exists: Callable[[str], bool] = lambda _path: False
    touched: set[str] = field(default_factory=set)

    def has_file(self, path: str) -> bool:
        self.touched.add(path)
        return self.exists(path)


class _Reads:
    """``tree`` with every read noted (a finisher reads the files an include names)."""

    def __init__(self, tree: Tree, touched: set[str]) -> None:
        self._tree, self._touched = tree, touched
        self.root = tree.root

    def files(self) -> tuple[str, ...]:
        return self._tree.files()

    def read(self, path: str, limit: int) -> bytes | None:
        self._touched.add(path)
        return self._tree.read(path, limit)

    def size(self, path: str) -> int | None:
        return self._tree.size(path)

    def exists(self, path: str) -> bool:
        return self._tree.exists(path)

    def content_key(self, path: str) -> str | None:
        return self._tree.content_key(path)

    def is_link(self, path: str) -> bool:
        probe = getattr(self._tree, "is_link", None)
        return bool(probe(path)) if callable(probe) else False


def _part(components: Iterable[Component], problems: Iterable[DetectProblem]) -> Part:
    plain = FileResult(tuple(components), ()).plain()[0]
    return plain, tuple((p.path, p.line, p.text.en, p.text.de) for p in problems)


def _unpart(part: Part) -> tuple[tuple[Component, ...], list[DetectProblem]]:
    components = FileResult.from_plain((part[0], ())).components
    problems = [DetectProblem(p, line, Text(en=en, de=de)) for p, line, en, de in part[1]]
    return components, problems


@dataclass
class Found:
    """What one run found, part by part (only files that found something are listed)."""

    pure: dict[str, Part] = field(default_factory=dict)
    fin: dict[str, Part] = field(default_factory=dict)
    finish: Part = EMPTY
    touched: set[str] = field(default_factory=set)
    unreadable: set[str] = field(default_factory=set)  # looked at again in every run
    local: tuple[tuple[str, str], ...] = ()  # packages the repository defines (workspaces)


@dataclass
class Detectors:
    finishers: tuple[Detector, ...]
    pure: tuple[Detector, ...]
    _runs: dict[int, tuple[Catalogue, detect.Run]] = field(default_factory=dict, repr=False)

    @classmethod
    def all(cls) -> Detectors:
        chosen = detect._detectors()
        return cls(
            tuple(d for d in chosen if isinstance(d, Finisher)),
            tuple(d for d in chosen if not isinstance(d, Finisher)),
        )

    def run(self, ctx: Context) -> detect.Run:
        """The dispatch for ``ctx``'s catalogue (what a detector declares depends on it)."""
        known = self._runs.get(id(ctx.catalogue))
        if known is None or known[0] is not ctx.catalogue:
            known = (ctx.catalogue, detect.Run((*self.finishers, *self.pure), ctx))
            self._runs[id(ctx.catalogue)] = known
        return known[1]

    def finisher_wants(self, path: str, ctx: Context) -> bool:
        name = base.basename(path)
        return bool(detect.wanted_by(self.run(ctx).offered(path, name)[0], path, name, ctx))


def run(
    tree: Tree,
    catalogue: Catalogue,
    exists: Callable[[str], bool],
    pure_paths: Iterable[str],
    fin_paths: Iterable[str] | None,
    store: Cache | None = None,
    files: Callable[[], Sequence[str]] = tuple,
    chosen: Detectors | None = None,
) -> Found:
    """Detect in ``pure_paths`` with the pure detectors and, unless ``fin_paths`` is None,
    in ``fin_paths`` with the finishers, which then finish; files in sorted order, each read
    once. ``store`` answers pure parts for unchanged content (the per-file cache);
    ``chosen``: the detectors (and their dispatch table) a caller already has."""
    chosen = chosen if chosen is not None else Detectors.all()
    # A finisher may look at every file (model shards by extension): only then are they listed.
    listed = files() if fin_paths is not None else ()
    ctx = _Context(tree=tree, files=listed, catalogue=catalogue, exists=exists)
    fins = set(fin_paths or ())
    pures = set(pure_paths)
    found = Found()
    for path in sorted(fins | pures):
        _scan(path, path in fins, path in pures, chosen, ctx, found, store)
    if fin_paths is not None:
        mark = len(ctx.problems)
        ctx.tree = _Reads(tree, ctx.touched)  # an include's file is read here, and noted
        done: list[Component] = []
        for detector in chosen.finishers:
            done.extend(detector.finish(ctx))  # type: ignore[attr-defined]
        found.finish = _part(done, ctx.problems[mark:])
        found.touched = ctx.touched | fins
        found.local = tuple(sorted(workspaces.local_names(ctx)))
    return found


def _scan(
    path: str,
    finishers: bool,
    fresh: bool,
    chosen: Detectors,
    ctx: Context,
    found: Found,
    store: Cache | None,
) -> None:
    """One file, as ``detect._scan_file`` does it, its parts kept apart."""
    key = ctx.tree.content_key(path) if store is not None and fresh else None
    hit = store.get(path, key) if store is not None and fresh else None
    run = chosen.run(ctx)
    name = base.basename(path)
    fins, pures, both = run.offered(path, name)
    pure = fresh and hit is None
    asked = (both if pure else fins) if finishers else (pures if pure else ())
    wanted = detect.wanted_by(asked, path, name, ctx)
    early: list[Component] = []  # what an unreadable file's name alone tells
    mark = len(ctx.problems)
    data, wanted = detect.read_wanted(path, wanted, ctx, early)
    if data is None:
        found.unreadable.add(path)
    content = data if data is not None else b""
    head: list[Component] = list(early) if finishers else []
    for detector, _need in wanted:
        if run.is_finisher(detector):
            head.extend(detector.scan(path, content, ctx))
    if finishers and (head or ctx.problems[mark:]):
        found.fin[path] = _part(head, ctx.problems[mark:])
    if finishers:
        mark = len(ctx.problems)  # an unreadable file's warning went to the finishers' part
    if hit is not None:
        if hit.components or hit.problems:
            found.pure[path] = _part(
                hit.components, [DetectProblem(path, line, text) for line, text in hit.problems]
            )
        return
    start = len(ctx.problems)
    fresh_found: list[Component] = [] if finishers else list(early)
    for detector, _need in wanted:
        if not run.is_finisher(detector):
            fresh_found.extend(detector.scan(path, content, ctx))
    if fresh and (fresh_found or ctx.problems[mark:]):
        found.pure[path] = _part(fresh_found, ctx.problems[mark:])
    if store is not None and fresh and data is not None:
        mine = tuple((p.line, p.text) for p in ctx.problems[start:] if p.path == path)
        store.put(path, key, FileResult(tuple(fresh_found), mine))


def as_part(components: Iterable[Component], problems: Iterable[DetectProblem]) -> Part:
    """A composed result, to keep."""
    return _part(components, problems)


def from_part(part: Part) -> tuple[tuple[Component, ...], tuple[DetectProblem, ...]]:
    components, problems = _unpart(part)
    return components, tuple(problems)


def compose(
    pure: dict[str, Part],
    fin: dict[str, Part],
    finish: Part,
    local: Iterable[tuple[str, str]],
    catalogue: Catalogue,
    tree: Tree,
) -> tuple[tuple[Component, ...], tuple[DetectProblem, ...]]:
    """The parts in the order a whole run finds them, resolved (``local``: the packages
    the repository defines) and merged as ``detect.detect`` does."""
    components: list[Component] = []
    problems: list[DetectProblem] = []
    for path in sorted(pure.keys() | fin.keys()):
        for part in (fin.get(path), pure.get(path)):
            if part is not None:
                comps, probs = _unpart(part)
                components.extend(comps)
                problems.extend(probs)
    comps, probs = _unpart(finish)
    components.extend(comps)
    problems.extend(probs)
    ctx = Context(tree=tree, files=(), catalogue=catalogue)
    ctx.state[workspaces.STATE] = set(local)
    components = resolve(ctx, components)
    first = {p.path: p for p in reversed(problems)}
    ordered = sorted(first.values(), key=lambda p: (p.path, p.line or 0, p.text.en))
    return detect.merge(components), tuple(ordered)
