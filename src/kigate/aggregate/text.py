"""The terminal table: one row per repository, worst first, then the totals."""

from __future__ import annotations

import unicodedata

from kigate import i18n
from kigate.aggregate.model import Aggregate, ErrorRow, InventoryEntry, RepoRow


def clean(text: str) -> str:
    """Names reach a terminal: control characters (newlines, escape sequences) are shown
    as escapes, so a repository name can neither break a row nor recolour the screen."""
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def yes_no(value: bool, lang: str) -> str:
    return i18n.t("aggregate.yes" if value else "aggregate.no")(lang)


def risk_word(risk_class: str | None, lang: str) -> str:
    return i18n.t(f"governance.risk.{risk_class or 'none'}")(lang)


def policy_label(row: RepoRow) -> str:
    return f"{row.policy_id} {row.policy_version}".strip()


def _cells(row: RepoRow, lang: str) -> list[str]:
    return [
        clean(row.name),
        clean(row.system_name or "-"),
        clean(row.owner or "-"),
        risk_word(row.risk_class, lang),
        yes_no(row.ai_detected, lang),
        yes_no(row.has_manifest, lang),
        f"{row.aspects_covered}/{row.aspects_total}",
        str(row.errors),
        str(row.warnings),
        row.last_reviewed or "-",
        str(row.score),
        clean(policy_label(row)),
        (row.commit or "-")[:12],
        clean(row.branch or "-"),
        row.link or "-",
        clean(row.source),
    ]


def uses_line(entry: InventoryEntry, lang: str) -> str:
    """``name (scope), …`` of one component's repositories."""
    return ", ".join(
        f"{name} ({i18n.t(f'governance.scope.{scope}')(lang)})" for name, scope, _link in entry.uses
    )


def inventory_lines(aggregate: Aggregate, lang: str) -> list[str]:
    entries = aggregate.inventory()
    if not entries:
        return []
    lines = ["", i18n.t("governance.inventory")(lang)]
    for entry in entries:
        lines.append(
            f"  {clean(entry.id)} ({clean(entry.category)}): {clean(uses_line(entry, lang))}"
        )
    return lines


def _error_line(error: ErrorRow, lang: str) -> str:
    return (
        clean(f"{error.source}: ")
        + i18n.t("aggregate.error_row")(lang)
        + ": "
        + clean(error.reason(lang))
    )


def totals(aggregate: Aggregate, lang: str) -> str:
    text = i18n.t(
        "aggregate.totals",
        repos=i18n.plural(len(aggregate.counted), "aggregate.repositories")(lang),
        ai=len(aggregate.with_ai),
        no_ai=len(aggregate.without_ai),
        manifest=len(aggregate.with_manifest),
        without=len(aggregate.without_manifest),
        overdue=len(aggregate.overdue),
        score="-" if aggregate.mean_score is None else aggregate.mean_score,
    )(lang)
    if aggregate.duplicates:
        text += "; " + i18n.plural(len(aggregate.duplicates), "aggregate.duplicates")(lang)
    if aggregate.errors:
        text += "; " + i18n.plural(len(aggregate.errors), "aggregate.unreadable_sources")(lang)
    return text


def render(aggregate: Aggregate, lang: str) -> str:
    headers = [i18n.t(f"aggregate.column.{c}")(lang) for c in COLUMNS]
    body = [_cells(row, lang) for row in aggregate.rows]
    widths = [max(len(r[i]) for r in [headers, *body]) for i in range(len(headers))]
    lines = []
    for cells in [headers, *body]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    notes = [_error_line(e, lang) for e in aggregate.errors]
    for duplicate in aggregate.duplicates:
        notes.append(
            i18n.t(
                "aggregate.duplicate", source=clean(duplicate.source), kept=clean(duplicate.kept)
            )(lang)
        )
    if notes:
        lines += ["", *notes]
    lines += inventory_lines(aggregate, lang)
    lines.append("")
    lines.append(totals(aggregate, lang))
    return "\n".join(lines) + "\n"


COLUMNS = (
    "repository", "system", "owner", "risk", "ai", "manifest", "aspects", "errors", "warnings",
    "reviewed", "score", "policy", "commit", "branch", "link", "source",
)  # fmt: skip
