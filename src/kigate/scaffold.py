"""The manifest skeleton ``kigate init`` writes: every aspect, questions as comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from kigate import doctemplates, i18n, safewrite
from kigate.model import Component
from kigate.policy import Policy


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _next_year(today: dt.date) -> dt.date:
    """A year from today (28 February for a 29 February): an example plan date."""
    return today.replace(year=today.year + 1, day=min(today.day, 28 if today.month == 2 else 31))


def skeleton(
    policy: Policy,
    components: Sequence[Component],
    lang: str,
    today: dt.date,
    docs: bool = False,
) -> str:
    """A manifest that parses, names every aspect, and still fails on its placeholders.

    With ``docs`` every aspect names its evidence template (``kigate init --docs``)."""

    def t(key: str, **params: object) -> str:
        return i18n.t(f"init.{key}", **params)(lang)

    todo = "TODO"
    out = [
        f"# {t('header', policy=policy.title(lang))}",
        f"# {t('howto')}",
        f"# {t('check')}",
        "kigate = 1",
        "",
        "[system]",
        f"name = {_quote(todo)}",
        f"description = {_quote(todo)}",
        f"owner = {_quote(todo)}  # {t('owner')}",
        f"last_reviewed = {today.isoformat()}",
        f"risk_class = {_quote(todo)}  # {t('risk_class_todo')}",
        "",
    ]
    if components:
        out.append(f"# {t('components')}")
    for comp in components:
        where = comp.evidence[0].path if comp.evidence else ""
        out += [
            "[[components]]",
            f"id = {_quote(comp.id)}",
            f"purpose = {_quote(todo)}  # {comp.category}, {comp.scope.value}: {where}",
            "",
        ]
    for aspect in policy.aspects:
        out.append(f"# {aspect.title(lang)} — {aspect.description(lang)}")
        out += [f"#   ? {q}" for q in aspect.questions(lang)]
        out += [
            f"[aspects.{aspect.id}]",
            f'status = "planned"  # {t("status")}',
            f"# due = {_next_year(today).isoformat()}  # {t('due')}",
            f"statement = {_quote(todo)}",
            "measures = []",
            f"evidence = [{_quote(doctemplates.path_of(aspect))}]" if docs else "evidence = []",
        ]
        if "owner" in aspect.required:
            out.append(f"owner = {_quote(todo)}")
        out.append("")
    return "\n".join(out)


def write_docs(root: Path, policy: Policy, lang: str, force: bool) -> tuple[list[str], list[str]]:
    """Every aspect's evidence template below ``root``: (written, kept because they exist).

    Raises OSError (``safewrite.LinkRefused`` for a link on the way); nothing is followed."""
    written: list[str] = []
    kept: list[str] = []
    folders = tuple(doctemplates.FOLDER.split("/"))
    for aspect in policy.aspects:
        name = doctemplates.path_of(aspect).rsplit("/", 1)[1]
        text = doctemplates.render(aspect, lang)
        done = safewrite.write(root, folders, name, text, replace=force)
        (written if done else kept).append(doctemplates.path_of(aspect))
    return written, kept
