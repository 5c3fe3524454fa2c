"""The statement's words: plain-language names for statuses, categories and scopes."""

from __future__ import annotations

from kigate import i18n
from kigate.statement.model import ComponentLine, Statement

CATEGORIES = (
    "agent-framework", "ai-service", "assistant-config", "coding-assistant", "llm-api",
    "llm-ops", "local-runtime", "ml-framework", "model-artefact", "model-card", "model-library",
    "vector-store",
)  # fmt: skip


def t(key: str, lang: str, **params: object) -> str:
    return i18n.t(key, **params)(lang)


def status_word(status: str, lang: str) -> str:
    return t(f"statement.status.{status}", lang)


def component_sentence(component: ComponentLine, lang: str) -> str:
    """``a large language model service, used in the product``: what it is, where it runs."""
    kind = component.category if component.category in CATEGORIES else "other"
    what = t(f"statement.category.{kind}", lang)
    where = t(f"statement.scope.{component.scope}", lang)
    return f"{what}, {where}"


def title(statement: Statement, lang: str) -> str:
    name = statement.system_name or t("statement.unnamed", lang)
    return t("statement.title", lang, system=name)


def risk(statement: Statement, lang: str) -> str:
    return t(f"governance.risk.{statement.risk_class or 'none'}", lang)


def facts(statement: Statement, lang: str) -> list[tuple[str, str]]:
    """The key facts table: label, value (plain text, escaped by the renderer)."""
    return [
        (t("statement.owner", lang), statement.owner or "–"),
        (t("statement.risk_class", lang), risk(statement, lang)),
        (t("statement.last_reviewed", lang), statement.last_reviewed or "–"),
        (
            t("statement.answered", lang),
            t(
                "statement.answered_value",
                lang,
                covered=statement.covered,
                total=len(statement.aspects),
            ),
        ),
        (
            t("statement.policy", lang),
            f"{statement.policy_title(lang)} · {statement.policy_id} {statement.policy_version}",
        ),
    ]


def footer(statement: Statement, lang: str) -> str:
    return t(
        "statement.footer",
        lang,
        manifest=statement.manifest_path,
        version=statement.tool_version,
    )
