"""Detection: every signal family is one module with one Detector; the list is explicit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kigate.detect.catalogue import Catalogue
from kigate.model import Component, Evidence, Scope, Text
from kigate.repo import Tree


@dataclass(frozen=True)
class DetectProblem:
    """A file that might reveal AI but could not be read or parsed: a warning, never a crash."""

    path: str
    line: int | None
    text: Text


@dataclass
class Context:
    tree: Tree
    files: Sequence[str]
    catalogue: Catalogue
    problems: list[DetectProblem] = field(default_factory=list)

    def problem(self, path: str, text: Text, line: int | None = None) -> None:
        self.problems.append(DetectProblem(path, line, text))


class Detector(Protocol):
    name: str

    def detect(self, ctx: Context) -> Iterable[Component]: ...


def _detectors() -> tuple[Detector, ...]:
    from kigate.detect import python_deps

    return (python_deps.DETECTOR,)


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
        )
        for c in sorted(by_id.values(), key=lambda c: c.id)
    )


def _evidence_key(e: Evidence) -> tuple[str, int, str, str]:
    return (e.path, e.line or 0, e.family, e.match)


def detect(
    tree: Tree, catalogue: Catalogue, detectors: Sequence[Detector] | None = None
) -> tuple[tuple[Component, ...], tuple[DetectProblem, ...]]:
    """All AI components in ``tree`` and the files that could not be examined."""
    ctx = Context(tree=tree, files=tree.files(), catalogue=catalogue)
    found: list[Component] = []
    for detector in detectors if detectors is not None else _detectors():
        found.extend(detector.detect(ctx))
    return merge(found), tuple(ctx.problems)
