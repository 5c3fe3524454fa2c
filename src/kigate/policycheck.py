"""Every problem of a policy document (single or resolved), in document order.

Pure data checks against ``schema.py``: a policy may only require fields a manifest has,
only set severities of rules the registry knows, only map to frameworks kigate knows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kigate import i18n, suggest
from kigate.rules import RULES
from kigate.schema import (
    ASPECT_FIELDS,
    FRAMEWORKS,
    POLICY_ASPECT_KEYS,
    POLICY_TOP_KEYS,
    POLICY_VERSION,
    SEVERITY_VALUES,
    STRS,
    SYSTEM_FIELDS,
    TABLE,
    Fields,
    Problem,
)
from kigate.tomlpos import line_of

Add = Callable[..., None]  # add(key path, catalogue key, **params)


def _typed(
    add: Add, table: dict[str, Any], spec: Fields, where: tuple[Any, ...], label: str
) -> None:
    for key, value in table.items():
        expected = spec.get(key)
        name = f"{label}{key}"
        if expected is None:
            add((*where, key), "policy.unknown_key", known=tuple(spec), key=name)
        elif not expected.accepts(value):
            add((*where, key), "policy.wrong_type", key=name, type=expected.name)


def _severities(add: Add, severity: Any) -> None:
    if not TABLE.accepts(severity):
        return
    if not TABLE.accepts(severity.get("development", {})):
        add(
            ("severity", "development"),
            "policy.wrong_type",
            key="severity.development",
            type="dict",
        )
    for scope_name, table in [("", severity), ("development", severity.get("development"))]:
        if not isinstance(table, dict):
            continue
        for rule_id, value in table.items():
            if not scope_name and rule_id == "development":
                continue
            path = ("severity", scope_name, rule_id) if scope_name else ("severity", rule_id)
            if rule_id not in RULES:
                add(path, "policy.unknown_rule", rule=rule_id)
            elif value not in SEVERITY_VALUES:
                allowed = ", ".join(SEVERITY_VALUES)
                add(path, "policy.bad_severity", rule=rule_id, value=value, allowed=allowed)


def _strings(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _aspect_fields(add: Add, aspect: dict[str, Any], where: tuple[Any, ...]) -> None:
    """One aspect's required fields and frameworks."""
    for name in _strings(aspect.get("required")):
        if name not in tuple(ASPECT_FIELDS):  # a tuple: a listed value may be unhashable
            allowed = ", ".join(ASPECT_FIELDS)
            add((*where, "required"), "policy.unknown_field", field=name, allowed=allowed)
    terms = aspect.get("terms", {})
    if isinstance(terms, dict) and not all(
        key in ("de", "en") and isinstance(v, list) and all(isinstance(s, str) for s in v)
        for key, v in terms.items()
    ):
        add((*where, "terms"), "policy.bad_terms", id=aspect.get("id"))
    frameworks = aspect.get("frameworks", {})
    for name in frameworks if isinstance(frameworks, dict) else ():
        if name not in FRAMEWORKS:
            allowed = ", ".join(FRAMEWORKS)
            add((*where, "frameworks"), "policy.unknown_framework", name=name, allowed=allowed)


def _aspects(add: Add, aspects: Any) -> None:
    seen: dict[str, int] = {}  # every id and alias, lower case -> first aspect index
    for index, aspect in enumerate(_strings(aspects)):
        where = ("aspects", index)
        if not isinstance(aspect, dict):
            add(where, "policy.aspect_not_table")
            continue
        _typed(add, aspect, POLICY_ASPECT_KEYS, where, "aspects.")
        aspect_id = aspect.get("id")
        if not isinstance(aspect_id, str) or not aspect_id:
            add(where, "policy.aspect_without_id")
            continue
        names = [aspect_id.lower()] + [str(a).lower() for a in _strings(aspect.get("aliases"))]
        for name in names:
            if name in seen and seen[name] != index:
                add(where, "policy.duplicate_id", id=name)
            seen.setdefault(name, index)
        _aspect_fields(add, aspect, where)


def check_document(
    raw: dict[str, Any], source: str = "", lines: dict[Any, int] | None = None
) -> list[Problem]:
    """Every problem of a (resolved or single) policy document, in document order."""
    where_lines = lines or {}
    problems: list[Problem] = []

    def add(
        path: tuple[Any, ...],
        message: str,
        /,
        known: tuple[str, ...] | None = None,
        **params: object,
    ) -> None:
        text = i18n.t(message, **params)
        if known is not None and path:
            text = suggest.with_hint(text, str(path[-1]), known)
        problems.append(Problem(source, line_of(where_lines, path), text))

    _typed(add, raw, POLICY_TOP_KEYS, (), "")
    if raw.get("kigate-policy", POLICY_VERSION) != POLICY_VERSION:
        add(("kigate-policy",), "policy.bad_version", found=raw.get("kigate-policy"))
    _severities(add, raw.get("severity", {}))
    _aspects(add, raw.get("aspects", []))
    threshold = raw.get("similarity_threshold")
    if isinstance(threshold, (int, float)) and not 0 < threshold <= 1:
        add(("similarity_threshold",), "policy.bad_threshold", value=threshold)
    for name in _strings(raw.get("required_system")):
        if name not in tuple(SYSTEM_FIELDS):
            allowed = ", ".join(SYSTEM_FIELDS)
            add(("required_system",), "policy.unknown_field", field=name, allowed=allowed)
    owners = raw.get("owner_signers")
    for owner, identities in owners.items() if isinstance(owners, dict) else ():
        if not STRS.accepts(identities):  # owner -> the identities who may sign for it
            add(
                ("owner_signers", owner),
                "policy.wrong_type",
                key=f"owner_signers.{owner}",
                type="list",
            )
    return problems


def _defines_aspect(aspect: dict[str, Any]) -> bool:
    """A new aspect says what it asks, in both languages: a title and questions."""
    title, questions = aspect.get("title"), aspect.get("questions")
    return (
        isinstance(title, dict)
        and isinstance(questions, dict)
        and all(isinstance(title.get(lang), str) and title[lang].strip() for lang in ("de", "en"))
        and all(isinstance(questions.get(lang), list) and questions[lang] for lang in ("de", "en"))
    )


def new_aspects(
    raw: dict[str, Any], base: dict[str, Any], source: str, lines: dict[Any, int]
) -> list[Problem]:
    """Aspects an extending policy adds without defining them: most often a typo of a base
    id, which would silently demand a ninth aspect of every repository."""
    base_ids = [
        a["id"]
        for a in _strings(base.get("aspects"))
        if isinstance(a, dict) and isinstance(a.get("id"), str)
    ]
    problems = []
    for index, aspect in enumerate(_strings(raw.get("aspects"))):
        if not isinstance(aspect, dict) or not isinstance(aspect.get("id"), str):
            continue
        if aspect["id"] in base_ids or _defines_aspect(aspect):
            continue
        text = i18n.t("policy.unknown_aspect", id=aspect["id"])
        text = suggest.with_hint(text, aspect["id"], base_ids)
        problems.append(Problem(source, line_of(lines, ("aspects", index, "id")), text))
    return problems
