"""CSV: one row per repository or error, one column per aspect, RFC 4180 quoting; and the
component inventory as a second CSV (one row per component and repository)."""

from __future__ import annotations

import csv
import io

from kigate.aggregate.model import Aggregate, RepoRow

COLUMNS = (
    "source",
    "kind",
    "status",
    "reason",
    "repository",
    "name",
    "system_name",
    "owner",
    "risk_class",
    "link",
    "branch",
    "commit",
    "policy",
    "policy_version",
    "ai_detected",
    "manifests",
    "aspects_covered",
    "aspects_total",
    "errors",
    "warnings",
    "notes",
    "last_reviewed",
    "review_overdue",
    "score",
    "duplicate_of",
    "components",
)
INVENTORY_COLUMNS = ("component", "category", "scope", "repository", "link")


def inert(text: str) -> str:
    """A spreadsheet must not take a repository name for a formula (CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _components(row: RepoRow) -> str:
    # one cell a spreadsheet filter can search: "id (category, scope); …"
    return "; ".join(f"{c.id} ({c.category}, {c.scope})" for c in row.component_refs)


def _cells(row: RepoRow, duplicate_of: str | None) -> list[object]:
    return [
        inert(row.source), row.kind, "ok", "", inert(row.repository), inert(row.name),
        inert(row.system_name or ""), inert(row.owner or ""), row.risk_class or "",
        row.link or "", inert(row.branch or ""), row.commit or "", inert(row.policy_id),
        inert(row.policy_version), _flag(row.ai_detected), row.manifests, row.aspects_covered,
        row.aspects_total, row.errors, row.warnings, row.notes, row.last_reviewed or "",
        _flag(row.overdue), row.score, inert(duplicate_of or ""), inert(_components(row)),
    ]  # fmt: skip


def render(aggregate: Aggregate, lang: str) -> str:
    aspect_ids = [a.id for a in aggregate.aspects]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([*COLUMNS, *(f"aspect:{a}" for a in aspect_ids)])
    for row in aggregate.rows:
        statuses = [row.status(a) or "" for a in aspect_ids]
        writer.writerow([*_cells(row, aggregate.duplicate_of(row)), *statuses])
    for error in aggregate.errors:
        blanks = [""] * (len(COLUMNS) - 4 + len(aspect_ids))
        writer.writerow(
            [inert(error.source), error.kind, "error", inert(error.reason(lang)), *blanks]
        )
    return out.getvalue()


def render_inventory(aggregate: Aggregate, lang: str) -> str:
    """Which repositories use which component, and in which scope (``--inventory FILE``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(INVENTORY_COLUMNS)
    for entry in aggregate.inventory():
        for name, scope, link in entry.uses:
            writer.writerow(
                [inert(entry.id), inert(entry.category), scope, inert(name), link or ""]
            )
    return out.getvalue()
