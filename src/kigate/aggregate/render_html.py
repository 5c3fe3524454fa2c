"""The HTML dashboard: one self-contained file (inline CSS and JS, no network), rendered by
jinja2 with autoescaping. A Content-Security-Policy admits only our own script and style,
by hash, as a second wall behind the escaping.

Everything the page can sort or filter by is in the rows' ``data-`` attributes, so the
script only reads what the server wrote (never builds markup from data)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

from kigate import i18n, shipped
from kigate.aggregate import charts
from kigate.aggregate.history import OrgPoint
from kigate.aggregate.model import STATUSES, Aggregate, FindingRow, RepoRow, risk_rank
from kigate.aggregate.text import policy_label, risk_word, uses_line, yes_no
from kigate.errors import UsageError

SYMBOLS = {"covered": "●", "partial": "◐", "missing": "○", "not_applicable": "–", "none": "·"}
LABELS = (
    "title", "generated", "summary", "trend", "date", "coverage", "mean_score", "repositories",
    "heatmap", "repository", "weakest", "nothing", "without_manifest", "overdue", "reviewed",
    "findings", "show_findings", "waived", "errors_heading", "filter_text", "filter_risk",
    "filter_owner", "filter_aspect", "filter_status", "filter_component", "any", "shown",
    "inventory", "inventory_filter", "component", "category", "scope", "used_in", "without_ai",
    "mean_note", "sort_hint", "trend_overall", "trend_aspects", "percent_axis", "with_ai",
    "show_all",
)  # fmt: skip
# Rows a browser lays out at first: beyond this the table shows the worst (high-risk) rows
# and a button reveals the rest; sorting and filtering always consider every row.
PAGE = 500
# (column key, data type for sorting); the header words come from the catalogue
COLUMNS = (
    ("repository", "text"), ("system", "text"), ("owner", "text"), ("risk", "number"),
    ("ai", "text"), ("manifest", "text"), ("aspects", "number"), ("errors", "number"),
    ("warnings", "number"), ("reviewed", "text"), ("score", "number"), ("policy", "text"),
    ("commit", "text"), ("branch", "text"), ("components", "text"), ("source", "text"),
)  # fmt: skip


def _asset(name: str) -> str:
    return (shipped.package_folder("aggregate") / "templates" / name).read_text("utf-8")


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _finding(f: FindingRow, lang: str) -> dict[str, Any]:
    where = f.path or "."
    if f.path and f.line:
        where = f"{f.path}:{f.line}"
    return {
        "where": where,
        "rule": f.rule,
        "severity": f.severity,
        "severity_word": i18n.t(f"severity.{f.severity}")(lang),
        "message": f.message,
        "waived": f.waived,
    }


def _row(row: RepoRow, lang: str, duplicate_of: str | None) -> dict[str, Any]:
    more = row.findings_total - len(row.findings)
    return {
        "duplicate": (
            i18n.t("dashboard.duplicate", kept=duplicate_of)(lang) if duplicate_of else ""
        ),
        "name": row.name,
        "link": row.link,
        "system": row.system_name or "–",
        "owner": row.owner or "–",
        "owner_key": row.owner or "",
        "risk": risk_word(row.risk_class, lang),
        "risk_key": row.risk_class or "none",
        "risk_rank": risk_rank(row.risk_class),
        "branch": row.branch,
        "ai": yes_no(row.ai_detected, lang),
        "manifest": yes_no(row.has_manifest, lang),
        "aspects": f"{row.aspects_covered}/{row.aspects_total}",
        "aspects_sort": row.aspects_covered / row.aspects_total if row.aspects_total else 1,
        "errors": row.errors,
        "warnings": row.warnings,
        "reviewed": row.last_reviewed or "–",
        "score": row.score,
        "policy": policy_label(row),
        "commit": (row.commit or "")[:12] or "–",
        "components": [c.id for c in row.component_refs],
        "statuses": " ".join(f"{aspect}={status}" for aspect, status in row.aspects),
        "source": row.source,
        "findings": [_finding(f, lang) for f in row.findings],
        "findings_total": row.findings_total,
        "more": i18n.t("dashboard.more_findings", n=more)(lang) if more > 0 else "",
    }


def _trend_charts(
    points: tuple[OrgPoint, ...], aggregate: Aggregate, lang: str
) -> list[charts.Chart]:
    if not points:
        return []

    def t(key: str) -> str:
        return i18n.t(key)(lang)

    dates = [p.at for p in points]
    axes = (t("dashboard.date"), t("dashboard.percent_axis"))
    overall = charts.chart(
        "trend",
        t("dashboard.trend_overall"),
        axes,
        dates,
        [
            ("coverage", t("dashboard.coverage"), [p.percent for p in points]),
            ("score", t("dashboard.mean_score"), [p.mean_score for p in points]),
        ],
    )
    per_aspect = [
        charts.chart(
            f"trend-{column.id}",
            column.title(lang),
            (axes[0], t("dashboard.aspect_axis")),
            dates,
            [("coverage", column.title(lang), [p.aspect_percent(column.id) for p in points])],
            charts.SMALL,
        )
        for column in aggregate.aspects
    ]
    return [overall, *[c for c in per_aspect if any(s.dots for s in c.series)]]


def _totals(aggregate: Aggregate, lang: str) -> list[tuple[str, Any, str]]:
    def shown(value: int | None, unit: str = "") -> str:
        return "–" if value is None else f"{value}{unit}"

    values = (
        ("repositories", len(aggregate.counted)),
        ("with_ai", len(aggregate.with_ai)),
        ("without_ai", len(aggregate.without_ai)),
        ("with_manifest", len(aggregate.with_manifest)),
        ("without_manifest", len(aggregate.without_manifest)),
        ("overdue", len(aggregate.overdue)),
        ("errors", sum(r.errors for r in aggregate.counted)),
        ("warnings", sum(r.warnings for r in aggregate.counted)),
        ("coverage", shown(aggregate.coverage_percent, " %")),
        ("mean_score", shown(aggregate.mean_score)),
        ("unreadable", len(aggregate.errors)),
    )
    return [(i18n.t(f"dashboard.total.{key}")(lang), value, key) for key, value in values]


def _filters(aggregate: Aggregate, lang: str) -> dict[str, Any]:
    rows = aggregate.rows
    risks = sorted({r.risk_class or "none" for r in rows}, key=risk_rank)
    return {
        "risks": [(k, i18n.t(f"governance.risk.{k}")(lang)) for k in risks],
        "owners": sorted({r.owner for r in rows if r.owner}),
        "components": sorted({c.id for r in rows for c in r.component_refs}),
        "statuses": [(s, i18n.t(f"dashboard.status.{s}")(lang)) for s in STATUSES],
    }


def context(aggregate: Aggregate, lang: str, trend: tuple[OrgPoint, ...] = ()) -> dict[str, Any]:
    status_word = {s: i18n.t(f"dashboard.status.{s}")(lang) for s in (*STATUSES, "none")}
    with_aspects = [r for r in aggregate.counted if r.aspects]
    heat_more = ""
    if len(with_aspects) > PAGE:
        heat_more = i18n.t("dashboard.heatmap_first", shown=PAGE, total=len(with_aspects))(lang)
    return {
        "page": PAGE,
        "heat_more": heat_more,
        "lang": lang,
        "a": aggregate,
        "L": {key: i18n.t(f"dashboard.{key}")(lang) for key in LABELS},
        "totals": _totals(aggregate, lang),
        "trend_rows": trend,
        "charts": _trend_charts(trend, aggregate, lang),
        "symbols": SYMBOLS,
        "legend": list(status_word.items()),
        "columns": [{"id": c.id, "title": c.title(lang)} for c in aggregate.aspects],
        "heat_rows": [
            {
                "name": r.name,
                "cells": [
                    (r.status(c.id) or "none", status_word[r.status(c.id) or "none"])
                    for c in aggregate.aspects
                ],
            }
            for r in with_aspects[:PAGE]
        ],
        "weakest": [
            {
                "title": c.title(lang),
                "percent": c.percent,
                "detail": i18n.t(
                    "aggregate.aspect_line", done=c.done, total=c.total, percent=c.percent
                )(lang),
            }
            for c in aggregate.weakest()
        ],
        "without": aggregate.without_manifest,
        "without_ai": aggregate.without_ai,
        "overdue": aggregate.overdue,
        "headers": [(key, kind, i18n.t(f"aggregate.column.{key}")(lang)) for key, kind in COLUMNS],
        "filters": _filters(aggregate, lang),
        "rows": [_row(r, lang, aggregate.duplicate_of(r)) for r in aggregate.rows],
        "inventory": [
            {
                "id": e.id,
                "category": e.category,
                "uses": e.uses,
                "text": uses_line(e, lang),
                "scopes": ", ".join(i18n.t(f"governance.scope.{s}")(lang) for s in e.scopes),
            }
            for e in aggregate.inventory()
        ],
        "scope_word": {
            s: i18n.t(f"governance.scope.{s}")(lang) for s in ("product", "development")
        },
        "errors": [{"source": e.source, "reason": e.reason(lang)} for e in aggregate.errors],
    }


def chunks(aggregate: Aggregate, lang: str, trend: tuple[OrgPoint, ...] = ()) -> Iterator[str]:
    """The page piece by piece: a large organisation's page is written as it is rendered,
    never held whole (with its pieces) in memory."""
    try:
        import jinja2
    except ImportError:
        raise UsageError(i18n.t("dashboard.needs_jinja2")) from None
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    template = environment.from_string(_asset("dashboard.html.j2"))
    style, script = _asset("dashboard.css"), _asset("dashboard.js")
    yield from template.generate(
        **context(aggregate, lang, trend),
        style=_markup(style),
        script=_markup(script),
        style_hash=_hash(style),
        script_hash=_hash(script),
    )


def render(aggregate: Aggregate, lang: str, trend: tuple[OrgPoint, ...] = ()) -> str:
    return "".join(chunks(aggregate, lang, trend))


def write(target: str, aggregate: Aggregate, lang: str, trend: tuple[OrgPoint, ...]) -> None:
    """Render straight into ``target``; an unwritable file is one sentence (exit 2)."""
    pieces = chunks(aggregate, lang, trend)
    first = next(pieces)  # jinja2 missing: say so before creating the file
    try:
        with open(target, "w", encoding="utf-8") as out:
            out.write(first)
            for piece in pieces:
                out.write(piece)
    except OSError as exc:
        raise UsageError(
            i18n.t("cli.cannot_write", path=target, reason=exc.strerror or str(exc))
        ) from None


def _markup(text: str) -> Any:
    # Our own static CSS/JS: trusted, and escaping would break them ("<", quotes).
    from markupsafe import Markup

    return Markup(text)
