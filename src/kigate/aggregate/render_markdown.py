"""Markdown for a governance wiki page or an issue: totals, rows, weak spots."""

from __future__ import annotations

import html

from kigate import i18n
from kigate.aggregate.model import Aggregate, RepoRow
from kigate.aggregate.text import COLUMNS, totals, yes_no


def cell(text: str) -> str:
    """Text inside a table cell: HTML escaped, pipes and line breaks neutralised."""
    escaped = html.escape(text, quote=False).replace("|", "\\|")
    escaped = escaped.replace("`", "\\`").replace("[", "\\[").replace("]", "\\]")
    return " ".join(escaped.split())


def _row(row: RepoRow, lang: str) -> str:
    cells = [
        cell(row.name),
        yes_no(row.ai_detected, lang),
        yes_no(row.has_manifest, lang),
        f"{row.aspects_covered}/{row.aspects_total}",
        str(row.errors),
        str(row.warnings),
        row.last_reviewed or "–",
        str(row.score),
        cell(row.source),
    ]
    return "| " + " | ".join(cells) + " |"


def _names(rows: tuple[RepoRow, ...]) -> str:
    return ", ".join(cell(r.name) for r in rows)


def render(aggregate: Aggregate, lang: str) -> str:
    def t(key: str, **params: object) -> str:
        return i18n.t(key, **params)(lang)

    headers = [t(f"aggregate.column.{c}") for c in COLUMNS]
    lines = [f"# {t('aggregate.title')}", "", totals(aggregate, lang), ""]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append(
        "|" + "|".join(["---", ":-:", ":-:", "--:", "--:", "--:", ":-:", "--:", "---"]) + "|"
    )
    lines.extend(_row(r, lang) for r in aggregate.rows)
    weakest = aggregate.weakest()
    if weakest:
        lines += ["", f"## {t('aggregate.weakest')}", ""]
        for coverage in weakest:
            lines.append(
                f"- {cell(coverage.title(lang))} (`{coverage.id}`): "
                + t("aggregate.aspect_line", done=coverage.done, total=coverage.total,
                    percent=coverage.percent)
            )  # fmt: skip
    for key, rows in (
        ("aggregate.without_manifest", aggregate.without_manifest),
        ("aggregate.overdue", aggregate.overdue),
    ):
        if rows:
            lines += ["", f"## {t(key)}", "", _names(rows)]
    if aggregate.errors:
        lines += ["", f"## {t('aggregate.errors_heading')}", ""]
        lines.extend(f"- {cell(e.source)}: {cell(e.reason(lang))}" for e in aggregate.errors)
    return "\n".join(lines) + "\n"
