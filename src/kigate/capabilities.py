"""Capabilities the EU AI Act treats as high-risk or prohibited, found in detected components.

The catalogue is policy data (``policies/capabilities/eu-ai-act.toml``): component ids and
evidence prefixes mapped to a capability, its Annex III point and the Article 5 points that can
prohibit it. Nothing here detects anything itself; it reads what detection reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from kigate import i18n, shipped
from kigate._toml import tomllib
from kigate.errors import PolicyError
from kigate.model import Component, Evidence, Scope, Text

FORMAT_VERSION = 1
ECOSYSTEM = "capability"
CATEGORY = "high-risk-capability"


@dataclass(frozen=True)
class Capability:
    id: str
    title: Text
    annex_iii: str
    article_5: tuple[str, ...]
    components: frozenset[str]
    evidence: tuple[str, ...]  # lower-case prefixes of an evidence's match

    def matches(self, component: Component) -> tuple[Evidence, ...]:
        if component.id in self.components:
            return component.evidence
        return tuple(
            e for e in component.evidence if e.match.lower().startswith(self.evidence or ("\0",))
        )


@dataclass(frozen=True)
class Found:
    capability: Capability
    hits: tuple[tuple[str, tuple[Evidence, ...]], ...]  # (component id, its evidence)

    @property
    def first(self) -> Evidence:
        return self.hits[0][1][0]


def _text(value: Any, source: str) -> Text:
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("en", "de")):
        raise PolicyError(i18n.t("binding.capabilities_invalid", detail="title"), path=source)
    return Text(en=value["en"], de=value["de"])


def _strings(entry: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(i18n.t("binding.capabilities_invalid", detail=key), path=source)
    return tuple(value)


def parse(text: str, source: str) -> tuple[Capability, ...]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(
            i18n.t("binding.capabilities_invalid", detail=str(exc)), path=source
        ) from None
    if raw.get("kigate-capabilities") != FORMAT_VERSION or not isinstance(
        raw.get("capability"), list
    ):
        raise PolicyError(
            i18n.t("binding.capabilities_invalid", detail="kigate-capabilities"), path=source
        )
    out = []
    for entry in raw["capability"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise PolicyError(i18n.t("binding.capabilities_invalid", detail="id"), path=source)
        out.append(
            Capability(
                id=entry["id"],
                title=_text(entry.get("title"), source),
                annex_iii=str(entry.get("annex_iii", "")),
                article_5=_strings(entry, "article_5", source),
                components=frozenset(_strings(entry, "components", source)),
                evidence=tuple(p.lower() for p in _strings(entry, "evidence", source)),
            )
        )
    return tuple(out)


@cache
def builtin() -> tuple[Capability, ...]:
    entry = shipped.policies() / "capabilities" / "eu-ai-act.toml"
    return parse(entry.read_text(encoding="utf-8"), "capabilities/eu-ai-act.toml")


def find(
    components: Sequence[Component], catalogue: Sequence[Capability] | None = None
) -> tuple[Found, ...]:
    """Every capability some product-scope component shows, with that evidence."""
    out = []
    for capability in catalogue if catalogue is not None else builtin():
        hits = []
        for component in components:
            shown = capability.matches(component) if component.scope is Scope.PRODUCT else ()
            if shown:
                hits.append((component.id, shown))
        if hits:
            out.append(Found(capability, tuple(hits)))
    return tuple(out)


def as_components(found: Sequence[Found]) -> tuple[Component, ...]:
    """Capabilities as inventory entries of their own category (``kigate scan``)."""
    return tuple(
        Component(
            id=f"{ECOSYSTEM}:{f.capability.id}",
            name=f.capability.title.en,
            ecosystem=ECOSYSTEM,
            category=CATEGORY,
            scope=Scope.PRODUCT,
            evidence=tuple(
                Evidence(e.path, e.line, f"{component_id} ({f.capability.annex_iii})", "capability")
                for component_id, shown in f.hits
                for e in shown
            ),
        )
        for f in found
    )
