"""The HTML dashboard: one self-contained file (inline CSS and JS, no network), rendered by
jinja2 with autoescaping. A Content-Security-Policy admits only our own script and style,
by hash, as a second wall behind the escaping."""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from typing import Any

from kigate import i18n
from kigate.aggregate.history import OrgPoint
from kigate.aggregate.model import STATUSES, Aggregate, FindingRow, RepoRow
from kigate.aggregate.text import COLUMNS, yes_no
from kigate.errors import UsageError

SYMBOLS = {"covered": "●", "partial": "◐", "missing": "○", "not_applicable": "–", "none": "·"}
LABELS = (
    "title", "generated", "summary", "trend", "date", "coverage", "mean_score", "repositories",
    "heatmap", "repository", "weakest", "nothing", "without_manifest", "overdue", "reviewed",
    "findings", "show_findings", "waived", "errors_heading",
)  # fmt: skip


def _asset(name: str) -> str:
    return (resources.files("kigate") / "aggregate" / "templates" / name).read_text("utf-8")


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
        "branch": row.branch,
        "ai": yes_no(row.ai_detected, lang),
        "manifest": yes_no(row.has_manifest, lang),
        "aspects": f"{row.aspects_covered}/{row.aspects_total}",
        "errors": row.errors,
        "warnings": row.warnings,
        "reviewed": row.last_reviewed or "–",
        "score": row.score,
        "source": row.source,
        "findings": [_finding(f, lang) for f in row.findings],
        "findings_total": row.findings_total,
        "more": i18n.t("dashboard.more_findings", n=more)(lang) if more > 0 else "",
    }


def _trend(points: tuple[OrgPoint, ...], lang: str) -> dict[str, Any] | None:
    if not points:
        return None
    width, height, pad = 600, 160, 12
    step = (width - 2 * pad) / max(1, len(points) - 1)
    dots = []
    for index, point in enumerate(points):
        x = round(pad + index * step, 1)
        y = round(height - pad - (height - 2 * pad) * point.percent / 100, 1)
        label = i18n.t("dashboard.trend_point", at=point.at, percent=point.percent)(lang)
        dots.append({"x": x, "y": y, "label": label})
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "rows": points,
    }


def _totals(aggregate: Aggregate, lang: str) -> list[tuple[str, Any, str]]:
    values = (
        ("repositories", len(aggregate.counted)),
        ("with_ai", len(aggregate.with_ai)),
        ("with_manifest", len(aggregate.with_manifest)),
        ("without_manifest", len(aggregate.without_manifest)),
        ("overdue", len(aggregate.overdue)),
        ("errors", sum(r.errors for r in aggregate.counted)),
        ("warnings", sum(r.warnings for r in aggregate.counted)),
        ("mean_score", "–" if aggregate.mean_score is None else aggregate.mean_score),
        ("unreadable", len(aggregate.errors)),
    )
    return [(i18n.t(f"dashboard.total.{key}")(lang), value, key) for key, value in values]


def context(aggregate: Aggregate, lang: str, trend: tuple[OrgPoint, ...] = ()) -> dict[str, Any]:
    status_word = {s: i18n.t(f"dashboard.status.{s}")(lang) for s in (*STATUSES, "none")}
    with_aspects = [r for r in aggregate.counted if r.aspects]
    return {
        "lang": lang,
        "a": aggregate,
        "L": {key: i18n.t(f"dashboard.{key}")(lang) for key in LABELS},
        "totals": _totals(aggregate, lang),
        "trend": _trend(trend, lang),
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
            for r in with_aspects
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
        "overdue": aggregate.overdue,
        "headers": [i18n.t(f"aggregate.column.{c}")(lang) for c in COLUMNS],
        "rows": [_row(r, lang, aggregate.duplicate_of(r)) for r in aggregate.rows],
        "errors": [{"source": e.source, "reason": e.reason(lang)} for e in aggregate.errors],
    }


def render(aggregate: Aggregate, lang: str, trend: tuple[OrgPoint, ...] = ()) -> str:
    try:
        import jinja2
    except ImportError:
        raise UsageError(i18n.t("dashboard.needs_jinja2")) from None
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    template = environment.from_string(_asset("dashboard.html.j2"))
    style, script = _asset("dashboard.css"), _asset("dashboard.js")
    return str(
        template.render(
            **context(aggregate, lang, trend),
            style=_markup(style),
            script=_markup(script),
            style_hash=_hash(style),
            script_hash=_hash(script),
        )
    )


def _markup(text: str) -> Any:
    # Our own static CSS/JS: trusted, and escaping would break them ("<", quotes).
    from markupsafe import Markup

    return Markup(text)
