"""CSV: one row per repository or error, one column per aspect, RFC 4180 quoting."""

from __future__ import annotations

import csv
import io

from kigate.aggregate.model import Aggregate

COLUMNS = (
    "source",
    "kind",
    "status",
    "reason",
    "repository",
    "name",
    "branch",
    "commit",
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
)


def inert(text: str) -> str:
    """A spreadsheet must not take a repository name for a formula (CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _flag(value: bool) -> str:
    return "true" if value else "false"


def render(aggregate: Aggregate, lang: str) -> str:
    aspect_ids = [a.id for a in aggregate.aspects]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([*COLUMNS, *(f"aspect:{a}" for a in aspect_ids)])
    for row in aggregate.rows:
        writer.writerow(
            [
                inert(row.source), row.kind, "ok", "", inert(row.repository), inert(row.name),
                inert(row.branch or ""), row.commit or "", _flag(row.ai_detected), row.manifests,
                row.aspects_covered, row.aspects_total, row.errors, row.warnings, row.notes,
                row.last_reviewed or "", _flag(row.overdue), row.score,
                inert(aggregate.duplicate_of(row) or ""),
                *(row.status(a) or "" for a in aspect_ids),
            ]
        )  # fmt: skip
    for error in aggregate.errors:
        blanks = [""] * (len(COLUMNS) - 4 + len(aspect_ids))
        writer.writerow(
            [inert(error.source), error.kind, "error", inert(error.reason(lang)), *blanks]
        )
    return out.getvalue()
