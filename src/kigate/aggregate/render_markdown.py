"""Markdown for a governance wiki page or an issue: totals, rows, weak spots, inventory."""

from __future__ import annotations

import html

from kigate import i18n
from kigate.aggregate.model import Aggregate, RepoRow
from kigate.aggregate.text import COLUMNS, policy_label, risk_word, totals, uses_line, yes_no

ALIGN = {
    "ai": ":-:", "manifest": ":-:", "aspects": "--:", "errors": "--:", "warnings": "--:",
    "reviewed": ":-:", "score": "--:",
}  # fmt: skip


# the name carries the link; the components follow the commit
COLUMNS_MD = (*(c for c in COLUMNS if c not in ("link", "source")), "components", "source")


def cell(text: str) -> str:
    """Text inside a table cell: HTML escaped, pipes and line breaks neutralised."""
    escaped = html.escape(text, quote=False).replace("|", "\\|")
    escaped = escaped.replace("`", "\\`").replace("[", "\\[").replace("]", "\\]")
    return " ".join(escaped.split())


def _name(row: RepoRow) -> str:
    # web_link admits only https URLs of a plain character set: safe inside <...>
    return f"[{cell(row.name)}](<{row.link}>)" if row.link else cell(row.name)


def _row(row: RepoRow, lang: str) -> str:
    cells = [
        _name(row),
        cell(row.system_name or "–"),
        cell(row.owner or "–"),
        risk_word(row.risk_class, lang),
        yes_no(row.ai_detected, lang),
        yes_no(row.has_manifest, lang),
        f"{row.aspects_covered}/{row.aspects_total}",
        str(row.errors),
        str(row.warnings),
        row.last_reviewed or "–",
        str(row.score),
        cell(policy_label(row)),
        f"`{row.commit[:12]}`" if row.commit else "–",
        cell(row.branch or "–"),
        ", ".join(f"`{cell(c.id)}`" for c in row.component_refs) or "–",
        cell(row.source),
    ]
    return "| " + " | ".join(cells) + " |"


def _names(rows: tuple[RepoRow, ...]) -> str:
    return ", ".join(cell(r.name) for r in rows)


def _inventory(aggregate: Aggregate, lang: str) -> list[str]:
    entries = aggregate.inventory()
    if not entries:
        return []
    t = i18n.t
    lines = ["", f"## {t('governance.inventory')(lang)}", ""]
    lines.append(
        f"| {t('governance.component')(lang)} | {t('governance.category')(lang)} "
        f"| {t('governance.used_in')(lang)} |"
    )
    lines.append("|---|---|---|")
    for entry in entries:
        lines.append(
            f"| `{cell(entry.id)}` | {cell(entry.category)} | {cell(uses_line(entry, lang))} |"
        )
    return lines


def render(aggregate: Aggregate, lang: str) -> str:
    def t(key: str, **params: object) -> str:
        return i18n.t(key, **params)(lang)

    lines = [f"# {t('aggregate.title')}", "", totals(aggregate, lang), ""]
    lines.append("| " + " | ".join(t(f"aggregate.column.{c}") for c in COLUMNS_MD) + " |")
    lines.append("|" + "|".join(ALIGN.get(c, "---") for c in COLUMNS_MD) + "|")
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
        ("governance.without_ai", aggregate.without_ai),
    ):
        if rows:
            lines += ["", f"## {t(key)}", "", _names(rows)]
    lines += _inventory(aggregate, lang)
    if aggregate.errors:
        lines += ["", f"## {t('aggregate.errors_heading')}", ""]
        lines.extend(f"- {cell(e.source)}: {cell(e.reason(lang))}" for e in aggregate.errors)
    return "\n".join(lines) + "\n"
