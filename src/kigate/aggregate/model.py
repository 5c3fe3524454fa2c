"""Frozen rows of the governance view: one per repository or report, plus error rows."""

from __future__ import annotations

from dataclasses import dataclass

from kigate.model import Text

# Aspect statuses in the order "worst first"; "none" means the repository has no such aspect.
STATUSES = ("missing", "partial", "covered", "not_applicable")
OVERDUE_RULE = "KG130"
MAX_FINDINGS = 1000  # per repository in the dashboard; the counts always cover all
# EU AI Act risk classes, highest first: the order a governance team works through them.
RISK_CLASSES = ("unacceptable", "high", "limited", "minimal")


def risk_rank(risk_class: str | None) -> int:
    """0 for the highest class; a repository that names none comes after every class."""
    return RISK_CLASSES.index(risk_class) if risk_class in RISK_CLASSES else len(RISK_CLASSES)


@dataclass(frozen=True)
class FindingRow:
    rule: str
    severity: str
    message: str
    path: str | None
    line: int | None
    waived: bool


@dataclass(frozen=True)
class ComponentRef:
    """A component as the organisation's inventory lists it."""

    id: str
    category: str
    scope: str  # "product" or "development"


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
    # Who answers for the system, from its manifests ([system]); None where none says.
    system_name: str | None = None
    owner: str | None = None
    risk_class: str | None = None
    policy_version: str = ""
    link: str | None = None  # the repository's web page (https), only for a known host
    component_refs: tuple[ComponentRef, ...] = ()

    def status(self, aspect: str) -> str | None:
        return dict(self.aspects).get(aspect)

    @property
    def has_manifest(self) -> bool:
        return self.manifests > 0

    @property
    def sort_key(self) -> tuple[int, int, int, int, str, str]:
        """High-risk systems first, then the lowest score, the most findings."""
        rank = risk_rank(self.risk_class)
        return (rank, self.score, -self.errors, -self.warnings, self.name, self.source)


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
        """Repositories that answer it, as each report counts coverage: only a missing
        answer is a gap (partial answers are told apart in ``counts``)."""
        counts = dict(self.counts)
        return sum(n for status, n in counts.items() if status != "missing")

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass(frozen=True)
class InventoryEntry:
    """One component and the repositories that use it, with the scope in each."""

    id: str
    category: str
    uses: tuple[tuple[str, str, str | None], ...]  # (repository name, scope, link)

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(sorted({scope for _name, scope, _link in self.uses}))


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
    def without_ai(self) -> tuple[RepoRow, ...]:
        return tuple(r for r in self.counted if not r.ai_detected)

    @property
    def mean_score(self) -> int | None:
        """Over the repositories that use AI: one without AI has nothing to answer for, and
        counting it at 100 would flatter the organisation."""
        rows = self.with_ai
        return round(sum(r.score for r in rows) / len(rows)) if rows else None

    @property
    def coverage_percent(self) -> int | None:
        """Covered aspects of all counted repositories, as the history's trend counts them."""
        total = sum(r.aspects_total for r in self.counted)
        covered = sum(r.aspects_covered for r in self.counted)
        return round(100 * covered / total) if total else None

    def inventory(self) -> tuple[InventoryEntry, ...]:
        """Component -> repositories (counted rows), sorted by component id."""
        uses: dict[str, list[tuple[str, str, str | None]]] = {}
        categories: dict[str, str] = {}
        for row in self.counted:
            for ref in row.component_refs:
                uses.setdefault(ref.id, []).append((row.name, ref.scope, row.link))
                categories.setdefault(ref.id, ref.category)
        return tuple(
            InventoryEntry(cid, categories[cid], tuple(sorted(set(found))))
            for cid, found in sorted(uses.items())
        )

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
