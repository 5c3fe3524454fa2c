"""Frozen rows of the governance view: one per repository or report, plus error rows."""

from __future__ import annotations

from dataclasses import dataclass

from kigate.model import Text

# Aspect statuses in the order "worst first"; "none" means the repository has no such aspect.
STATUSES = ("missing", "partial", "covered", "not_applicable")
OVERDUE_RULE = "KG130"
MAX_FINDINGS = 1000  # per repository in the dashboard; the counts always cover all


@dataclass(frozen=True)
class FindingRow:
    rule: str
    severity: str
    message: str
    path: str | None
    line: int | None
    waived: bool


@dataclass(frozen=True)
class RepoRow:
    """What the governance view keeps of one repository's report."""

    source: str  # as the user named it
    kind: str  # "repository" (checked now) or "report" (a JSON report file)
    name: str
    repository: str  # identity across runs: remote URL, else the directory name
    branch: str | None
    commit: str | None
    generated_at: str
    policy_id: str
    ai_detected: bool
    components: int
    manifests: int
    errors: int
    warnings: int
    notes: int
    aspects_total: int
    aspects_covered: int
    score: int
    aspects: tuple[tuple[str, str], ...]  # (aspect id, status)
    last_reviewed: str | None  # the oldest review date of the repository's manifests
    overdue: bool
    findings: tuple[FindingRow, ...]
    findings_total: int

    def status(self, aspect: str) -> str | None:
        return dict(self.aspects).get(aspect)

    @property
    def has_manifest(self) -> bool:
        return self.manifests > 0

    @property
    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (self.score, -self.errors, -self.warnings, self.name, self.source)


@dataclass(frozen=True)
class ErrorRow:
    """A source that could not be read or checked: listed, never dropped."""

    source: str
    kind: str  # "repository", "report", "list" or "path"
    reason: Text


@dataclass(frozen=True)
class AspectColumn:
    id: str
    title: Text


@dataclass(frozen=True)
class AspectCoverage:
    id: str
    title: Text
    counts: tuple[tuple[str, int], ...]  # status -> repositories, in STATUSES order
    total: int  # repositories that answer for this aspect

    @property
    def done(self) -> int:
        counts = dict(self.counts)
        return counts.get("covered", 0) + counts.get("not_applicable", 0)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass(frozen=True)
class Duplicate:
    source: str
    kept: str  # the source whose row was kept (the newer report)


@dataclass(frozen=True)
class Aggregate:
    tool_version: str
    generated_at: str
    aspects: tuple[AspectColumn, ...]
    rows: tuple[RepoRow, ...]  # one per source read, sorted worst first
    errors: tuple[ErrorRow, ...]
    # Older reports of a repository+commit that another row also shows: listed, not counted.
    duplicates: tuple[Duplicate, ...] = ()

    @property
    def counted(self) -> tuple[RepoRow, ...]:
        """The rows that make up the organisation's figures: each repository+commit once."""
        dropped = {d.source for d in self.duplicates}
        return tuple(r for r in self.rows if r.source not in dropped)

    def duplicate_of(self, row: RepoRow) -> str | None:
        return next((d.kept for d in self.duplicates if d.source == row.source), None)

    @property
    def with_ai(self) -> tuple[RepoRow, ...]:
        return tuple(r for r in self.counted if r.ai_detected)

    @property
    def with_manifest(self) -> tuple[RepoRow, ...]:
        return tuple(r for r in self.counted if r.has_manifest)

    @property
    def without_manifest(self) -> tuple[RepoRow, ...]:
        return tuple(r for r in self.counted if r.ai_detected and not r.has_manifest)

    @property
    def overdue(self) -> tuple[RepoRow, ...]:
        return tuple(r for r in self.counted if r.overdue)

    @property
    def mean_score(self) -> int | None:
        rows = self.counted
        return round(sum(r.score for r in rows) / len(rows)) if rows else None

    def coverage(self) -> tuple[AspectCoverage, ...]:
        """Organisation-wide coverage per aspect, over the repositories that have it."""
        result = []
        for column in self.aspects:
            found = [r.status(column.id) for r in self.counted]
            statuses = [s for s in found if s is not None]
            counts = tuple((s, statuses.count(s)) for s in STATUSES)
            result.append(AspectCoverage(column.id, column.title, counts, len(statuses)))
        return tuple(result)

    def weakest(self) -> tuple[AspectCoverage, ...]:
        answered = [c for c in self.coverage() if c.total]
        return tuple(sorted(answered, key=lambda c: (c.percent, c.id)))
