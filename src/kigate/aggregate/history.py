"""Coverage over time, per repository and for the organisation, from the history database."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from kigate import i18n
from kigate.aggregate.store import Point
from kigate.aggregate.text import clean


@dataclass(frozen=True)
class OrgPoint:
    """The organisation after a run: each repository's latest point up to that run."""

    at: str
    repositories: int
    aspects_total: int
    aspects_covered: int
    mean_score: int | None  # over the repositories that use AI, as the tiles count it
    with_ai: int = 0
    aspects: tuple[tuple[str, int], ...] = ()  # aspect -> percent of repositories covering it

    @property
    def percent(self) -> int:
        if not self.aspects_total:
            return 100
        return round(100 * self.aspects_covered / self.aspects_total)

    def aspect_percent(self, aspect: str) -> int | None:
        return dict(self.aspects).get(aspect)


def percent(point: Point) -> int:
    return round(100 * point.aspects_covered / point.aspects_total) if point.aspects_total else 100


def _per_aspect(current: list[Point]) -> tuple[tuple[str, int], ...]:
    answered: dict[str, list[bool]] = {}
    for point in current:
        for aspect, status in point.aspects:
            # answered, as the reports count coverage: only a missing answer is a gap
            answered.setdefault(aspect, []).append(status != "missing")
    return tuple(
        (aspect, round(100 * sum(done) / len(done))) for aspect, done in sorted(answered.items())
    )


def _org_point(at: str, current: list[Point]) -> OrgPoint:
    with_ai = [p for p in current if p.ai_detected]
    return OrgPoint(
        at=at,
        repositories=len(current),
        aspects_total=sum(p.aspects_total for p in current),
        aspects_covered=sum(p.aspects_covered for p in current),
        mean_score=round(sum(p.score for p in with_ai) / len(with_ai)) if with_ai else None,
        with_ai=len(with_ai),
        aspects=_per_aspect(current),
    )


def organisation(
    points: tuple[Point, ...], population: frozenset[str] | None = None
) -> tuple[OrgPoint, ...]:
    """One point per run; with ``population`` only those repositories count, so a trend
    beside this run's figures shows the same repositories (not ones the history keeps from
    earlier runs)."""
    if population is not None:
        points = tuple(p for p in points if p.repository in population)
    latest: dict[str, Point] = {}
    result: list[OrgPoint] = []
    for index, point in enumerate(points):
        latest[point.repository] = point
        following = points[index + 1].run if index + 1 < len(points) else None
        if following == point.run:
            continue  # one organisation point per run, after all its repositories
        result.append(_org_point(point.first_seen, list(latest.values())))
    return tuple(result)


def by_repository(points: tuple[Point, ...]) -> dict[str, list[Point]]:
    grouped: dict[str, list[Point]] = {}
    for point in points:
        grouped.setdefault(point.repository, []).append(point)
    return dict(sorted(grouped.items()))


def render_text(points: tuple[Point, ...], lang: str) -> str:
    if not points:
        return i18n.t("history.empty")(lang) + "\n"
    lines = [i18n.t("history.organisation")(lang)]
    for org in organisation(points):
        lines.append(
            "  "
            + i18n.t(
                "history.org_line",
                at=org.at,
                percent=org.percent,
                covered=org.aspects_covered,
                total=org.aspects_total,
                score="-" if org.mean_score is None else org.mean_score,
                ai=org.with_ai,
                n=org.repositories,
            )(lang)
        )
    for repository, series in by_repository(points).items():
        lines.append("")
        lines.append(clean(repository))
        for point in series:
            lines.append(
                "  "
                + i18n.t(
                    "history.repo_line",
                    at=point.first_seen,
                    commit=point.commit[:12] or "-",
                    covered=point.aspects_covered,
                    total=point.aspects_total,
                    score=point.score,
                )(lang)
            )
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "scope",
    "repository",
    "name",
    "commit",
    "branch",
    "at",
    "aspects_covered",
    "aspects_total",
    "coverage_percent",
    "score",
)


def render_csv(points: tuple[Point, ...]) -> str:
    from kigate.aggregate.render_csv import inert

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for org in organisation(points):
        writer.writerow(
            ("organisation", "", "", "", "", org.at, org.aspects_covered, org.aspects_total,
             org.percent, "" if org.mean_score is None else org.mean_score)
        )  # fmt: skip
    for point in points:
        writer.writerow(
            ("repository", inert(point.repository), inert(point.name), point.commit,
             inert(point.branch or ""), point.first_seen, point.aspects_covered,
             point.aspects_total, percent(point), point.score)
        )  # fmt: skip
    return out.getvalue()
